import { expect } from 'vitest';
import type { z } from 'zod';
import { ERROR_CODES } from '../errors.js';
import { LIMITS } from '../limits.js';
import { parseFrame, type ParseResult } from '../parse.js';

/**
 * Test-only (not built, see tsconfig.json): the random frames with which
 * `serverFrameCheck.test.ts`, `clientFrameCheck.test.ts` and `dataFrameCheck.test.ts` hold the
 * hand-written checks to the zod schemas. A seeded generator makes valid frames of every type,
 * and `mutate` breaks them one change at a time, so that every rule and bound of every field
 * gets hit.
 */

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

/** A seeded generator made by {@link random}. */
export type Random = ReturnType<typeof random>;

/** A string of `n` characters. */
export const long = (n: number): string => 'x'.repeat(n);

/** Values that sit on or next to a rule of some field, or are of another type. */
const ODD_VALUES: readonly unknown[] = [
  ...[0, 1, 32, ...Object.values(LIMITS)].flatMap((n) => [long(n), long(n + 1)]),
  '  Ana \t Maria  ',
  ' ',
  '\t\n',
  'a\u0007b',
  'x\u0085y',
  'A\u200bna',
  'Ana\u202eoboB',
  '\u00a0Zoë\u3000',
  `${long(LIMITS.nameLength)}   `,
  '日本語の名前',
  'room/1',
  'room 1',
  'abc_DEF-1',
  'Ünïcode',
  '__proto__',
  'constructor',
  'joined',
  'resumed',
  'refresh',
  'peer-joined',
  'peer-left',
  'peer-updated',
  'signal',
  'error',
  'nope',
  'join',
  'resume',
  'update',
  'leave',
  'description',
  'candidates',
  'offer',
  'answer',
  'rollback',
  'pranswer',
  'all',
  'relay',
  'none',
  'left',
  'disconnected',
  'timeout',
  ...ERROR_CODES.slice(0, 3),
  'NOPE',
  0,
  -0,
  1,
  -1,
  2,
  1.5,
  1024,
  1025,
  2 ** 53 - 1,
  2 ** 53,
  -(2 ** 53),
  1e308,
  Infinity,
  true,
  false,
  null,
  [],
  [1],
  ['stun:x'],
  ['stun:x', 5],
  {},
  { a: 1 },
  { audio: true },
  { video: 'no' },
];

/**
 * What a protocol adds to the mutations of {@link expectFuzzAgreement}: odd `values` of its
 * own (tags, enum members, numbers at its bounds) and the string `lengths` of its fields.
 */
export interface FuzzExtras {
  values?: readonly unknown[];
  lengths?: readonly number[];
}

/** The odd values and lengths that mutations draw from, with a protocol's extras. */
function fuzzPools({ values = [], lengths = [] }: FuzzExtras) {
  return { values: [...ODD_VALUES, ...values], lengths: [...Object.values(LIMITS), ...lengths] };
}
type FuzzPools = ReturnType<typeof fuzzPools>;

/** A display name, some of them folded by the checks. */
export const name = (r: Random): string => r.pick(['Ana', '  Ana \t Maria ', 'Bo', long(LIMITS.nameLength), 'Zoë']);

/** A whole media state. */
export const mediaState = (r: Random) => ({ audio: r.next() < 0.5, video: r.next() < 0.5, screen: r.next() < 0.5 });

/** One ICE candidate, in each of its shapes. */
export const candidate = (r: Random) => {
  const line = 'candidate:842163049 1 udp 2122260223 192.168.1.10 46154 typ host generation 0';
  return r.pick([
    { candidate: line },
    { candidate: line, sdpMid: '0', sdpMLineIndex: 0 },
    { candidate: '', sdpMid: null, sdpMLineIndex: null, usernameFragment: null },
    { candidate: line, sdpMid: '1', sdpMLineIndex: 1024, usernameFragment: 'EsAw' },
  ]);
};

/** The data of a signal: a description, or one to three candidates. */
export const signalData = (r: Random) =>
  r.next() < 0.5
    ? { kind: 'description', description: { type: r.pick(['offer', 'answer']), sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } }
    : { kind: 'candidates', candidates: Array.from({ length: 1 + r.below(3) }, () => candidate(r)) };

/** An SDP of an SFU connection, sometimes as long as one may be. */
export const sfuDescription = (r: Random, type: 'offer' | 'answer') => ({
  type,
  sdp: r.pick(['v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n', long(LIMITS.sfuSdpLength)]),
});

/** Values that are no frame of either side, with labels, as rows for `it.each`: both parsers must refuse them. */
export const NOT_FRAMES: [string, unknown, boolean][] = [
  ['an array', [], false],
  ['null', null, false],
  ['a type that is not a string', { type: 5 }, false],
  ['an inherited type name', { type: 'toString' }, false],
];

