import { describe, expect, it } from 'vitest';
import { ClientFrameSchema } from './frames.js';
import { LIMITS } from './limits.js';
import { parseClientFrame, parseFrame } from './parse.js';
import {
  candidate,
  sfuDescription,
  expectAgreement,
  expectFuzzAgreement,
  expectLimit,
  long,
  NOT_FRAMES,
  mediaState,
  name,
  signalData,
  verdicts as verdictsOf,
  type Random,
} from './testing/frameFuzz.js';

// parseClientFrame checks by hand what ClientFrameSchema (zod) checks: these tests hold the two
// to the same verdict, the same frame out, the same `ref` and the same place named in a
// refusal, on thousands of frames, valid and not.

/** Some of a media state, possibly none of it. */
const partialState = (r: Random) => Object.fromEntries(Object.entries(mediaState(r)).filter(() => r.next() < 0.5));
/** `fields` when a coin says so, else nothing. */
const maybe = (r: Random, fields: Record<string, unknown>) => (r.next() < 0.5 ? fields : {});
/** A minor version and features, as a client of minor 1 or later sends them, or none (minor 0). */
const versions = (r: Random) => ({
  ...maybe(r, { minor: r.pick([0, 1, 7]) }),
  ...maybe(r, { features: r.pick([[], ['resume'], ['resume', 'spatial', 'sfu'], [long(LIMITS.featureNameLength)]]) }),
});

/** A valid frame of each client frame type (an update may change nothing, which is refused). */
const FRAMES: Record<string, (r: Random) => Record<string, unknown>> = {
  join: (r) => ({
    type: 'join',
    version: r.pick([1, 2]),
    ...versions(r),
    room: r.pick(['r', 'abc_DEF-1', long(LIMITS.roomIdLength)]),
    name: name(r),
    ...maybe(r, { state: mediaState(r) }),
    ...maybe(r, { password: r.pick(['p', long(LIMITS.passwordLength)]) }),
    ...maybe(r, { token: r.pick(['a.b.c', long(LIMITS.joinTokenLength)]) }),
  }),
  resume: (r) => ({
    type: 'resume',
    version: r.pick([1, 2]),
    ...versions(r),
    token: r.pick(['t', long(200)]),
    name: name(r),
    state: mediaState(r),
    received: r.pick([0, 12]),
  }),
  signal: (r) => ({ type: 'signal', to: r.pick(['p1', 'zyxwVUTS87654321']), data: signalData(r) }),
  update: (r) => ({ type: 'update', ...maybe(r, { name: name(r) }), ...(r.next() < 0.7 ? { state: partialState(r) } : {}) }),
  leave: () => ({ type: 'leave' }),
  'sfu-publish': (r) => ({ type: 'sfu-publish', description: sfuDescription(r, 'offer') }),
  'sfu-subscribe': () => ({ type: 'sfu-subscribe' }),
  'sfu-answer': (r) => ({ type: 'sfu-answer', description: sfuDescription(r, 'answer') }),
  'sfu-configure': (r) => ({
    type: 'sfu-configure',
    streams: Array.from({ length: 1 + r.below(3) }, () => ({
      mid: r.pick(['0', 'v1', long(LIMITS.tokenLength)]),
      ...maybe(r, { layer: r.pick([0, 1, 2]) }),
      ...maybe(r, { paused: r.next() < 0.5 }),
    })),
  }),
  message: (r) => ({
    type: 'message',
    ...maybe(r, { to: r.pick([['p1'], ['p1', 'zyxwVUTS87654321']]) }),
    data: r.pick([{ text: 'hi' }, 'plain', 42, null, [1, { a: [] }], { big: long(LIMITS.messageDataLength - 10) }]),
  }),
  'sfu-candidates': (r) => ({
    type: 'sfu-candidates',
    leg: r.pick(['publisher', 'subscriber']),
    candidates: Array.from({ length: r.below(3) }, () => candidate(r)),
  }),
};

/** Both parsers' verdicts on `text`: the hand-written checks' and zod's. */
const verdicts = (text: string) => verdictsOf(parseClientFrame, ClientFrameSchema, text);

