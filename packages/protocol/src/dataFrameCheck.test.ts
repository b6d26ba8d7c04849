import { describe, expect, it } from 'vitest';
import { isTransferId } from './dataFrameCheck.js';
import { FileEndFrameSchema, PeerFrameSchema, TransferIdSchema } from './dataFrames.js';
import { CANCEL_REASONS, CHUNK_SIZE_BOUNDS, FILE_NAME_LENGTH, FILE_TYPE_LENGTH } from './limits.js';
import { parseFileEndFrame, parsePeerFrame } from './parse.js';
import { expectAgreement, expectFuzzAgreement, expectLimit, long, NOT_FRAMES, verdicts as verdictsOf, type Random } from './testing/frameFuzz.js';

// parsePeerFrame and parseFileEndFrame check by hand what PeerFrameSchema and FileEndFrameSchema
// (zod) check: these tests hold them to the same verdict, the same frame out, the same `ref` and
// the same place named in a refusal, on thousands of frames, valid and not.

const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const transferId = (r: Random) => r.pick(['a', 'abc_DEF-1', '0123456789abcdef0123456789abcdef', long(64)]);

/** A valid frame of each data frame type. */
const FRAMES: Record<string, (r: Random) => Record<string, unknown>> = {
  msg: (r) => ({ t: 'msg', data: r.pick([null, 0, 'hi', '', [1, 'b', null], { text: 'hi', at: 1 }, { t: 'msg' }, false]) }),
  'file-offer': (r) => ({
    t: 'file-offer',
    id: transferId(r),
    name: r.pick(['report.pdf', 'x', long(FILE_NAME_LENGTH), '../etc/passwd']),
    size: r.pick([0, 1, 65_536, Number.MAX_SAFE_INTEGER]),
    type: r.pick(['', 'application/pdf', long(FILE_TYPE_LENGTH)]),
    chunkSize: r.pick([CHUNK_SIZE_BOUNDS.min, 65_536, CHUNK_SIZE_BOUNDS.max]),
  }),
  answer: (r) => ({ t: r.pick(['file-accept', 'file-decline']), id: transferId(r) }),
  'file-cancel': (r) => ({ t: 'file-cancel', id: transferId(r), reason: r.pick(CANCEL_REASONS) }),
  'file-received': (r) => ({ t: 'file-received', id: transferId(r) }),
};

/** The data protocol's own odd values and lengths, for the mutations. */
const EXTRAS = {
  values: [
    'msg',
    'file-offer',
    'file-accept',
    'file-decline',
    'file-cancel',
    'file-received',
    'file-end',
    ...CANCEL_REASONS,
    'because',
    'a/b',
    '../etc',
    'ab cd',
    SHA,
    SHA.toUpperCase(),
    `${SHA}0`,
    CHUNK_SIZE_BOUNDS.min - 1,
    CHUNK_SIZE_BOUNDS.max + 1,
    65_536.5,
    -1e-9,
    undefined,
  ],
  lengths: [FILE_NAME_LENGTH, FILE_TYPE_LENGTH, 64],
};

const peerVerdicts = (text: string) => verdictsOf(parsePeerFrame, PeerFrameSchema, text);
const endVerdicts = (text: string) => verdictsOf(parseFileEndFrame, FileEndFrameSchema, text);

const offer = (fields: Record<string, unknown>) => ({ t: 'file-offer', id: 'a', name: 'x', size: 10, type: '', chunkSize: 65_536, ...fields });

