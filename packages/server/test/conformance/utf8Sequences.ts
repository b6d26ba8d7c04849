/**
 * The UTF-8 sequences of the conformance suite's section 6 (after Autobahn's cases 6.5 to
 * 6.23, themselves after Markus Kuhn's UTF-8 decoder stress test), each marked valid or not
 * by RFC 3629: no overlong forms, no surrogates (U+D800-U+DFFF), nothing above U+10FFFF.
 * @packageDocumentation
 */

/** One sequence of a group: its bytes and whether they are valid UTF-8. */
export interface Utf8Sequence {
  /** The Autobahn case number, e.g. `6.7.2`. */
  n: string;
  /** What the sequence is, for the case's name. */
  what: string;
  bytes: Buffer;
  valid: boolean;
}

/** κόσμε ("cosmos") as in Kuhn's test, its ό being U+1F79: 2-, 3-, 2-, 2- and 2-byte sequences. */
export const KOSME = Buffer.from('cebae1bdb9cf83cebcceb5', 'hex');

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s/g, ''), 'hex');
const codePoint = (value: number): Buffer => Buffer.from(String.fromCodePoint(value));
const label = (value: number): string => `U+${value.toString(16).toUpperCase().padStart(4, '0')}`;
/** The bytes `from` to `to` (both included), each followed by `after` (none by default). */
const byteRun = (from: number, to: number, after: number[] = []): Buffer =>
  Buffer.from(Array.from({ length: to - from + 1 }, (_, i) => [from + i, ...after]).flat());

