import { describe, expect, it } from 'vitest';
import {
  featuredParticipant,
  gridOrder,
  gridPageSize,
  pageOf,
  pageSizeOverride,
  offScreen,
  planLayout,
  speakersFirst,
  stripPageSize,
  updateSpeakerHistory,
} from './layout.js';

const ROOM = ['me', 'a', 'b', 'c', 'd', 'e', 'f'];

describe('page sizes', () => {
  it('holds 4 tiles on a phone, 9 on a laptop, 16 on a wide screen', () => {
    expect(gridPageSize({ width: 360, height: 740 })).toBe(4);
    expect(gridPageSize({ width: 740, height: 360 })).toBe(4);
    expect(gridPageSize({ width: 1280, height: 720 })).toBe(9);
    expect(gridPageSize({ width: 960, height: 600 })).toBe(9);
    expect(gridPageSize({ width: 1920, height: 1080 })).toBe(16);
    expect(gridPageSize({ width: 1920, height: 800 })).toBe(9);
    expect(stripPageSize({ width: 360, height: 740 })).toBe(3);
    expect(stripPageSize({ width: 1280, height: 720 })).toBe(5);
    expect(stripPageSize({ width: 1920, height: 1080 })).toBe(8);
  });

  it('reads a page size from ?tiles= only when it is a whole number from 1 to 50', () => {
    expect(pageSizeOverride('?tiles=2')).toBe(2);
    expect(pageSizeOverride('?x=1&tiles=50')).toBe(50);
    expect(pageSizeOverride('')).toBeNull();
    for (const bad of ['?tiles=0', '?tiles=51', '?tiles=-1', '?tiles=2.5', '?tiles=abc', '?tiles=']) expect(pageSizeOverride(bad)).toBeNull();
  });
});

describe('speaker history', () => {
  it('puts new speakers first and keeps the place of those who go on speaking', () => {
    let history = updateSpeakerHistory([], [], ['b']);
    expect(history).toEqual(['b']);
    history = updateSpeakerHistory(history, ['b'], ['c', 'b']);
    expect(history).toEqual(['c', 'b']);
    // b goes on speaking and is now the loudest: no reshuffle.
    history = updateSpeakerHistory(history, ['c', 'b'], ['b', 'c']);
    expect(history).toEqual(['c', 'b']);
    // Silence keeps the history; b speaks again after a pause: first.
    history = updateSpeakerHistory(history, ['b', 'c'], []);
    history = updateSpeakerHistory(history, [], ['b']);
    expect(history).toEqual(['b', 'c']);
  });
});

describe('page contents', () => {
  it('orders ourselves, then recent speakers, then the rest in join order; ignores speakers who left', () => {
    expect(speakersFirst(ROOM, ['e', 'gone', 'c'], 'me')).toEqual(['me', 'e', 'c', 'a', 'b', 'd', 'f']);
    expect(speakersFirst(['a', 'b'], ['b'], null)).toEqual(['b', 'a']);
  });

  it('keeps join order when everyone fits on one page, pulls speakers forward when it pages', () => {
    expect(gridOrder(ROOM, ['f'], 'me', 9)).toEqual(ROOM);
    expect(gridOrder(ROOM, ['f'], 'me', 4)).toEqual(['me', 'f', 'a', 'b', 'c', 'd', 'e']);
  });

  it('pages, clamping a page past the end to the last one', () => {
    expect(pageOf(ROOM, 3, 0)).toEqual({ items: ['me', 'a', 'b'], index: 0, count: 3 });
    expect(pageOf(ROOM, 3, 2)).toEqual({ items: ['f'], index: 2, count: 3 });
    expect(pageOf(ROOM, 3, 7)).toEqual({ items: ['f'], index: 2, count: 3 });
    expect(pageOf([], 4, 1)).toEqual({ items: [], index: 0, count: 1 });
  });

  it('shows a speaker from a later page on the first page of the grid', () => {
    const plan = planLayout({ layout: 'grid', participants: ROOM, selfId: 'me', recentSpeakers: ['f'], pinned: null, pageSize: 4, page: 0 });
    expect(plan.shown).toEqual(['me', 'f', 'a', 'b']);
    expect(plan.pageCount).toBe(2);
    expect(plan.order).toEqual(['me', 'f', 'a', 'b', 'c', 'd', 'e']);
    const second = planLayout({ layout: 'grid', participants: ROOM, selfId: 'me', recentSpeakers: ['f'], pinned: null, pageSize: 4, page: 1 });
    expect(second.shown).toEqual(['c', 'd', 'e']);
    expect(second.featured).toBeNull();
  });
});

describe('out of sight', () => {
  it('names everyone not on the page shown, ourselves too', () => {
    const plan = planLayout({ layout: 'grid', participants: ROOM, selfId: 'me', recentSpeakers: [], pinned: null, pageSize: 4, page: 1 });
    expect(plan.shown).toEqual(['d', 'e', 'f']);
    expect(offScreen(ROOM, plan.shown)).toEqual(['me', 'a', 'b', 'c']);
    expect(offScreen(ROOM, ROOM)).toEqual([]);
  });

  it('in speaker view, hides the strip pages not shown', () => {
    const plan = planLayout({ layout: 'speaker', participants: ROOM, selfId: 'me', recentSpeakers: ['c'], pinned: null, pageSize: 3, page: 0 });
    expect(plan.featured).toBe('c');
    expect(plan.shown).toEqual(['c', 'me', 'a', 'b']);
    expect(offScreen(ROOM, plan.shown)).toEqual(['d', 'e', 'f']);
  });
});

describe('speaker view', () => {
  const choice = { participants: ROOM, selfId: 'me', recentSpeakers: [] as string[], pinned: null };

  it('shows the first other participant before anyone spoke, ourselves when alone', () => {
    expect(featuredParticipant(choice)).toBe('a');
    expect(featuredParticipant({ ...choice, participants: ['me'] })).toBe('me');
    expect(featuredParticipant({ ...choice, participants: [] })).toBeNull();
  });

  it('shows the latest speaker still here, and a pinned participant above all', () => {
    expect(featuredParticipant({ ...choice, recentSpeakers: ['gone', 'd', 'b'] })).toBe('d');
    expect(featuredParticipant({ ...choice, recentSpeakers: ['d'], pinned: 'e' })).toBe('e');
    expect(featuredParticipant({ ...choice, recentSpeakers: ['d'], pinned: 'me' })).toBe('me');
    // A pinned participant who left no longer counts.
    expect(featuredParticipant({ ...choice, recentSpeakers: ['d'], pinned: 'gone' })).toBe('d');
  });

  it('lists everyone else in the strip, the featured one once', () => {
    const plan = planLayout({ ...choice, layout: 'speaker', pinned: 'b', pageSize: 50, page: 0 });
    expect(plan.shown).toEqual(['b', 'me', 'a', 'c', 'd', 'e', 'f']);
    expect(new Set(plan.order).size).toBe(ROOM.length);
    expect(plan.pageCount).toBe(1);
  });
});