const join = (fields: Record<string, unknown>) => ({ type: 'join', version: 1, room: 'r', name: 'Ana', ...fields });
const resume = (fields: Record<string, unknown>) => ({
  type: 'resume',
  version: 1,
  token: 't',
  name: 'Ana',
  state: { audio: true, video: false, screen: false },
  received: 0,
  ...fields,
});
const withCandidate = (fields: Record<string, unknown>) => ({
  type: 'signal',
  to: 'p1',
  data: { kind: 'candidates', candidates: [{ candidate: 'c', ...fields }] },
});
const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } };

describe('parseClientFrame (hand-written checks) against ClientFrameSchema (zod)', () => {
  it('gives the same verdict and the same frame on thousands of valid and mutated frames', () => {
    expectFuzzAgreement(verdicts, 20261123, FRAMES);
  });

  it.each([
    ['a join with a name folded and trimmed', join({ name: '  Ana \t Maria ' }), true],
    ['a join with a name blank once trimmed', join({ name: ' \t ' }), false],
    ['a join with a name 64 long once trimmed', join({ name: `  ${long(64)}  ` }), true],
    ['a join with a zero-width joiner in its name', join({ name: 'A\u200dna' }), false],
    ['a join with an unsafe integer version', join({ version: 2 ** 53 }), false],
    ['a join with a fractional version', join({ version: 1.5 }), false],
    ['a join with a partial state', join({ state: { audio: true } }), false],
    [
      'a join of a newer minor, with features and a field this version does not know',
      join({ minor: 9, features: ['resume', 'spatial'], future: { x: 1 } }),
      true,
    ],
    ['a join with a negative minor', join({ minor: -1 }), false],
    ['a join with a fractional minor', join({ minor: 1.5 }), false],
    ['a join with features that are not a list', join({ features: 'resume' }), false],
    ['a join with an empty feature name', join({ features: [''] }), false],
    ['a join with an upper-case feature name', join({ features: ['Resume'] }), false],
    ['a join with a feature name that is not a string', join({ features: [1] }), false],
    ['a join with an unknown key inside its state', join({ state: { audio: true, video: true, screen: true, smell: true } }), false],
    ['a resume of a newer minor with an unknown field', resume({ minor: 3, features: [], later: 'x' }), true],
    ['a join with an empty password', join({ password: '' }), false],
    ['a join with an empty token', join({ token: '' }), false],
    ['a join with a null password', join({ password: null }), false],
    ['a resume with received -1', resume({ received: -1 }), false],
    ['a resume without state', resume({ state: undefined }), false],
    ['a resume with an unsafe integer received', resume({ received: 2 ** 53 }), false],
    ['an update of the name only', { type: 'update', name: '  Bo  ' }, true],
    ['an update of part of the state', { type: 'update', state: { video: true } }, true],
    ['an update with an empty state', { type: 'update', state: {} }, true],
    ['an update that changes nothing', { type: 'update' }, false],
    ['an update with a null state', { type: 'update', state: null }, false],
    ['an update with a state key of another type', { type: 'update', state: { audio: 'yes' } }, false],
    ['an update with an unknown state key', { type: 'update', state: { mic: true } }, false],
    ['an update that changes nothing and has an extra key', { type: 'update', extra: 1 }, false],
    ['an update with a blank name and no state', { type: 'update', name: '   ' }, false],
    ['a signal with from instead of to', { type: 'signal', from: 'p1', data: offer }, false],
    ['a signal with both from and to', { type: 'signal', to: 'p1', from: 'p2', data: offer }, false],
    ['a signal with a rollback', { type: 'signal', to: 'p1', data: { kind: 'description', description: { type: 'rollback', sdp: '' } } }, false],
    ['a candidate with sdpMLineIndex 1025', withCandidate({ sdpMLineIndex: 1025 }), false],
    ['a candidate with sdpMLineIndex -1', withCandidate({ sdpMLineIndex: -1 }), false],
    ['a candidate with null sdpMid and sdpMLineIndex', withCandidate({ sdpMid: null, sdpMLineIndex: null }), true],
    [
      '33 candidates',
      { type: 'signal', to: 'p1', data: { kind: 'candidates', candidates: Array.from({ length: 33 }, () => ({ candidate: 'c' })) } },
      false,
    ],
    ['no candidates', { type: 'signal', to: 'p1', data: { kind: 'candidates', candidates: [] } }, false],
    ['a leave with an extra key (dropped)', { type: 'leave', now: true }, true],
    ['a signal with an extra key (dropped)', { type: 'signal', to: 'p1', data: offer, priority: 'high' }, true],
    ['a signal with a null from', { type: 'signal', to: 'p1', from: null, data: offer }, false],
    ['a server frame', { type: 'peer-left', peer: 'p1', reason: 'left' }, false],
    ...NOT_FRAMES,
  ])('agrees on %s', (_label, frame, ok) => {
    expectAgreement(verdicts, JSON.stringify(frame), ok);
  });

  const BOUNDS: [string, number, (text: string) => unknown][] = [
    ['room', LIMITS.roomIdLength, (room) => join({ room })],
    ['name', LIMITS.nameLength, (name) => join({ name })],
    ['password', LIMITS.passwordLength, (password) => join({ password })],
    ['join token', LIMITS.joinTokenLength, (token) => join({ token })],
    ['resume token', LIMITS.resumeTokenLength, (token) => resume({ token })],
    ['update name', LIMITS.nameLength, (name) => ({ type: 'update', name })],
    ['to', LIMITS.peerIdLength, (to) => ({ type: 'signal', to, data: offer })],
    ['sdp', LIMITS.sdpLength, (sdp) => ({ type: 'signal', to: 'p1', data: { kind: 'description', description: { type: 'answer', sdp } } })],
    ['candidate', LIMITS.candidateLength, (candidate) => withCandidate({ candidate })],
    ['sdpMid', LIMITS.tokenLength, (sdpMid) => withCandidate({ sdpMid })],
    ['usernameFragment', LIMITS.tokenLength, (usernameFragment) => withCandidate({ usernameFragment })],
  ];
  it.each(BOUNDS)('agrees that a %s may be %i characters long and no longer', (_field, limit, frame) => {
    expectLimit(verdicts, limit, (n) => frame(long(n)));
  });

  it('agrees that 32 features may be listed, and no more', () => {
    expectLimit(verdicts, LIMITS.featureCount, (n) => join({ features: Array.from({ length: n }, (_, i) => `f${i}`) }));
  });

  it('agrees that a feature name may be 32 characters long and no longer', () => {
    expectLimit(verdicts, LIMITS.featureNameLength, (n) => join({ features: [long(n)] }));
  });

  it('drops the keys it does not know from the frame it returns', () => {
    const result = parseClientFrame(JSON.stringify(join({ minor: 9, features: ['holo'], future: { deep: true }, also: [1, 2] })));
    expect(result).toEqual({ ok: true, frame: { type: 'join', version: 1, minor: 9, features: ['holo'], room: 'r', name: 'Ana' } });
    expect(parseClientFrame('{"type":"leave","now":true}')).toStrictEqual({ ok: true, frame: { type: 'leave' } });
  });

  it('agrees that 32 candidates may be sent, and no more', () => {
    expectLimit(verdicts, LIMITS.candidatesPerSignal, (n) => ({
      type: 'signal',
      to: 'p1',
      data: { kind: 'candidates', candidates: Array.from({ length: n }, () => ({ candidate: 'c' })) },
    }));
  });

  it('agrees on a __proto__ key, which JSON.parse makes an own key, and drops it', () => {
    const text = '{"type":"update","name":"Ana","__proto__":{"state":{"audio":true}}}';
    expectAgreement(verdicts, text, true);
    const result = parseClientFrame(text);
    expect(result).toStrictEqual({ ok: true, frame: { type: 'update', name: 'Ana' } });
    if (result.ok) expect(Object.getPrototypeOf(result.frame)).toBe(Object.prototype);
    expectAgreement(verdicts, '{"type":"update","__proto__":{"state":{"audio":true}}}', false);
  });

  it('refuses an update that changes nothing with the message of the schema, at the frame itself', () => {
    const hand = parseClientFrame('{"type":"update"}');
    expect(hand).toEqual({ ok: false, ref: 'update', message: 'invalid frame: update must change the name or the state' });
    expect(parseFrame(ClientFrameSchema, '{"type":"update"}')).toEqual(hand);
  });

  it('says where a refused frame is wrong, and reads its type', () => {
    const result = parseClientFrame(JSON.stringify(join({ name: 5 })));
    expect(result).toEqual({ ok: false, ref: 'join', message: 'invalid frame at name: expected string, received number' });
    expect(parseClientFrame('{nope')).toEqual({ ok: false, message: 'frame is not valid JSON' });
  });
});
