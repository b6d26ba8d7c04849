/**
 * The call's layouts as pure decisions: how many tiles a page holds for a viewport, which
 * participants a page shows (recent speakers first), who is shown large in speaker view, and
 * which peers are out of sight (their video is paused in a room carried by an SFU).
 * @module
 */

/** How the call shows its participants: a paged grid, or one large tile above a strip. */
export type CallLayout = 'grid' | 'speaker';

/** The width and height of the window, in CSS pixels. */
export interface Viewport {
  readonly width: number;
  readonly height: number;
}

/** The most tiles a page may hold (a room holds up to 50 people). */
export const MAX_TILES_PER_PAGE = 50;

/**
 * How many tiles one page of the grid holds on `viewport`: 4 on a phone (either side under
 * 600 px), 16 on a wide screen (at least 1600 by 900), else 9 (a laptop or a tablet).
 */
export function gridPageSize(viewport: Viewport): number {
  if (Math.min(viewport.width, viewport.height) < 600) return 4;
  if (viewport.width >= 1600 && viewport.height >= 900) return 16;
  return 9;
}

/**
 * How many small tiles one page of the speaker view's strip holds on `viewport`: 3 on a
 * phone, 8 on a wide screen, else 5.
 */
export function stripPageSize(viewport: Viewport): number {
  if (Math.min(viewport.width, viewport.height) < 600) return 3;
  if (viewport.width >= 1600 && viewport.height >= 900) return 8;
  return 5;
}

/**
 * The page size asked for by the address's `tiles` search parameter (`/r/<id>?tiles=2`), or
 * null without a valid one (an integer from 1 to {@link MAX_TILES_PER_PAGE}). It overrides
 * both the grid's and the strip's page size: end-to-end tests use it to page a small room.
 */
export function pageSizeOverride(search: string): number | null {
  const raw = new URLSearchParams(search).get('tiles');
  if (raw === null || !/^\d{1,2}$/.test(raw)) return null;
  const size = Number(raw);
  return size >= 1 && size <= MAX_TILES_PER_PAGE ? size : null;
}

/**
 * Updates who spoke most recently (most recent first) with the speakers an `active-speakers`
 * event names: those who just started speaking (not in `previous`) move to the front, in the
 * event's order; those who go on speaking keep their place, so tiles do not shuffle while two
 * people talk at once.
 */
export function updateSpeakerHistory(history: readonly string[], previous: readonly string[], current: readonly string[]): string[] {
  const ongoing = new Set(previous);
  const started = current.filter((id) => !ongoing.has(id));
  const moved = new Set(started);
  return [...started, ...history.filter((id) => !moved.has(id))];
}

/**
 * Everyone in the order pages show them: ourselves first when we are in the list, then those
 * who spoke, most recent first, then the rest in join order. `participants` are in join
 * order; ids in `recentSpeakers` that are not among them are ignored.
 */
export function speakersFirst(participants: readonly string[], recentSpeakers: readonly string[], selfId: string | null): string[] {
  const present = new Set(participants);
  const speakers = recentSpeakers.filter((id) => present.has(id) && id !== selfId);
  const placed = new Set(speakers);
  const self = selfId !== null && present.has(selfId) ? [selfId] : [];
  if (selfId !== null) placed.add(selfId);
  return [...self, ...speakers, ...participants.filter((id) => !placed.has(id))];
}

/** One page of a paged list. */
export interface Page<T> {
  /** What this page shows. */
  readonly items: T[];
  /** The page shown, from 0 (clamped to the pages there are). */
  readonly index: number;
  /** How many pages there are (at least 1). */
  readonly count: number;
}

/** Page `index` of `items`, `size` per page; an index past the end shows the last page. */
export function pageOf<T>(items: readonly T[], size: number, index: number): Page<T> {
  const perPage = Math.max(1, Math.floor(size));
  const count = Math.max(1, Math.ceil(items.length / perPage));
  const shown = Math.min(Math.max(0, Math.floor(index)), count - 1);
  return { items: items.slice(shown * perPage, (shown + 1) * perPage), index: shown, count };
}

