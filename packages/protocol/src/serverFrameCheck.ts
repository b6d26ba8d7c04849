import { ERROR_CODES } from './errors.js';
import type { ServerFrame } from './frames.js';
import { LIMITS } from './limits.js';
import {
  anyText,
  displayName,
  features,
  mediaState,
  messageData,
  mid,
  minor,
  peerId,
  resumeToken,
  roomId,
  sfuDescription,
  signalData,
} from './fieldChecks.js';
import { anyOf, byKey, flag, integer, list, loose, oneOf, optional, Refusal, strict, text } from './valueChecks.js';

/**
 * The server frames, checked by hand: the same frames as `ServerFrameSchema` of `frames.ts`,
 * which stays the protocol's source of truth. The client validates what the server sends with
 * this instead, because a fresh page's first zod parse costs 10-16 ms on the call's critical
 * path (docs/benchmarks.md). The fields it shares with client frames are in `fieldChecks.ts`.
 * `serverFrameCheck.test.ts` proves that both accept and refuse the same frames and return the
 * same values; a change to a server frame's schema must be made here too, or that test fails.
 * Like the schemas, a frame drops the top-level keys it does not know (`loose`): a newer
 * server may add some.
 */

const peerInfo = strict({ id: peerId, name: displayName, state: mediaState });

const iceServers = list(
  strict({
    urls: anyOf(anyText, list(anyText)),
    username: optional(anyText),
    credential: optional(anyText),
  }),
);

const joined = {
  type: oneOf(['joined']),
  version: integer(),
  minor: optional(minor),
  features: optional(features),
  room: roomId,
  self: peerId,
  peers: list(peerInfo),
  iceServers,
  iceTransportPolicy: oneOf(['all', 'relay']),
  maxPeers: integer(1),
  resumeToken,
  topology: optional(oneOf(['mesh', 'sfu'])),
};

const serverFrame = byKey('type', {
  joined: loose(joined),
  resumed: loose({ ...joined, type: oneOf(['resumed']), lapsed: flag, replayFrom: integer(0) }),
  refresh: loose({ type: oneOf(['refresh']), resumeToken, iceServers }),
  'peer-joined': loose({ type: oneOf(['peer-joined']), peer: peerInfo }),
  'peer-left': loose({ type: oneOf(['peer-left']), peer: peerId, reason: oneOf(['left', 'disconnected', 'timeout']) }),
  'peer-updated': loose({ type: oneOf(['peer-updated']), peer: peerInfo }),
  signal: loose({ type: oneOf(['signal']), from: peerId, data: signalData }),
  error: loose({ type: oneOf(['error']), code: oneOf(ERROR_CODES), message: anyText, ref: optional(text({ max: 32 })) }),
  topology: loose({ type: oneOf(['topology']), mode: oneOf(['mesh', 'sfu']) }),
  'sfu-published': loose({ type: oneOf(['sfu-published']), description: sfuDescription }),
  'sfu-offer': loose({
    type: oneOf(['sfu-offer']),
    description: sfuDescription,
    streams: list(strict({ mid, peer: peerId, kind: oneOf(['audio', 'video']) }), 0, LIMITS.sfuStreams),
  }),
  message: loose({ type: oneOf(['message']), from: peerId, data: messageData }),
  'sfu-speaking': loose({ type: oneOf(['sfu-speaking']), peers: list(peerId, 0, LIMITS.speakingPeers) }),
});

/**
 * Checks a parsed JSON value as a frame the server sends, exactly as `ServerFrameSchema`
 * would: the frame (display names folded), or a {@link Refusal} saying where
 * and why not.
 */
export function checkServerFrame(value: unknown): ServerFrame | Refusal {
  // The hand-built shape has the frame's type; the test proves the values equal too.
  return serverFrame(value);
}
