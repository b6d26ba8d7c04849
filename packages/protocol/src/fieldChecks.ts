import { FEATURE_NAME_RULE } from './features.js';
import { LIMITS } from './limits.js';
import { DISPLAY_NAME_RULES, foldDisplayName, ROOM_ID_RULE } from './textRules.js';
import { byKey, flag, integer, list, nullable, oneOf, optional, Refusal, strict, text, textRefusal, type Check } from './valueChecks.js';

/**
 * The hand-written checks of the fields that client and server frames share (ids, names,
 * media state, signal data), built from `valueChecks.ts` as `frames.ts` builds them with zod.
 * `clientFrameCheck.ts` and `serverFrameCheck.ts` compose their frames from these, and their
 * tests prove each frame equal to its zod schema. Internal: not exported from the package.
 */

/** Any string (`z.string()`). */
export const anyText = text();

/** A peer id (`PeerIdSchema`). */
export const peerId = text({ min: 1, max: LIMITS.peerIdLength });

/** A room id (`RoomIdSchema`). */
export const roomId = text({ min: 1, max: LIMITS.roomIdLength, rules: [ROOM_ID_RULE] });

/** A resume token (a `resume`'s `token`, a `joined`'s `resumeToken`). */
export const resumeToken = text({ min: 1, max: LIMITS.resumeTokenLength });

/** A display name, folded before its rules are tested (`DisplayNameSchema`). */
export const displayName: Check<string> = (value) => {
  if (typeof value !== 'string') return anyText(value);
  const name = foldDisplayName(value);
  return textRefusal(name, { min: 1, max: LIMITS.nameLength, rules: DISPLAY_NAME_RULES }) ?? name;
};

/** A minor version (`MinorVersionSchema`). */
export const minor = integer(0);

/** A list of features (`FeaturesSchema`). */
export const features = list(text({ min: 1, max: LIMITS.featureNameLength, rules: [FEATURE_NAME_RULE] }), 0, LIMITS.featureCount);

/** A media state (`MediaStateSchema`). */
export const mediaState = strict({ audio: flag, video: flag, screen: flag });

/** Some of a media state (`MediaStateSchema.partial()`). */
export const partialMediaState = strict({ audio: optional(flag), video: optional(flag), screen: optional(flag) });

const token = optional(nullable(text({ max: LIMITS.tokenLength })));

/** One trickled ICE candidate (`IceCandidateSchema`). */
export const iceCandidate = strict({
  candidate: text({ max: LIMITS.candidateLength }),
  sdpMid: token,
  sdpMLineIndex: optional(nullable(integer(0, 1024))),
  usernameFragment: token,
});

/** An SDP of an SFU connection (`SfuDescriptionSchema`). */
export const sfuDescription = strict({ type: oneOf(['offer', 'answer']), sdp: text({ max: LIMITS.sfuSdpLength }) });

/** The JSON of a `message` (`MessageDataSchema`): any value, at most `LIMITS.messageDataLength` characters of it. */
export const messageData: Check<NonNullable<unknown> | null> = (value) => {
  if (value === undefined) return new Refusal('expected a JSON value');
  return JSON.stringify(value).length <= LIMITS.messageDataLength
    ? value
    : new Refusal(`too long: at most ${LIMITS.messageDataLength} characters of JSON`);
};

/** A media line of an SFU connection (`MidSchema`). */
export const mid = text({ min: 1, max: LIMITS.tokenLength });

/** The payload of a signal, a description or ICE candidates (`SignalDataSchema`). */
export const signalData = byKey('kind', {
  description: strict({
    kind: oneOf(['description']),
    description: strict({ type: oneOf(['offer', 'answer']), sdp: text({ max: LIMITS.sdpLength }) }),
  }),
  candidates: strict({
    kind: oneOf(['candidates']),
    candidates: list(iceCandidate, 1, LIMITS.candidatesPerSignal),
  }),
});
