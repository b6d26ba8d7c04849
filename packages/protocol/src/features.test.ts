import { describe, expect, it } from 'vitest';
import { announcedFeatures, commonFeatures, FEATURES, featuresAnswer, MINOR_0_FEATURES } from './features.js';
import { isSupportedVersion, PROTOCOL_MINOR, PROTOCOL_VERSION } from './version.js';

describe('commonFeatures', () => {
  it('keeps what both sides list, in the order of ours, each once', () => {
    expect(commonFeatures(['resume', 'sfu', 'spatial'], ['spatial', 'holo', 'resume', 'resume'])).toEqual(['resume', 'spatial']);
    expect(commonFeatures(['resume', 'resume'], ['resume'])).toEqual(['resume']);
  });

  it('leaves out a feature only one side has', () => {
    expect(commonFeatures(FEATURES, ['holo'])).toEqual([]);
    expect(commonFeatures([], FEATURES)).toEqual([]);
  });
});

describe('announcedFeatures', () => {
  it('reads the features a frame lists', () => {
    expect(announcedFeatures({ minor: 1, features: ['sfu'] })).toEqual(['sfu']);
    expect(announcedFeatures({ minor: 1, features: [] })).toEqual([]);
  });

  it('gives a peer of minor 0, which lists none, what every such server did', () => {
    expect(announcedFeatures({})).toBe(MINOR_0_FEATURES);
    expect(announcedFeatures({ minor: 0 })).toEqual(['resume']);
    expect(announcedFeatures({ minor: 2 })).toEqual([]);
  });
});

describe('featuresAnswer', () => {
  it('answers a client that sent a minor or features with our minor and all our features', () => {
    expect(featuresAnswer({ minor: 7, features: ['holo'] }, FEATURES)).toEqual({ minor: PROTOCOL_MINOR, features: [...FEATURES] });
    expect(featuresAnswer({ features: [] }, FEATURES)).toEqual({ minor: PROTOCOL_MINOR, features: [...FEATURES] });
    expect(featuresAnswer({ minor: 0 }, ['resume'])).toEqual({ minor: PROTOCOL_MINOR, features: ['resume'] });
  });

  it('adds nothing for a client of minor 0, so it sees the answer it always saw', () => {
    expect(featuresAnswer({}, FEATURES)).toEqual({});
  });

  it('hands out a copy of our list', () => {
    const own = ['resume'];
    const answer = featuresAnswer({ minor: 1 }, own);
    expect('features' in answer && answer.features).not.toBe(own);
  });
});

describe('isSupportedVersion', () => {
  it('accepts our major and refuses any other', () => {
    expect(isSupportedVersion(PROTOCOL_VERSION)).toBe(true);
    expect(isSupportedVersion(PROTOCOL_VERSION + 1)).toBe(false);
    expect(isSupportedVersion(PROTOCOL_VERSION - 1)).toBe(false);
  });
});
