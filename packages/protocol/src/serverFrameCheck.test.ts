import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './errors.js';
import { ServerFrameSchema } from './frames.js';
import { LIMITS } from './limits.js';
import { parseFrame, parseServerFrame } from './parse.js';

// parseServerFrame checks by hand what ServerFrameSchema (zod) checks: these tests hold the two
// to the same verdict, the same frame out and the same `ref` on thousands of frames, valid and not.

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const below = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)] as T;
  return { next, below, pick };
}
type Random = ReturnType<typeof random>;

const long = (n: number): string => 'x'.repeat(n);

/** Values that sit on or next to a rule of some field, or are of another type. */
const ODD_VALUES: readonly unknown[] = [
  ...[0, 1, LIMITS.peerIdLength, LIMITS.roomIdLength, LIMITS.nameLength, 32, LIMITS.tokenLength, LIMITS.candidateLength, LIMITS.resumeTokenLength, LIMITS.sdpLength].flatMap((n) => [long(n), long(n + 1)]),
  '  Ana \t Maria  ', ' ', '\t\n', 'a\u0007b', 'x\u0085y', 'A\u200bna', 'Ana\u202eoboB', '\u00a0Zoë\u3000', `${long(LIMITS.nameLength)}   `, '日本語の名前',
  'room/1', 'room 1', 'abc_DEF-1', 'Ünïcode', '__proto__', 'constructor',
  'joined', 'resumed', 'refresh', 'peer-joined', 'peer-left', 'peer-updated', 'signal', 'error', 'nope',
  'description', 'candidates', 'offer', 'answer', 'rollback', 'pranswer', 'all', 'relay', 'none', 'left', 'disconnected', 'timeout',
  ...ERROR_CODES.slice(0, 3), 'NOPE',
  0, -0, 1, -1, 2, 1.5, 1024, 1025, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e308, Infinity,
  true, false, null, [], [1], ['stun:x'], ['stun:x', 5], {}, { a: 1 },
];

/** A fresh copy of an odd value (mutations must not change the shared ones). */
const odd = (r: Random): unknown => structuredClone(r.pick(ODD_VALUES));

const name = (r: Random): string => r.pick(['Ana', '  Ana \t Maria ', 'Bo', long(LIMITS.nameLength), 'Zoë']);
const peer = (r: Random) => ({ id: r.pick(['p1', 'zyxwVUTS87654321']), name: name(r), state: { audio: r.next() < 0.5, video: r.next() < 0.5, screen: r.next() < 0.5 } });
const iceServer = (r: Random) =>
  r.pick([{ urls: 'stun:stun.example.org' }, { urls: ['turn:a', 'turns:b'], username: 'u', credential: 'c' }, { urls: [], username: '' }]);
const candidate = (r: Random) => {
  const line = 'candidate:842163049 1 udp 2122260223 192.168.1.10 46154 typ host generation 0';
  return r.pick([
    { candidate: line },
    { candidate: line, sdpMid: '0', sdpMLineIndex: 0 },
    { candidate: '', sdpMid: null, sdpMLineIndex: null, usernameFragment: null },
    { candidate: line, sdpMid: '1', sdpMLineIndex: 1024, usernameFragment: 'EsAw' },
  ]);
};
const signalData = (r: Random) =>
  r.next() < 0.5
    ? { kind: 'description', description: { type: r.pick(['offer', 'answer']), sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } }
    : { kind: 'candidates', candidates: Array.from({ length: 1 + r.below(3) }, () => candidate(r)) };
