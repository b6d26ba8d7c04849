/**
 * The protocol version a client states in `join`; bumped on any incompatible change. In a
 * module of its own, not in `frames.ts`, so that the browser SDK can use it without bundling
 * the zod schemas.
 */
export const PROTOCOL_VERSION = 1;
