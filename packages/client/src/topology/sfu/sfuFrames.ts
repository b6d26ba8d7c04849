/**
 * The SFU frames as the SDK sees them: what an SFU topology asks of the server, and what the
 * server answers or tells it.
 * @module
 */
import type { ErrorFrame, SfuNewsFrame, SfuRequestFrame } from '@ponte/protocol';

/** A request of ours about the SFU, brokered by the server. */
export type SfuRequest = SfuRequestFrame;

/**
 * What the server sends an SFU topology: the SFU's answers and offers, who speaks, and the
 * refusal of one of our requests (an `error` frame whose `ref` is an `sfu-*` frame).
 */
export type SfuNews = SfuNewsFrame | (ErrorFrame & { ref: SfuRequest['type'] });

/** Whether an error frame answers one of our SFU requests. */
export function isSfuRefusal(frame: ErrorFrame): frame is ErrorFrame & { ref: SfuRequest['type'] } {
  return typeof frame.ref === 'string' && frame.ref.startsWith('sfu-');
}
