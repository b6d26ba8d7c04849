/**
 * In a mesh every participant sends its video to each of the others, so the uplink is
 * shared: the per-peer cap shrinks as people join and grows as they leave.
 */
export interface BitrateBudget {
  /** Total video uplink to spend on all peers, in kbit/s. Default 2500. */
  uplinkKbps: number;
  /** Never cap one peer's video below this, in kbit/s. Default 150. */
  minKbps: number;
  /** Never send one peer more than this, in kbit/s. Default 1500. */
  maxKbps: number;
}

/** The defaults of {@link BitrateBudget}. */
export const BITRATE_BUDGET_DEFAULTS: BitrateBudget = { uplinkKbps: 2500, minKbps: 150, maxKbps: 1500 };

/** The video bitrate cap for each of `peers` peers, in kbit/s. */
export function videoBitrateCap(budget: BitrateBudget, peers: number): number {
  const share = Math.floor(budget.uplinkKbps / Math.max(1, peers));
  return Math.min(budget.maxKbps, Math.max(budget.minKbps, share));
}
