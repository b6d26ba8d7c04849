import type { TopologyMode } from '@ponte/protocol';

/** When a room carries its media through the SFU instead of a mesh. */
export interface TopologyOptions {
  /** A room switches to the SFU when it reaches this many people. Default 5. */
  sfuFrom: number;
  /** An SFU room switches back to a mesh when it is down to this many people (fewer than `sfuFrom`). Default `sfuFrom - 2` (3), at least 1. */
  meshAtMost: number;
}

/** `options` with the defaults filled in: `meshAtMost` follows `sfuFrom` when it is not given. */
export function topologyOptions(options: Partial<TopologyOptions> = {}): TopologyOptions {
  const sfuFrom = options.sfuFrom ?? TOPOLOGY_DEFAULTS.sfuFrom;
  return checkTopologyOptions({ sfuFrom, meshAtMost: options.meshAtMost ?? Math.max(1, sfuFrom - 2) });
}

/** The defaults: SFU when a 5th person joins, back to mesh at 3. */
export const TOPOLOGY_DEFAULTS: TopologyOptions = Object.freeze({ sfuFrom: 5, meshAtMost: 3 });

/**
 * The topology a room should have with `members` people when it has `current` now. Between
 * the two thresholds a room keeps what it has (hysteresis), so a fourth person coming and
 * going does not make a room of four switch back and forth.
 */
export function nextTopology(current: TopologyMode, members: number, options: TopologyOptions = TOPOLOGY_DEFAULTS): TopologyMode {
  if (members >= options.sfuFrom) return 'sfu';
  if (members <= options.meshAtMost) return 'mesh';
  return current;
}

/** Checks that `options` describe a policy: whole numbers, 2 ≤ sfuFrom, meshAtMost < sfuFrom. Throws a RangeError otherwise. */
export function checkTopologyOptions(options: TopologyOptions): TopologyOptions {
  const { sfuFrom, meshAtMost } = options;
  if (!Number.isInteger(sfuFrom) || sfuFrom < 2) throw new RangeError(`sfuFrom must be a whole number of at least 2, not ${sfuFrom}`);
  if (!Number.isInteger(meshAtMost) || meshAtMost < 1 || meshAtMost >= sfuFrom) {
    throw new RangeError(`meshAtMost must be a whole number from 1 to sfuFrom - 1 (${sfuFrom - 1}), not ${meshAtMost}`);
  }
  return options;
}
