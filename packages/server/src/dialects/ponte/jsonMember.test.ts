import { describe, expect, it } from 'vitest';
import { memberJson } from './jsonMember.js';

const member = (text: string, key = 'data') => {
  const bytes = memberJson(Buffer.from(text), key);
  return bytes === undefined ? undefined : (JSON.parse(bytes.toString()) as unknown);
};

/** A deterministic pseudo-random source (xorshift32), so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const AWKWARD = ['"', '\\', '{', '}', '[', ']', ',', ':', '\r\n', 'é', '😀', '\u2028', ' ', 'data', '\\"', 'a'];

function randomValue(next: () => number, depth = 0): unknown {
  const pick = next();
  if (depth > 3 || pick < 0.3) {
    return Array.from({ length: Math.floor(next() * 6) }, () => AWKWARD[Math.floor(next() * AWKWARD.length)]).join('');
  }
  if (pick < 0.4) return Math.round((next() - 0.5) * 1e6) / 100;
  if (pick < 0.45) return next() < 0.5;
  if (pick < 0.5) return null;
  if (pick < 0.75) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(next() * 4) }, (_, i) => [`k${i}${AWKWARD[Math.floor(next() * AWKWARD.length)]}`, randomValue(next, depth + 1)]),
  );
}

describe('memberJson', () => {
  it('finds a top-level member among others, whatever their order and spacing', () => {
    expect(member('{"type":"signal","to":"p1","data":{"kind":"x","n":[1,{"a":"}"}]}}')).toEqual({ kind: 'x', n: [1, { a: '}' }] });
    expect(member(' {\n "data" : [1, 2] ,\t"to" : "p" }')).toEqual([1, 2]);
    expect(member('{"data":"a\\"b\\\\"}')).toBe('a"b\\');
    expect(member('{"data":-1.5e3,"x":true}')).toBe(-1500);
    expect(member('{"data":null}')).toBeNull();
  });

  it('ignores a nested member of the same name and reports a missing one as undefined', () => {
    expect(member('{"to":{"data":1}}')).toBeUndefined();
    expect(member('{"to":{"data":1},"data":2}')).toBe(2);
    expect(member('[]')).toBeUndefined();
    expect(member('{}')).toBeUndefined();
  });

  it('agrees with JSON.parse on repeated and escaped keys: the last one wins', () => {
    expect(member('{"data":"evil","data":"good"}')).toBe('good');
    expect(member('{"data":"evil","d\\u0061ta":"good"}')).toBe('good');
    expect(member('{"d\\u0061ta":"good","dat":"no"}')).toBe('good');
  });

  it('returns exactly the value JSON.parse gives for thousands of random objects', () => {
    const next = random(0x5eed);
    for (let round = 0; round < 3000; round += 1) {
      const entries = Array.from(
        { length: 1 + Math.floor(next() * 4) },
        (_, i) => [i === 0 || next() < 0.3 ? 'data' : `k${i}`, randomValue(next)] as const,
      );
      const object = entries.map(
        ([key, value]) => `${JSON.stringify(key)}${next() < 0.5 ? ' : ' : ':'}${JSON.stringify(value, null, next() < 0.3 ? 2 : undefined)}`,
      );
      const text = `{${object.join(next() < 0.5 ? ',' : ' ,\n ')}}`;
      expect(member(text), text).toEqual((JSON.parse(text) as { data: unknown }).data);
    }
  });
});