describe('parsePeerFrame (hand-written checks) against PeerFrameSchema (zod)', () => {
  it('gives the same verdict and the same frame on thousands of valid and mutated frames', () => {
    expectFuzzAgreement(peerVerdicts, 20261122, FRAMES, EXTRAS);
  });

  it.each([
    ['a message of JSON data', { t: 'msg', data: { a: [1, 'b', null] } }, true],
    ['a message of null', { t: 'msg', data: null }, true],
    ['a message without data', { t: 'msg' }, false],
    ['a message with an extra key', { t: 'msg', data: 1, from: 'p1' }, false],
    ['an accept', { t: 'file-accept', id: 'abc' }, true],
    ['an accept of a path', { t: 'file-accept', id: '../etc' }, false],
    ['an accept of an empty id', { t: 'file-accept', id: '' }, false],
    ['a decline with a reason', { t: 'file-decline', id: 'a', reason: 'cancelled' }, false],
    ['a cancel for an unknown reason', { t: 'file-cancel', id: 'a', reason: 'because' }, false],
    ['a cancel without a reason', { t: 'file-cancel', id: 'a' }, false],
    ['an offer of a fractional size', offer({ size: 1.5 }), false],
    ['an offer of a negative size', offer({ size: -1 }), false],
    ['an offer of an unsafe integer size', offer({ size: 2 ** 53 }), false],
    ['an offer of an empty name', offer({ name: '' }), false],
    ['an offer of a fractional chunk size', offer({ chunkSize: 65_536.5 }), false],
    ['an offer without a type', offer({ type: undefined }), false],
    ['a received with an extra key', { t: 'file-received', id: 'a', sha256: SHA }, false],
    ['a file end on the message channel', { t: 'file-end', sha256: SHA }, false],
    ['a tag inherited from Object.prototype', { t: 'toString' }, false],
    ['a signaling frame', { type: 'signal', to: 'p1' }, false],
    ...NOT_FRAMES,
  ])('agrees on %s', (_label, frame, ok) => {
    expectAgreement(peerVerdicts, JSON.stringify(frame), ok);
  });

  const BOUNDS: [string, number, (n: number) => unknown][] = [
    ['file name', FILE_NAME_LENGTH, (n) => offer({ name: long(n) })],
    ['media type', FILE_TYPE_LENGTH, (n) => offer({ type: long(n) })],
    ['transfer id', 64, (n) => ({ t: 'file-received', id: long(n) })],
    ['chunk size', CHUNK_SIZE_BOUNDS.max, (n) => offer({ chunkSize: n })],
    ['size', Number.MAX_SAFE_INTEGER, (n) => offer({ size: n })],
  ];
  it.each(BOUNDS)('agrees that a %s may be %i and no more', (_field, limit, frame) => {
    expectLimit(peerVerdicts, limit, frame);
  });

  it('agrees that a chunk size may be as small as the bound and no smaller', () => {
    expectAgreement(peerVerdicts, JSON.stringify(offer({ chunkSize: CHUNK_SIZE_BOUNDS.min })), true);
    expectAgreement(peerVerdicts, JSON.stringify(offer({ chunkSize: CHUNK_SIZE_BOUNDS.min - 1 })), false);
  });

  it('agrees on a __proto__ key, which JSON.parse makes an own key', () => {
    expectAgreement(peerVerdicts, '{"t":"file-accept","id":"a","__proto__":{"id":"b"}}', false);
    expectAgreement(peerVerdicts, '{"t":"msg","data":{"__proto__":{"polluted":true}}}', true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('says where a refused frame is wrong', () => {
    expect(parsePeerFrame('{"t":"file-cancel","id":"a","reason":"because"}')).toEqual({
      ok: false,
      message: 'invalid frame at reason: expected one of cancelled | left | integrity | bad-data',
    });
    expect(parsePeerFrame('nope')).toEqual({ ok: false, message: 'frame is not valid JSON' });
  });
});

describe('parseFileEndFrame (hand-written checks) against FileEndFrameSchema (zod)', () => {
  it.each([
    ['a digest', { t: 'file-end', sha256: SHA }, true],
    ['an upper-case digest', { t: 'file-end', sha256: SHA.toUpperCase() }, false],
    ['a digest one digit short', { t: 'file-end', sha256: SHA.slice(1) }, false],
    ['a digest one digit long', { t: 'file-end', sha256: `${SHA}0` }, false],
    ['a digest that is a number', { t: 'file-end', sha256: 5 }, false],
    ['no digest', { t: 'file-end' }, false],
    ['an extra key', { t: 'file-end', sha256: SHA, size: 3 }, false],
    ['another tag', { t: 'file-received', sha256: SHA }, false],
    ['a __proto__ key', JSON.parse(`{"t":"file-end","sha256":"${SHA}","__proto__":{}}`) as unknown, false],
    ...NOT_FRAMES,
  ])('agrees on %s', (_label, frame, ok) => {
    expectAgreement(endVerdicts, JSON.stringify(frame), ok);
  });
});

describe('isTransferId against TransferIdSchema (zod)', () => {
  it.each(['a', 'abc_DEF-1', long(64), long(65), '', 'a/b', 'a b', '../etc', 'é', '__proto__'])('agrees on %j', (id) => {
    expect(isTransferId(id)).toBe(TransferIdSchema.safeParse(id).success);
  });
});
