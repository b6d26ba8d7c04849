/**
 * The fixed label values of the frame counters, and the cheap read of an encoded server
 * frame's type (every server frame is serialized with `type` as its first key).
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

const PREFIX = Buffer.from('{"type":"');
const QUOTE = 0x22;

/**
 * The `type` of an encoded server frame, read from its first bytes without parsing the
 * JSON; `'other'` when the frame does not start with `{"type":"`.
 */
export function encodedFrameType(frame: Buffer): string {
  if (frame.length <= PREFIX.length || frame.compare(PREFIX, 0, PREFIX.length, 0, PREFIX.length) !== 0) return 'other';
  const end = frame.indexOf(QUOTE, PREFIX.length);
  if (end < 0 || end - PREFIX.length > 32) return 'other';
  return frame.toString('latin1', PREFIX.length, end);
}
