import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './errors.js';
import { ServerFrameSchema } from './frames.js';
import { LIMITS } from './limits.js';
import { parseServerFrame } from './parse.js';
import {
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

// parseServerFrame checks by hand what ServerFrameSchema (zod) checks: these tests hold the two
// to the same verdict, the same frame out and the same `ref` on thousands of frames, valid and not.

const peer = (r: Random) => ({ id: r.pick(['p1', 'zyxwVUTS87654321']), name: name(r), state: mediaState(r) });
const iceServer = (r: Random) =>
  r.pick([{ urls: 'stun:stun.example.org' }, { urls: ['turn:a', 'turns:b'], username: 'u', credential: 'c' }, { urls: [], username: '' }]);
const joinedBody = (r: Random) => ({
  version: r.pick([1, 2]),
  ...(r.next() < 0.5 ? { minor: r.pick([0, 1, 7]), features: r.pick([[], ['resume'], ['resume', 'spatial']]) } : {}),
  room: r.pick(['r', 'abc_DEF-1', long(LIMITS.roomIdLength)]),
  self: 'p2',
  peers: Array.from({ length: r.below(3) }, () => peer(r)),
  iceServers: Array.from({ length: r.below(3) }, () => iceServer(r)),
  iceTransportPolicy: r.pick(['all', 'relay']),
  maxPeers: r.pick([1, 8, 50]),
  resumeToken: r.pick(['t', long(200)]),
  ...(r.next() < 0.3 ? { topology: r.pick(['mesh', 'sfu']) } : {}),
});

/** A valid frame of each server frame type. */
const FRAMES: Record<string, (r: Random) => Record<string, unknown>> = {
  joined: (r) => ({ type: 'joined', ...joinedBody(r) }),
  resumed: (r) => ({ type: 'resumed', ...joinedBody(r), lapsed: r.next() < 0.5, replayFrom: r.pick([0, 3]) }),
  refresh: (r) => ({ type: 'refresh', resumeToken: 't2', iceServers: [iceServer(r)] }),
  'peer-joined': (r) => ({ type: 'peer-joined', peer: peer(r) }),
  'peer-left': (r) => ({ type: 'peer-left', peer: 'p1', reason: r.pick(['left', 'disconnected', 'timeout']) }),
  'peer-updated': (r) => ({ type: 'peer-updated', peer: peer(r) }),
  signal: (r) => ({ type: 'signal', from: 'p1', data: signalData(r) }),
  error: (r) => ({ type: 'error', code: r.pick(ERROR_CODES), message: r.pick(['', 'full']), ...(r.next() < 0.5 ? { ref: 'join' } : {}) }),
  topology: (r) => ({ type: 'topology', mode: r.pick(['mesh', 'sfu']) }),
  'sfu-published': (r) => ({ type: 'sfu-published', description: sfuDescription(r, 'answer') }),
  'sfu-offer': (r) => ({
    type: 'sfu-offer',
    description: sfuDescription(r, 'offer'),
    streams: Array.from({ length: r.below(4) }, (_, i) => ({ mid: String(i), peer: r.pick(['p1', 'p3']), kind: r.pick(['audio', 'video']) })),
  }),
  message: (r) => ({ type: 'message', from: 'p1', data: r.pick([{ text: 'hi' }, 'plain', 0, false, [null]]) }),
  'sfu-speaking': (r) => ({ type: 'sfu-speaking', peers: r.pick([[], ['p1'], ['p1', 'p3']]) }),
};

/**
 * Both parsers' verdicts on `text`: the hand-written checks' and zod's, without where a refusal
 * is (inside the `urls` union, zod names the union and the hand check the item).
 */
const verdicts = (text: string) => verdictsOf(parseServerFrame, ServerFrameSchema, text, false);

describe('parseServerFrame (hand-written checks) against ServerFrameSchema (zod)', () => {
  it('gives the same verdict and the same frame on thousands of valid and mutated frames', () => {
    expectFuzzAgreement(verdicts, 20261122, FRAMES);
  });

  it.each([
    [
      'a name folded and trimmed',
      { type: 'peer-joined', peer: { id: 'p1', name: '  Ana \t Maria ', state: { audio: true, video: false, screen: false } } },
      true,
    ],
    [
      'a name blank once trimmed',
      { type: 'peer-updated', peer: { id: 'p1', name: ' \t ', state: { audio: true, video: false, screen: false } } },
      false,
    ],
    [
      'a name 64 long once trimmed',
      { type: 'peer-joined', peer: { id: 'p1', name: `  ${long(64)}  `, state: { audio: true, video: true, screen: true } } },
      true,
    ],
    [
      'a name with a zero-width joiner',
      { type: 'peer-joined', peer: { id: 'p1', name: 'A\u200dna', state: { audio: true, video: true, screen: true } } },
      false,
    ],
    [
      'an unsafe integer version',
      { type: 'joined', version: 2 ** 53, room: 'r', self: 'p', peers: [], iceServers: [], iceTransportPolicy: 'all', maxPeers: 1, resumeToken: 't' },
      false,
    ],
    [
      'a joined of a newer server, with a field this version does not know',
      {
        type: 'joined',
        version: 1,
        minor: 4,
        features: ['resume', 'sfu'],
        room: 'r',
        self: 'p',
        peers: [],
        iceServers: [],
        iceTransportPolicy: 'all',
        maxPeers: 1,
        resumeToken: 't',
        layout: { kind: 'grid' },
      },
      true,
    ],
    [
      'a joined with 33 features',
      {
        type: 'joined',
        version: 1,
        features: Array.from({ length: 33 }, (_, i) => `f${i}`),
        room: 'r',
        self: 'p',
        peers: [],
        iceServers: [],
        iceTransportPolicy: 'all',
        maxPeers: 1,
        resumeToken: 't',
      },
      false,
    ],
    [
      'a peer info with a field this version does not know',
      { type: 'peer-joined', peer: { id: 'p1', name: 'Ana', state: { audio: true, video: false, screen: false }, avatar: 'x' } },
      false,
    ],
    [
      'maxPeers 0',
      { type: 'joined', version: 1, room: 'r', self: 'p', peers: [], iceServers: [], iceTransportPolicy: 'all', maxPeers: 0, resumeToken: 't' },
      false,
    ],
    [
      'a resumed without replayFrom',
      {
        type: 'resumed',
        version: 1,
        room: 'r',
        self: 'p',
        peers: [],
        iceServers: [],
        iceTransportPolicy: 'all',
        maxPeers: 1,
        resumeToken: 't',
        lapsed: true,
      },
      false,
    ],
    [
      'a candidate with sdpMLineIndex 1025',
      { type: 'signal', from: 'p1', data: { kind: 'candidates', candidates: [{ candidate: 'c', sdpMLineIndex: 1025 }] } },
      false,
    ],
    [
      '33 candidates',
      { type: 'signal', from: 'p1', data: { kind: 'candidates', candidates: Array.from({ length: 33 }, () => ({ candidate: 'c' })) } },
      false,
    ],
    ['no candidates', { type: 'signal', from: 'p1', data: { kind: 'candidates', candidates: [] } }, false],
    [
      'a signal to a peer (a client frame)',
      { type: 'signal', to: 'p1', data: { kind: 'description', description: { type: 'offer', sdp: '' } } },
      false,
    ],
    [
      'a description of kind candidates',
      { type: 'signal', from: 'p1', data: { kind: 'candidates', description: { type: 'offer', sdp: '' } } },
      false,
    ],
    ['an error ref of 33 characters', { type: 'error', code: 'INTERNAL', message: 'm', ref: long(33) }, false],
    ['an ice server urls list with a number', { type: 'refresh', resumeToken: 't', iceServers: [{ urls: ['stun:x', 1] }] }, false],
    ['an ice server with a null username', { type: 'refresh', resumeToken: 't', iceServers: [{ urls: 'stun:x', username: null }] }, false],
    ...NOT_FRAMES,
  ])('agrees on %s', (_label, frame, ok) => {
    expectAgreement(verdicts, JSON.stringify(frame), ok);
  });

  const joined = (fields: Record<string, unknown>) => ({
    type: 'joined',
    version: 1,
    room: 'r',
    self: 'p',
    peers: [],
    iceServers: [],
    iceTransportPolicy: 'all',
    maxPeers: 1,
    resumeToken: 't',
    ...fields,
  });
  const withCandidate = (fields: Record<string, unknown>) => ({
    type: 'signal',
    from: 'p1',
    data: { kind: 'candidates', candidates: [{ candidate: 'c', ...fields }] },
  });
  const BOUNDS: [string, number, (text: string) => unknown][] = [
    ['sdp', LIMITS.sdpLength, (sdp) => ({ type: 'signal', from: 'p1', data: { kind: 'description', description: { type: 'answer', sdp } } })],
    ['candidate', LIMITS.candidateLength, (candidate) => withCandidate({ candidate })],
    ['sdpMid', LIMITS.tokenLength, (sdpMid) => withCandidate({ sdpMid })],
    ['usernameFragment', LIMITS.tokenLength, (usernameFragment) => withCandidate({ usernameFragment })],
    ['resumeToken', LIMITS.resumeTokenLength, (resumeToken) => joined({ resumeToken })],
    ['room', LIMITS.roomIdLength, (room) => joined({ room })],
    ['self', LIMITS.peerIdLength, (self) => joined({ self })],
    ['name', LIMITS.nameLength, (name) => ({ type: 'peer-updated', peer: { id: 'p1', name, state: { audio: true, video: true, screen: true } } })],
    ['error ref', 32, (ref) => ({ type: 'error', code: 'INTERNAL', message: 'm', ref })],
  ];
  it.each(BOUNDS)('agrees that a %s may be %i characters long and no longer', (_field, limit, frame) => {
    expectLimit(verdicts, limit, (n) => frame(long(n)));
  });

  it('agrees on a __proto__ key, which JSON.parse makes an own key, and drops it', () => {
    expectAgreement(verdicts, '{"type":"peer-left","peer":"p1","reason":"left","__proto__":{"x":1}}', true);
    expect(parseServerFrame('{"type":"peer-left","peer":"p1","reason":"left","__proto__":{"x":1}}')).toStrictEqual({
      ok: true,
      frame: { type: 'peer-left', peer: 'p1', reason: 'left' },
    });
  });

  it('accepts a joined with a field this version does not know, and drops it', () => {
    const base = {
      type: 'joined',
      version: 1,
      minor: 5,
      features: ['resume', 'holo'],
      room: 'r',
      self: 'p',
      peers: [],
      iceServers: [],
      iceTransportPolicy: 'all',
      maxPeers: 2,
      resumeToken: 't',
    };
    expect(parseServerFrame(JSON.stringify({ ...base, hologram: { fps: 90 } }))).toStrictEqual({ ok: true, frame: base });
  });

  it('says where a refused frame is wrong, and reads its type', () => {
    const result = parseServerFrame(JSON.stringify({ type: 'joined', version: 1, room: 'r', self: 'p', peers: [{ id: 'p1', name: 5 }] }));
    expect(result).toEqual({ ok: false, ref: 'joined', message: 'invalid frame at peers.0.name: expected string, received number' });
    expect(parseServerFrame('{nope')).toEqual({ ok: false, message: 'frame is not valid JSON' });
  });
});
