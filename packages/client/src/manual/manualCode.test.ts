import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PonteError } from '../errors/PonteError.js';
import {
  DEFAULT_MANUAL_CODE_MAX_AGE_MS,
  decodeManualCode,
  encodeManualCode,
  offerFingerprint,
  type ManualCodeProblem,
  type ManualCodeResult,
} from './manualCode.js';
import { detokenizeSdp, tokenizeSdp } from './sdpTokens.js';

/** Real descriptions from Chromium (audio + video + data channel, ICE gathering complete). */
function fixture(name: string): string {
  return readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8').replace(/\r?\n/g, '\r\n');
}
const OFFER = fixture('chromium-offer.sdp');
const ANSWER = fixture('chromium-answer.sdp');
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

function problemOf(result: ManualCodeResult): ManualCodeProblem | 'ok' {
  return result.ok ? 'ok' : result.problem;
}

/** Replaces the character at `index` with another base64url character. */
function flip(code: string, index: number): string {
  const char = code[index] === 'A' ? 'B' : 'A';
  return code.slice(0, index) + char + code.slice(index + 1);
}

describe('manual signaling codes', () => {
  it('round-trips an offer and an answer exactly', async () => {
    const offerCode = await encodeManualCode({ role: 'offer', sdp: OFFER, createdAt: NOW });
    const offer = await decodeManualCode(offerCode, { expectedRole: 'offer', now: NOW + 1000 });
    expect(offer).toEqual({ ok: true, version: 1, content: { role: 'offer', sdp: OFFER, createdAt: NOW } });

    const fingerprint = offerFingerprint(OFFER);
    const answerCode = await encodeManualCode({ role: 'answer', sdp: ANSWER, createdAt: NOW, offer: fingerprint });
    const answer = await decodeManualCode(answerCode, { expectedRole: 'answer', offer: fingerprint, now: NOW });
    expect(answer).toEqual({ ok: true, version: 1, content: { role: 'answer', sdp: ANSWER, createdAt: NOW, offer: fingerprint } });
  });

  it('is URL-safe and much smaller than the SDP of a typical audio+video+data offer', async () => {
    const code = await encodeManualCode({ role: 'offer', sdp: OFFER, createdAt: NOW });
    expect(code).toMatch(/^ponte1\.[A-Za-z0-9_-]+$/);
    console.info(`offer SDP ${OFFER.length} chars -> code ${code.length} chars (${Math.round((100 * code.length) / OFFER.length)}%)`);
    // Measured: 6127 -> about 1,440 characters; a QR code holds up to 2,953 bytes.
    expect(code.length).toBeLessThan(OFFER.length / 3);
    expect(code.length).toBeLessThan(2000);
  });

  it('ignores whitespace and line breaks added by mail or chat apps', async () => {
    const code = await encodeManualCode({ role: 'offer', sdp: OFFER, createdAt: NOW });
    const wrapped = `  ${code.match(/.{1,76}/g)?.join('\n')}\n`;
    expect(problemOf(await decodeManualCode(wrapped, { now: NOW }))).toBe('ok');
  });

  it('tokenizing is lossless, also for text that mixes tokens with other characters', () => {
    const tricky = `${OFFER}a=x-custom:H264rtx a=rtcp-fb: nack pli nack\r\nézü\r\n`;
    expect(detokenizeSdp(tokenizeSdp(tricky))).toBe(tricky);
    expect(tokenizeSdp(OFFER).length).toBeLessThan(OFFER.length / 2);
  });

  describe('refuses bad codes with a typed reason, never an exception', () => {
    let code = '';
    const decodeAs = async (input: string, options = {}) => {
      const result = await decodeManualCode(input, { now: NOW, ...options });
      if (!result.ok) {
        expect(result.error).toBeInstanceOf(PonteError);
        expect(result.error.code).toBe('BAD_CODE');
        expect(result.error.reason).toBe(result.problem);
        expect(result.error.message.length).toBeGreaterThan(10);
      }
      return problemOf(result);
    };

    it('empty', async () => {
      code = await encodeManualCode({ role: 'offer', sdp: OFFER, createdAt: NOW });
      expect(await decodeAs('')).toBe('empty');
      expect(await decodeAs(' \n\t ')).toBe('empty');
    });

    it('truncated: cut anywhere, including inside the prefix and the header', async () => {
      for (const keep of [3, 7, 10, 20, code.length / 2, code.length - 5, code.length - 1]) {
        expect(await decodeAs(code.slice(0, Math.floor(keep))), `kept ${keep}`).toBe('truncated');
      }
    });

    it('garbled: one character changed anywhere, foreign text, invalid characters, extra text', async () => {
      for (const index of [8, 12, 20, Math.floor(code.length / 2), code.length - 3]) {
        expect(await decodeAs(flip(code, index)), `flipped ${index}`).toBe('garbled');
      }
      expect(await decodeAs('hello there')).toBe('garbled');
      expect(await decodeAs('https://example.org/r/abc')).toBe('garbled');
      expect(await decodeAs(`${code.slice(0, 40)}!${code.slice(41)}`)).toBe('garbled');
      expect(await decodeAs(`${code}AAAA`)).toBe('garbled');
      expect(await decodeAs(`${code}${code}`)).toBe('garbled');
    });

    it('wrong-role: an offer where an answer is expected, and the reverse', async () => {
      const answer = await encodeManualCode({ role: 'answer', sdp: ANSWER, createdAt: NOW, offer: 1 });
      expect(await decodeAs(code, { expectedRole: 'answer' })).toBe('wrong-role');
      expect(await decodeAs(answer, { expectedRole: 'offer' })).toBe('wrong-role');
      const result = await decodeManualCode(code, { expectedRole: 'answer', now: NOW });
      expect(result.ok ? '' : result.error.message).toContain('offer code');
    });

    it('stale: older than the default 15 minutes, or a given maximum age', async () => {
      expect(await decodeAs(code, { now: NOW + DEFAULT_MANUAL_CODE_MAX_AGE_MS - 1000 })).toBe('ok');
      expect(await decodeAs(code, { now: NOW + DEFAULT_MANUAL_CODE_MAX_AGE_MS + 1000 })).toBe('stale');
      expect(await decodeAs(code, { now: NOW + 61_000, maxAgeMs: 60_000 })).toBe('stale');
    });

    it('other-offer: an answer made for another offer', async () => {
      const answer = await encodeManualCode({ role: 'answer', sdp: ANSWER, createdAt: NOW, offer: offerFingerprint(OFFER) });
      expect(await decodeAs(answer, { expectedRole: 'answer', offer: offerFingerprint(OFFER) })).toBe('ok');
      expect(await decodeAs(answer, { expectedRole: 'answer', offer: offerFingerprint(`${OFFER} `) })).toBe('other-offer');
    });

    it('unsupported-version: another format number', async () => {
      expect(await decodeAs(code.replace(/^ponte1\./, 'ponte2.'))).toBe('unsupported-version');
      const result = await decodeManualCode(code.replace(/^ponte1\./, 'ponte2.'));
      expect(result.ok ? '' : result.error.message).toContain('newer');
    });

    it('a code whose SDP inflates past the limit', async () => {
      expect(await decodeAs(code, { maxSdpBytes: 1000 })).toBe('garbled');
    });
  });

  it('refuses to encode an SDP too large for a code', async () => {
    await expect(encodeManualCode({ role: 'offer', sdp: OFFER, createdAt: NOW }, 1000)).rejects.toMatchObject({ code: 'BAD_CODE' });
  });
});