/** The groups, in Autobahn's order from 6.5 on: [title, [what, bytes, valid][]]. */
const GROUPS: [string, [string, Buffer, boolean][]][] = [
  [
    'some valid UTF-8',
    [
      ['"hello$world" (U+0024)', Buffer.from('hello$world'), true],
      ['"hello¢world" (U+00A2)', Buffer.from('hello\u00a2world'), true],
      ['"hello€world" (U+20AC)', Buffer.from('hello\u20acworld'), true],
      ['"hello𤭢world" (U+24B62)', Buffer.from('hello\u{24b62}world'), true],
      ['"κόσμε"', KOSME, true],
    ],
  ],
  [
    'every prefix of "κόσμε" (the valid ones end on a code point boundary)',
    Array.from({ length: KOSME.length }, (_, i): [string, Buffer, boolean] => [
      `its first ${i + 1} bytes`,
      KOSME.subarray(0, i + 1),
      [2, 5, 7, 9, 11].includes(i + 1),
    ]),
  ],
  ['first sequence of each length', [0x0000, 0x0080, 0x0800, 0x10000].map((cp): [string, Buffer, boolean] => [label(cp), codePoint(cp), true])],
  [
    'first 5- and 6-byte sequences (beyond U+10FFFF)',
    [
      ['5 bytes f8 88 80 80 80', hex('f888808080'), false],
      ['6 bytes fc 84 80 80 80 80', hex('fc8480808080'), false],
    ],
  ],
  ['last sequence of each length', [0x007f, 0x07ff, 0xffff, 0x10ffff].map((cp): [string, Buffer, boolean] => [label(cp), codePoint(cp), true])],
  [
    'last 4-, 5- and 6-byte sequences (beyond U+10FFFF)',
    [
      ['U+1FFFFF as f7 bf bf bf', hex('f7bfbfbf'), false],
      ['5 bytes fb bf bf bf bf', hex('fbbfbfbfbf'), false],
      ['6 bytes fd bf bf bf bf bf', hex('fdbfbfbfbfbf'), false],
    ],
  ],
  [
    'other boundaries',
    [
      ['U+D7FF', codePoint(0xd7ff), true],
      ['U+E000', codePoint(0xe000), true],
      ['U+FFFD', codePoint(0xfffd), true],
      ['U+10FFFF', codePoint(0x10ffff), true],
      ['U+110000 as f4 90 80 80', hex('f4908080'), false],
    ],
  ],
  [
    'unexpected continuation bytes',
    [
      ['80', hex('80'), false],
      ['bf', hex('bf'), false],
      ['80 bf', hex('80bf'), false],
      ['80 bf 80', hex('80bf80'), false],
      ['80 bf 80 bf', hex('80bf80bf'), false],
      ['80 bf 80 bf 80', hex('80bf80bf80'), false],
      ['80 bf 80 bf 80 bf', hex('80bf80bf80bf'), false],
      ['every continuation byte 80-bf', byteRun(0x80, 0xbf), false],
    ],
  ],
  [
    'lonely start bytes, each followed by a space',
    [
      ['2-byte starts c0-df', byteRun(0xc0, 0xdf, [0x20]), false],
      ['3-byte starts e0-ef', byteRun(0xe0, 0xef, [0x20]), false],
      ['4-byte starts f0-f7', byteRun(0xf0, 0xf7, [0x20]), false],
      ['5-byte starts f8-fb', byteRun(0xf8, 0xfb, [0x20]), false],
      ['6-byte starts fc-fd', byteRun(0xfc, 0xfd, [0x20]), false],
    ],
  ],
  [
    'sequences missing their last continuation byte',
    truncatedSequences().map((bytes): [string, Buffer, boolean] => [bytes.toString('hex'), bytes, false]),
  ],
  ['all of those, concatenated', [['10 truncated sequences in a row', Buffer.concat(truncatedSequences()), false]]],
  [
    'impossible bytes',
    [
      ['fe', hex('fe'), false],
      ['ff', hex('ff'), false],
      ['fe fe ff ff', hex('fefeffff'), false],
    ],
  ],
  ['overlong "/"', ['c0af', 'e080af', 'f08080af', 'f8808080af', 'fc80808080af'].map((h): [string, Buffer, boolean] => [h, hex(h), false])],
  [
    'the largest overlong sequences',
    ['c1bf', 'e09fbf', 'f08fbfbf', 'f887bfbfbf', 'fc83bfbfbfbf'].map((h): [string, Buffer, boolean] => [h, hex(h), false]),
  ],
  ['overlong NUL', ['c080', 'e08080', 'f0808080', 'f880808080', 'fc8080808080'].map((h): [string, Buffer, boolean] => [h, hex(h), false])],
  [
    'single UTF-16 surrogates',
    [0xd800, 0xdb7f, 0xdb80, 0xdbff, 0xdc00, 0xdf80, 0xdfff].map((s): [string, Buffer, boolean] => [label(s), surrogate(s), false]),
  ],
  [
    'paired UTF-16 surrogates',
    [0xd800, 0xdb7f, 0xdb80, 0xdbff].flatMap((high) =>
      [0xdc00, 0xdfff].map((low): [string, Buffer, boolean] => [
        `${label(high)} ${label(low)}`,
        Buffer.concat([surrogate(high), surrogate(low)]),
        false,
      ]),
    ),
  ],
  [
    'noncharacters (valid UTF-8)',
    Array.from({ length: 17 }, (_, plane) => [plane * 0x10000 + 0xfffe, plane * 0x10000 + 0xffff])
      .flat()
      .map((cp): [string, Buffer, boolean] => [label(cp), codePoint(cp), true]),
  ],
  [
    'Unicode specials',
    [0xfff9, 0xfffa, 0xfffb, 0xfffc, 0xfffd, 0xfffe, 0xffff].map((cp): [string, Buffer, boolean] => [label(cp), codePoint(cp), true]),
  ],
];

/** Kuhn's §3.3: the 2- to 6-byte forms of U+0000 and of the last code point of each length, cut short. */
function truncatedSequences(): Buffer[] {
  return ['c0', 'e080', 'f08080', 'f8808080', 'fc80808080', 'df', 'efbf', 'f7bfbf', 'fbbfbfbf', 'fdbfbfbfbf'].map(hex);
}

/** A surrogate code point encoded as if it were a scalar value (3 bytes, ED A0-BF xx): never valid. */
function surrogate(value: number): Buffer {
  return Buffer.from([0xe0 | (value >> 12), 0x80 | ((value >> 6) & 0x3f), 0x80 | (value & 0x3f)]);
}

/** Every sequence, numbered as Autobahn does: group g (from 6.5 on), then its place in the group. */
export const UTF8_SEQUENCES: Utf8Sequence[] = GROUPS.flatMap(([title, sequences], g) =>
  sequences.map(([what, bytes, valid], i) => ({ n: `6.${g + 5}.${i + 1}`, what: `${title}: ${what}`, bytes, valid })),
);
