import { describe, expect, it } from 'vitest';
import { CandidateBuffer, decideOnDescription, isPolite, type NegotiationState } from './negotiation.js';

const stable: NegotiationState = { makingOffer: false, signalingState: 'stable', settingRemoteAnswer: false, polite: false };

describe('isPolite', () => {
  it('makes exactly one side of a pair polite', () => {
    expect(isPolite('aaa', 'bbb')).not.toBe(isPolite('bbb', 'aaa'));
    expect(isPolite('Zx', 'ab')).not.toBe(isPolite('ab', 'Zx'));
  });
});

describe('decideOnDescription', () => {
  it('accepts any answer', () => {
    expect(decideOnDescription('answer', { ...stable, signalingState: 'have-local-offer' })).toBe('accept');
  });

  it('accepts an offer when stable and not making one', () => {
    expect(decideOnDescription('offer', stable)).toBe('accept');
    expect(decideOnDescription('offer', { ...stable, polite: true })).toBe('accept');
  });

  it('treats an offer while making our own as a collision', () => {
    const state = { ...stable, makingOffer: true };
    expect(decideOnDescription('offer', state)).toBe('ignore');
    expect(decideOnDescription('offer', { ...state, polite: true })).toBe('rollback-and-accept');
  });

  it('treats an offer while our offer is outstanding as a collision', () => {
    const state: NegotiationState = { ...stable, signalingState: 'have-local-offer' };
    expect(decideOnDescription('offer', state)).toBe('ignore');
    expect(decideOnDescription('offer', { ...state, polite: true })).toBe('rollback-and-accept');
  });

  it('accepts an offer that arrives while our answer is being applied', () => {
    const state: NegotiationState = { ...stable, signalingState: 'have-local-offer', settingRemoteAnswer: true };
    expect(decideOnDescription('offer', state)).toBe('accept');
  });
});

describe('CandidateBuffer', () => {
  it('drains what was pushed, in order, once', () => {
    const buffer = new CandidateBuffer();
    buffer.push({ candidate: 'a' });
    buffer.push({ candidate: 'b' });
    expect(buffer.drain()).toEqual([{ candidate: 'a' }, { candidate: 'b' }]);
    expect(buffer.size).toBe(0);
    expect(buffer.drain()).toEqual([]);
  });

  it('drops candidates past its limit', () => {
    const buffer = new CandidateBuffer(2);
    expect(buffer.push({ candidate: 'a' })).toBe(true);
    expect(buffer.push({ candidate: 'b' })).toBe(true);
    expect(buffer.push({ candidate: 'c' })).toBe(false);
    expect(buffer.size).toBe(2);
  });
});