/**
 * The ordering of the grid: when everyone fits on one page it stays the join order (with
 * ourselves first), so tiles do not move each time someone speaks; when the grid pages,
 * recent speakers are pulled onto the first page ({@link speakersFirst}).
 */
export function gridOrder(participants: readonly string[], recentSpeakers: readonly string[], selfId: string | null, pageSize: number): string[] {
  return speakersFirst(participants, participants.length > pageSize ? recentSpeakers : [], selfId);
}

/** What decides who is shown large in speaker view. */
export interface FeaturedChoice {
  /** Everyone, ourselves included, in join order. */
  readonly participants: readonly string[];
  readonly selfId: string | null;
  /** Who spoke, most recent first. */
  readonly recentSpeakers: readonly string[];
  /** The participant the user pinned, if any. */
  readonly pinned: string | null;
}

/**
 * Who speaker view shows large: the pinned participant while present, else the latest
 * speaker still present, else the first other participant, else ourselves (alone), else
 * nobody.
 */
export function featuredParticipant({ participants, selfId, recentSpeakers, pinned }: FeaturedChoice): string | null {
  const present = new Set(participants);
  if (pinned !== null && present.has(pinned)) return pinned;
  const speaker = recentSpeakers.find((id) => present.has(id) && id !== selfId);
  if (speaker !== undefined) return speaker;
  return participants.find((id) => id !== selfId) ?? participants[0] ?? null;
}

/** What one layout decision shows. */
export interface LayoutPlan {
  /** Who is shown large (speaker view only), else null. */
  readonly featured: string | null;
  /** The tiles on screen, in order (the featured one first). */
  readonly shown: string[];
  /** Everyone, in the order the tiles are laid out (the shown ones first). */
  readonly order: string[];
  /** The page of the grid, or of the speaker view's strip. */
  readonly page: number;
  readonly pageCount: number;
  /** How many tiles a page holds (of the grid, or of the strip). */
  readonly pageSize: number;
}

/** Everything a layout is decided from. */
export interface LayoutInput extends FeaturedChoice {
  readonly layout: CallLayout;
  /** Tiles per page: of the grid, or of the speaker view's strip of small tiles. */
  readonly pageSize: number;
  /** The page the user is on. */
  readonly page: number;
}

/** Decides what the call shows: which tiles, in what order, on which page. */
export function planLayout(input: LayoutInput): LayoutPlan {
  if (input.layout === 'grid') {
    const order = gridOrder(input.participants, input.recentSpeakers, input.selfId, input.pageSize);
    const page = pageOf(order, input.pageSize, input.page);
    return withRest({ featured: null, shown: page.items, page: page.index, pageCount: page.count, pageSize: input.pageSize }, order);
  }
  const featured = featuredParticipant(input);
  const strip = speakersFirst(input.participants, input.recentSpeakers, input.selfId).filter((id) => id !== featured);
  const page = pageOf(strip, input.pageSize, input.page);
  const shown = featured === null ? page.items : [featured, ...page.items];
  return withRest({ featured, shown, page: page.index, pageCount: page.count, pageSize: input.pageSize }, [
    ...(featured === null ? [] : [featured]),
    ...strip,
  ]);
}

function withRest(plan: Omit<LayoutPlan, 'order'>, everyone: readonly string[]): LayoutPlan {
  const shown = new Set(plan.shown);
  return { ...plan, order: [...plan.shown, ...everyone.filter((id) => !shown.has(id))] };
}

/**
 * The participants whose tiles are off screen (hidden, not unmounted): each remote one's tile
 * reports `setTileSize(id, null)`, so a room carried by an SFU stops sending us their video.
 */
export function offScreen(participants: readonly string[], shown: readonly string[]): string[] {
  const visible = new Set(shown);
  return participants.filter((id) => !visible.has(id));
}