/** Every object or array inside `root` (itself included). */
function containers(root: unknown): (Record<string, unknown> | unknown[])[] {
  if (typeof root !== 'object' || root === null) return [];
  const inner = Object.values(root).flatMap(containers);
  return [root as Record<string, unknown>, ...inner];
}

/** Changes one thing somewhere in `frame`: a value swapped for an odd one, a key removed or added, an item added. */
function mutate(r: Random, frame: Record<string, unknown>, pools: FuzzPools): void {
  const odd = (): unknown => structuredClone(r.pick(pools.values)); // a copy: mutations must not change the shared ones
  const target = r.pick(containers(frame));
  const keys = Object.keys(target);
  const what = r.below(10);
  if (Array.isArray(target)) {
    if (what < 2) target.push(target.length > 0 ? structuredClone(target[0]) : odd());
    else if (what < 4) target.pop();
    else if (target.length > 0) target[r.below(target.length)] = odd();
    return;
  }
  const strings = keys.filter((key) => typeof target[key] === 'string');
  if (what >= 7 && strings.length > 0) {
    // A string at or just past one of the protocol's lengths: every field's bound gets hit.
    target[r.pick(strings)] = long(r.pick(pools.lengths) + r.pick([-1, 0, 1]));
  } else if (what === 0) target[r.pick(['extra', 'from', 'to', 'type', 'ref', 'sdpMid', 'name', 'state', 'password', '__proto__'])] = odd();
  else if (what === 1 && keys.length > 0) delete target[r.pick(keys)];
  else if (keys.length > 0) target[r.pick(keys)] = odd();
}

/** A parser's verdict on a frame, without the wording of a refusal (which may differ), but with where it is. */
export type Verdict<T> = { ok: true; frame: T } | { ok: false; ref: string | undefined; where?: string | undefined };

/**
 * Both parsers' verdicts on `text`: `hand`'s, and that of `parseFrame` with `schema`. A refusal
 * keeps its `ref` and, unless `where` is false, the path its message names
 * (`invalid frame at <path>: ...`).
 */
export function verdicts<T>(hand: (text: string) => ParseResult<T>, schema: z.ZodType<T>, text: string, where = true) {
  const strip = (result: ParseResult<T>): Verdict<T> => {
    if (result.ok) return result;
    const path = /^(?:invalid frame(?: at (.*?))?|frame is not valid JSON)(?::|$)/.exec(result.message);
    if (path === null) throw new Error(`a refusal of an unexpected form: ${result.message}`);
    return where ? { ok: false, ref: result.ref, where: path[1] } : { ok: false, ref: result.ref };
  };
  return { hand: strip(hand(text)), zod: strip(parseFrame(schema, text)) };
}

/** Both parsers' verdicts on a frame's text, as {@link verdicts} gives them. */
export type Judge<T> = (text: string) => { hand: Verdict<T>; zod: Verdict<T> };

/** Expects both parsers to give the same verdict on `text`, and `ok` to be it. */
export function expectAgreement<T>(judge: Judge<T>, text: string, ok: boolean): void {
  const { hand, zod } = judge(text);
  expect(hand).toStrictEqual(zod);
  expect(hand.ok).toBe(ok);
}

/** Expects both parsers to accept `make(limit)` and to refuse `make(limit + 1)` alike. */
export function expectLimit<T>(judge: Judge<T>, limit: number, make: (n: number) => unknown): void {
  expectAgreement(judge, JSON.stringify(make(limit)), true);
  expectAgreement(judge, JSON.stringify(make(limit + 1)), false);
}

/**
 * Makes 12,000 frames of random types from `frames` (valid ones, from a generator seeded with
 * `seed`), changes each by up to three mutations, and expects both parsers to give the same
 * verdict on each, sent as JSON (undefined keys drop, -0 becomes 0). Expects thousands of
 * them accepted and thousands refused, or the run proves little. `extras` add a protocol's
 * own odd values and lengths to the mutations.
 */
export function expectFuzzAgreement<T>(
  judge: Judge<T>,
  seed: number,
  frames: Record<string, (r: Random) => Record<string, unknown>>,
  extras: FuzzExtras = {},
): void {
  const r = random(seed);
  const pools = fuzzPools(extras);
  const seen = { accepted: 0, refused: 0 };
  const types = Object.keys(frames);
  for (let round = 0; round < 12_000; round++) {
    const frame = (frames[r.pick(types)] as (r: Random) => Record<string, unknown>)(r);
    const mutations = r.below(4);
    for (let m = 0; m < mutations; m++) mutate(r, frame, pools);
    const text = JSON.stringify(frame);
    const { hand, zod } = judge(text);
    expect(hand, text).toStrictEqual(zod);
    seen[hand.ok ? 'accepted' : 'refused'] += 1;
  }
  expect(seen.accepted).toBeGreaterThan(3_000);
  expect(seen.refused).toBeGreaterThan(3_000);
}
