/**
 * The fixed label values of the frame counters.
 * @packageDocumentation
 */

/** Label values of `ponte_frames_in_total`. */
export const CLIENT_FRAME_TYPES_FOR_METRICS = ['join', 'resume', 'signal', 'update', 'leave', 'invalid', 'limited', 'other'] as const;

/** Label values of `ponte_frames_out_total`. */
export const SERVER_FRAME_TYPES_FOR_METRICS = [
  'joined',
  'resumed',
  'refresh',
  'peer-joined',
  'peer-left',
  'peer-updated',
  'signal',
  'error',
  'other',
] as const;
