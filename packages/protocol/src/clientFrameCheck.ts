import type { ClientFrame } from './frames.js';
import { LIMITS } from './limits.js';
import {
  displayName,
  features,
  iceCandidate,
  mediaState,
  messageData,
  mid,
  minor,
  partialMediaState,
  peerId,
  resumeToken,
  roomId,
  sfuDescription,
  signalData,
} from './fieldChecks.js';
import { absent, byKey, flag, integer, list, loose, oneOf, optional, refined, Refusal, strict, text } from './valueChecks.js';

/**
 * The client frames, checked by hand: the same frames as `ClientFrameSchema` of `frames.ts`,
 * which stays the protocol's source of truth. The server validates every frame a client sends
 * with this instead of zod, because on its hot path (a relayed `signal` with a 4 KB SDP) zod's
 * parse was ~6% of the server's CPU per frame (issue 7). `clientFrameCheck.test.ts` proves
 * that both accept and refuse the same frames and return the same values; a change to a client
 * frame's schema must be made here too, or that test fails. Like the schemas, a frame drops
 * the top-level keys it does not know (`loose`): a newer minor may add some.
 */

const clientFrame = byKey('type', {
  join: loose({
    type: oneOf(['join']),
    version: integer(),
    minor: optional(minor),
    features: optional(features),
    room: roomId,
    name: displayName,
    state: optional(mediaState),
    password: optional(text({ min: 1, max: LIMITS.passwordLength })),
    token: optional(text({ min: 1, max: LIMITS.joinTokenLength })),
  }),
  resume: loose({
    type: oneOf(['resume']),
    version: integer(),
    minor: optional(minor),
    features: optional(features),
    token: resumeToken,
    name: displayName,
    state: mediaState,
    received: integer(0),
  }),
  signal: loose({ type: oneOf(['signal']), to: peerId, data: signalData, from: absent('a client must not send "from"') }),
  update: refined(
    loose({ type: oneOf(['update']), name: optional(displayName), state: optional(partialMediaState) }),
    (frame) => frame.name !== undefined || frame.state !== undefined,
    'update must change the name or the state',
  ),
  leave: loose({ type: oneOf(['leave']) }),
  'sfu-publish': loose({ type: oneOf(['sfu-publish']), description: sfuDescription }),
  'sfu-subscribe': loose({ type: oneOf(['sfu-subscribe']) }),
  'sfu-answer': loose({ type: oneOf(['sfu-answer']), description: sfuDescription }),
  'sfu-configure': loose({
    type: oneOf(['sfu-configure']),
    streams: list(strict({ mid, layer: optional(oneOf([0, 1, 2])), paused: optional(flag) }), 1, LIMITS.sfuStreams),
  }),
  message: loose({ type: oneOf(['message']), to: optional(list(peerId, 1, LIMITS.messageTargets)), data: messageData }),
  'sfu-candidates': loose({
    type: oneOf(['sfu-candidates']),
    leg: oneOf(['publisher', 'subscriber']),
    candidates: list(iceCandidate, 0, LIMITS.candidatesPerSignal),
  }),
});

/**
 * Checks a parsed JSON value as a frame a client sends, exactly as `ClientFrameSchema` would:
 * the frame (display names folded), or a {@link Refusal} saying where and why not.
 */
export function checkClientFrame(value: unknown): ClientFrame | Refusal {
  // The hand-built shape has the frame's type; the test proves the values equal too.
  return clientFrame(value);
}
