/**
 * The protocol's major version, which a client states as `version` in `join` and `resume`;
 * bumped on any incompatible change. A server refuses another major (`UNSUPPORTED_VERSION`).
 * In a module of its own, not in `frames.ts`, so that the browser SDK can use it without
 * bundling the zod schemas.
 */
export const PROTOCOL_VERSION = 1;

/**
 * The protocol's minor version, stated as `minor` beside `version`; bumped on a compatible
 * change (a new optional field, a new feature). Any minor of the same major is accepted, a
 * missing `minor` means 0, and every receiver ignores top-level fields it does not know, so a
 * newer peer can add fields an older one has never heard of. Minor 1 added `minor`,
 * `features` and that rule (see docs/protocol.md, "Versions and features"); minor 2 added the
 * error code `UNAVAILABLE`, which a server sends only to clients of minor 2 or later; minor 3
 * the feature `sfu`: the `topology` and `sfu-*` frames, `topology` in `joined`/`resumed`, and
 * the codes `SFU_REQUIRED` and `SFU_FAILED`.
 */
export const PROTOCOL_MINOR = 3;

/** Whether a peer stating `version` speaks this protocol: the same major, whatever its minor. */
export function isSupportedVersion(version: number): boolean {
  return version === PROTOCOL_VERSION;
}
