import { ERROR_CODES } from './errors.js';
import type { ServerFrame } from './frames.js';
import { LIMITS } from './limits.js';
import { DISPLAY_NAME_RULES, foldDisplayName, ROOM_ID_RULE } from './textRules.js';
import { anyOf, byKey, flag, integer, list, nullable, oneOf, optional, Refusal, strict, text, textRefusal, type Check } from './valueChecks.js';

/**
 * The server frames, checked by hand: the same frames as `ServerFrameSchema` of `frames.ts`,
 * which stays the protocol's source of truth (the server validates with zod). The client
 * validates what the server sends with this instead, because a fresh page's first zod parse
 * costs 10-16 ms on the call's critical path (docs/benchmarks.md). `serverFrameCheck.test.ts`
 * proves that both accept and refuse the same frames and return the same values; a change to
 * a server frame's schema must be made here too, or that test fails.
 */

const peerId = text({ min: 1, max: LIMITS.peerIdLength });
const roomId = text({ min: 1, max: LIMITS.roomIdLength, rules: [ROOM_ID_RULE] });
const resumeToken = text({ min: 1, max: LIMITS.resumeTokenLength });

const anyText = text();
const displayName: Check<string> = (value) => {
  if (typeof value !== 'string') return anyText(value);
  const name = foldDisplayName(value);
  return textRefusal(name, { min: 1, max: LIMITS.nameLength, rules: DISPLAY_NAME_RULES }) ?? name;
};

const peerInfo = strict({
  id: peerId,
  name: displayName,
  state: strict({ audio: flag, video: flag, screen: flag }),
});

const token = optional(nullable(text({ max: LIMITS.tokenLength })));
const signalData = byKey('kind', {
  description: strict({
    kind: oneOf(['description']),
    description: strict({ type: oneOf(['offer', 'answer']), sdp: text({ max: LIMITS.sdpLength }) }),
  }),
  candidates: strict({
    kind: oneOf(['candidates']),
    candidates: list(
      strict({
        candidate: text({ max: LIMITS.candidateLength }),
        sdpMid: token,
        sdpMLineIndex: optional(nullable(integer(0, 1024))),
        usernameFragment: token,
      }),
      1,
      LIMITS.candidatesPerSignal,
    ),
  }),
});

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
  room: roomId,
  self: peerId,
  peers: list(peerInfo),
  iceServers,
  iceTransportPolicy: oneOf(['all', 'relay']),
  maxPeers: integer(1),
  resumeToken,
};

const serverFrame = byKey('type', {
  joined: strict(joined),
  resumed: strict({ ...joined, type: oneOf(['resumed']), lapsed: flag, replayFrom: integer(0) }),
  refresh: strict({ type: oneOf(['refresh']), resumeToken, iceServers }),
  'peer-joined': strict({ type: oneOf(['peer-joined']), peer: peerInfo }),
  'peer-left': strict({ type: oneOf(['peer-left']), peer: peerId, reason: oneOf(['left', 'disconnected', 'timeout']) }),
  'peer-updated': strict({ type: oneOf(['peer-updated']), peer: peerInfo }),
  signal: strict({ type: oneOf(['signal']), from: peerId, data: signalData }),
  error: strict({ type: oneOf(['error']), code: oneOf(ERROR_CODES), message: anyText, ref: optional(text({ max: 32 })) }),
});

/**
 * Checks a parsed JSON value as a frame the server sends, exactly as `ServerFrameSchema`
 * would: the frame (a fresh copy, display names folded), or a {@link Refusal} saying where
 * and why not.
 */
export function checkServerFrame(value: unknown): ServerFrame | Refusal {
  // The hand-built shape has the frame's type; the test proves the values equal too.
  return serverFrame(value) as ServerFrame | Refusal;
}
