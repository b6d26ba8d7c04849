/**
 * The Ponte wire protocol: every frame exchanged between the signaling server and its
 * clients, as runtime schemas with inferred types. See `docs/protocol.md` for the spec.
 * @packageDocumentation
 */
export * from './frames.js';
export * from './errors.js';
export * from './limits.js';
export * from './parse.js';
