/**
 * The Ponte wire protocol: every frame exchanged between the signaling server and its
 * clients, and the peer-to-peer data frames two SDKs exchange, as zod schemas with inferred
 * types, and the zod-free parsers each side validates with. See `docs/protocol.md` for the
 * spec. The package has no side effects, so a bundle that uses only the parsers and types
 * carries no zod.
 * @packageDocumentation
 */
export * from './version.js';
export * from './features.js';
export * from './permissions.js';
export { replaceHiddenCharacters } from './textRules.js';
export * from './frames.js';
export * from './dataFrames.js';
export { isTransferId } from './dataFrameCheck.js';
export * from './errors.js';
export * from './limits.js';
export * from './parse.js';
