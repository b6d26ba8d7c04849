/**
 * Features: optional parts of the protocol a peer may or may not have. A client lists its own
 * in `join`/`resume` (`features`), the server answers with its own in `joined`/`resumed`, and
 * both sides use only the features both listed ({@link commonFeatures}). A name neither side
 * knows is kept in the lists and never used. zod-free, so the browser SDK can import it alone.
 * @packageDocumentation
 */
import { PROTOCOL_MINOR } from './version.js';

/**
 * The features this version of the protocol knows, each one a behaviour of the server that a
 * client may rely on only when the server lists it:
 *
 * - `resume`: the server takes `resume` after a lost connection (it holds the broken peer for
 *   its grace period and replays the relayed frames it missed); without it, a client joins
 *   afresh.
 * - `sfu` (since minor 3): the server can carry a room's media through an SFU and says which
 *   topology a room has (`topology`); it brokers the SFU frames (`sfu-publish`, `sfu-offer`, …).
 *   A server lists it only when it has an SFU; a client lists it when it can use one, and a
 *   client that does not is refused from a room in SFU mode (`SFU_REQUIRED`).
 */
export const FEATURES = ['resume', 'sfu'] as const;

/** A feature this version knows. */
export type Feature = (typeof FEATURES)[number];

/**
 * What a peer of minor 0 has: it lists no features (the field did not exist), but every such
 * server took `resume`.
 */
export const MINOR_0_FEATURES: readonly Feature[] = Object.freeze(['resume']);

/** A feature name: lowercase letters, digits and `-`, starting with a letter (`spatial`, `sfu`). */
export const FEATURE_NAME_RULE = {
  pattern: /^[a-z][a-z0-9-]*$/,
  message: 'feature name must be lowercase letters, digits and "-", starting with a letter',
};

/**
 * The features both `ours` and `theirs` list, in the order of `ours`, each once: what two
 * peers may use. A name only one side lists is left out.
 */
export function commonFeatures<T extends string>(ours: readonly T[], theirs: readonly string[]): T[] {
  const shared = new Set<string>(theirs);
  const common: T[] = [];
  for (const feature of ours) if (shared.has(feature) && !common.includes(feature)) common.push(feature);
  return common;
}

/**
 * The features a `joined`/`resumed` (or a `join`/`resume`) says its sender has: its
 * `features`, or, from a peer of minor 0 that sends none, {@link MINOR_0_FEATURES}.
 */
export function announcedFeatures(frame: { minor?: number; features?: readonly string[] }): readonly string[] {
  return frame.features ?? (frame.minor === undefined || frame.minor === 0 ? MINOR_0_FEATURES : []);
}

/**
 * What a server adds to its `joined`/`resumed` for a client that sent `join`/`resume`
 * `request`: its `minor` and its own `features`, or nothing for a client of minor 0 (one that
 * sent neither `minor` nor `features`), which sees the answer it always saw and would refuse
 * fields it does not know.
 */
export function featuresAnswer(
  request: { minor?: number; features?: readonly string[] },
  own: readonly string[],
): { minor: number; features: string[] } | Record<string, never> {
  return request.minor === undefined && request.features === undefined ? {} : { minor: PROTOCOL_MINOR, features: [...own] };
}