const joinedBody = (r: Random) => ({
  version: r.pick([1, 2]),
  room: r.pick(['r', 'abc_DEF-1', long(LIMITS.roomIdLength)]),
  self: 'p2',
  peers: Array.from({ length: r.below(3) }, () => peer(r)),
  iceServers: Array.from({ length: r.below(3) }, () => iceServer(r)),
  iceTransportPolicy: r.pick(['all', 'relay']),
  maxPeers: r.pick([1, 8, 50]),
  resumeToken: r.pick(['t', long(200)]),
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
};

/** Every object or array inside `root` (itself included). */
function containers(root: unknown): (Record<string, unknown> | unknown[])[] {
  if (typeof root !== 'object' || root === null) return [];
  const inner = Object.values(root).flatMap(containers);
  return [root as Record<string, unknown>, ...inner];
}

/** Changes one thing somewhere in `frame`: a value swapped for an odd one, a key removed or added, an item added. */
function mutate(r: Random, frame: Record<string, unknown>): void {
  const target = r.pick(containers(frame));
  const keys = Object.keys(target);
  const what = r.below(10);
  if (Array.isArray(target)) {
    if (what < 2) target.push(target.length > 0 ? structuredClone(target[0]) : odd(r));
    else if (what < 4) target.pop();
    else if (target.length > 0) target[r.below(target.length)] = odd(r);
    return;
  }
  const record = target as Record<string, unknown>;
  const strings = keys.filter((key) => typeof record[key] === 'string');
  if (what >= 7 && strings.length > 0) {
    // A string at or just past one of the protocol's lengths: every field's bound gets hit.
    record[r.pick(strings)] = long(r.pick(Object.values(LIMITS)) + r.pick([-1, 0, 1]));
  } else if (what === 0) record[r.pick(['extra', 'from', 'to', 'type', 'ref', 'sdpMid', '__proto__'])] = odd(r);
  else if (what === 1 && keys.length > 0) delete record[r.pick(keys)];
  else if (keys.length > 0) record[r.pick(keys)] = odd(r);
}

/** Both parsers' verdicts on `text`, without the wording of the message (which may differ). */
function verdicts(text: string) {
  const strip = (result: ReturnType<typeof parseServerFrame>) =>
    result.ok ? result : { ok: false, ref: result.ref, hasMessage: result.message.startsWith('invalid frame') };
  return { hand: strip(parseServerFrame(text)), zod: strip(parseFrame(ServerFrameSchema, text)) };
}

describe('parseServerFrame (hand-written checks) against ServerFrameSchema (zod)', () => {
  it('gives the same verdict and the same frame on thousands of valid and mutated frames', () => {
    const r = random(20261122);
    const seen = { accepted: 0, refused: 0 };
    const types = Object.keys(FRAMES);
    for (let round = 0; round < 12_000; round++) {
      const frame = (FRAMES[r.pick(types)] as (r: Random) => Record<string, unknown>)(r);
      const mutations = r.below(4);
      for (let m = 0; m < mutations; m++) mutate(r, frame);
      // JSON round trip: what arrives on the wire (undefined keys drop, -0 becomes 0).
      const text = JSON.stringify(frame);
      const { hand, zod } = verdicts(text);
      expect(hand, text).toStrictEqual(zod);
      seen[hand.ok ? 'accepted' : 'refused'] += 1;
    }
    // Both outcomes are exercised in numbers, or this test proves little.
    expect(seen.accepted).toBeGreaterThan(3_000);
    expect(seen.refused).toBeGreaterThan(3_000);
  });

  it.each([
    ['a name folded and trimmed', { type: 'peer-joined', peer: { id: 'p1', name: '  Ana \t Maria ', state: { audio: true, video: false, screen: false } } }, true],
    ['a name blank once trimmed', { type: 'peer-updated', peer: { id: 'p1', name: ' \t ', state: { audio: true, video: false, screen: false } } }, false],
    ['a name 64 long once trimmed', { type: 'peer-joined', peer: { id: 'p1', name: `  ${long(64)}  `, state: { audio: true, video: true, screen: true } } }, true],
    ['a name with a zero-width joiner', { type: 'peer-joined', peer: { id: 'p1', name: 'A\u200dna', state: { audio: true, video: true, screen: true } } }, false],
    ['an unsafe integer version', { type: 'joined', version: 2 ** 53, room: 'r', self: 'p', peers: [], iceServers: [], iceTransportPolicy: 'all', maxPeers: 1, resumeToken: 't' }, false],
    ['maxPeers 0', { type: 'joined', version: 1, room: 'r', self: 'p', peers: [], iceServers: [], iceTransportPolicy: 'all', maxPeers: 0, resumeToken: 't' }, false],
    ['a resumed without replayFrom', { type: 'resumed', version: 1, room: 'r', self: 'p', peers: [], iceServers: [], iceTransportPolicy: 'all', maxPeers: 1, resumeToken: 't', lapsed: true }, false],
    ['a candidate with sdpMLineIndex 1025', { type: 'signal', from: 'p1', data: { kind: 'candidates', candidates: [{ candidate: 'c', sdpMLineIndex: 1025 }] } }, false],
    ['33 candidates', { type: 'signal', from: 'p1', data: { kind: 'candidates', candidates: Array.from({ length: 33 }, () => ({ candidate: 'c' })) } }, false],
    ['no candidates', { type: 'signal', from: 'p1', data: { kind: 'candidates', candidates: [] } }, false],
    ['a signal to a peer (a client frame)', { type: 'signal', to: 'p1', data: { kind: 'description', description: { type: 'offer', sdp: '' } } }, false],
    ['a description of kind candidates', { type: 'signal', from: 'p1', data: { kind: 'candidates', description: { type: 'offer', sdp: '' } } }, false],
    ['an error ref of 33 characters', { type: 'error', code: 'INTERNAL', message: 'm', ref: long(33) }, false],
    ['an ice server urls list with a number', { type: 'refresh', resumeToken: 't', iceServers: [{ urls: ['stun:x', 1] }] }, false],
    ['an ice server with a null username', { type: 'refresh', resumeToken: 't', iceServers: [{ urls: 'stun:x', username: null }] }, false],
    ['an array', [], false],
    ['null', null, false],
    ['a type that is not a string', { type: 5 }, false],
    ['an inherited type name', { type: 'toString' }, false],
  ])('agrees on %s', (_label, frame, ok) => {
    const { hand, zod } = verdicts(JSON.stringify(frame));
    expect(hand).toStrictEqual(zod);
    expect(hand.ok).toBe(ok);
  });

  const joined = (fields: Record<string, unknown>) => ({ type: 'joined', version: 1, room: 'r', self: 'p', peers: [], iceServers: [], iceTransportPolicy: 'all', maxPeers: 1, resumeToken: 't', ...fields });
  const withCandidate = (fields: Record<string, unknown>) => ({ type: 'signal', from: 'p1', data: { kind: 'candidates', candidates: [{ candidate: 'c', ...fields }] } });
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
    const at = verdicts(JSON.stringify(frame(long(limit))));
    const past = verdicts(JSON.stringify(frame(long(limit + 1))));
    expect(at.hand).toStrictEqual(at.zod);
    expect(past.hand).toStrictEqual(past.zod);
    expect([at.hand.ok, past.hand.ok]).toEqual([true, false]);
  });

  it('agrees on a __proto__ key, which JSON.parse makes an own key', () => {
    const text = '{"type":"peer-left","peer":"p1","reason":"left","__proto__":{"x":1}}';
    const { hand, zod } = verdicts(text);
    expect(hand).toStrictEqual(zod);
    expect(hand.ok).toBe(false);
  });

  it('says where a refused frame is wrong, and reads its type', () => {
    const result = parseServerFrame(JSON.stringify({ type: 'joined', version: 1, room: 'r', self: 'p', peers: [{ id: 'p1', name: 5 }] }));
    expect(result).toEqual({ ok: false, ref: 'joined', message: 'invalid frame at peers.0.name: expected string, received number' });
    expect(parseServerFrame('{nope')).toEqual({ ok: false, message: 'frame is not valid JSON' });
  });
});
