/**
 * Plain-language messages for the serverless (manual) call page, chosen by error code and
 * reason (never by message text).
 */
import { PonteError, type ManualCodeProblem, type ManualCodeRole } from '@ponte/client';

/** What a refused code's problem means for the person who pasted it. */
export function describeCodeProblem(problem: ManualCodeProblem, expected: ManualCodeRole): string {
  const other = expected === 'offer' ? 'the caller' : 'the person you called';
  const kind = expected === 'offer' ? 'offer code' : 'answer code';
  switch (problem) {
    case 'empty':
      return `Paste the ${kind} first.`;
    case 'truncated':
      return `This ${kind} is incomplete: its end is missing. Copy the whole code again (the "Copy code" button copies all of it).`;
    case 'garbled':
      return `This is not a valid ${kind}: it is damaged or is not a Ponte code. Copy it again without changing it.`;
    case 'wrong-role':
      return expected === 'offer'
        ? 'This is an answer code, not an offer code. Paste the offer code that the caller sent you.'
        : 'This is an offer code, not an answer code. Paste the answer code that the person you called sent back (not your own offer).';
    case 'stale':
      return `This ${kind} is too old (codes are valid for 15 minutes). Ask ${other} to start again and send a new one.`;
    case 'other-offer':
      return 'This answer was made for a different offer code, perhaps an earlier one. Send your current offer code and paste the answer to it.';
    case 'unsupported-version':
      return `This ${kind} was made by a different version of Ponte. Both of you should reload the page and start again.`;
  }
}

/** A message for anything else that went wrong on the page. */
export function describeManualError(error: unknown, expected: ManualCodeRole): string {
  if (error instanceof PonteError) {
    if (error.code === 'BAD_CODE' && error.reason) return describeCodeProblem(error.reason as ManualCodeProblem, expected);
    if (error.code === 'NEGOTIATION_FAILED') {
      return expected === 'offer'
        ? 'The connection could not be prepared from this offer code. Ask the caller to start again.'
        : 'The connection could not be set up from this answer code. Start again to make new codes.';
    }
    if (error.code === 'BAD_MESSAGE' || error.code === 'INVALID_STATE') return error.message;
  }
  return 'Something went wrong. Start again to make new codes.';
}

/** How far the code exchange is on this side. */
export type ExchangeStage = 'not-started' | 'offer-sent' | 'exchanged';

/** Words for a peer connection state in the "Connection: …" status. */
export function describeManualConnection(state: RTCPeerConnectionState | null, stage: ExchangeStage): string {
  if (state === null || (state === 'new' && stage === 'not-started')) return 'not started';
  if (state === 'new' && stage === 'offer-sent') return 'waiting for the answer code';
  switch (state) {
    case 'new':
      return 'waiting for the other side';
    case 'connecting':
      return 'connecting…';
    case 'connected':
      return 'connected';
    case 'disconnected':
      return 'interrupted, trying to recover…';
    case 'failed':
      return 'failed. Start again to make new codes.';
    case 'closed':
      return 'closed';
  }
}
