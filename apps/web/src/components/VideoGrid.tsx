/** The call's tiles, laid out as a paged grid or as speaker view (one large tile above a strip). */
import type { CSSProperties, ReactElement } from 'react';
import type { ConnectionQuality } from '@ponte/client';
import type { ParticipantView } from '../hooks/useRoom.js';
import type { TileSizeSink } from '../hooks/useTileSize.js';
import { offScreen, type CallLayout, type LayoutPlan } from '../lib/layout.js';
import { Pager } from './Pager.js';
import { VideoTile } from './VideoTile.js';

/** Props of {@link VideoGrid}. */
export interface VideoGridProps {
  /** Everyone, ourselves included (any order: the plan orders them). */
  readonly participants: readonly ParticipantView[];
  readonly layout: CallLayout;
  /** What to show: from {@link planLayout}. */
  readonly plan: LayoutPlan;
  /** Each remote peer's connection quality, by id. */
  readonly qualities?: ReadonlyMap<string, ConnectionQuality>;
  /** The ids of those speaking now. */
  readonly speaking?: ReadonlySet<string>;
  /** Where remote tiles report the size their video is shown at (`room.setTileSize`). */
  readonly sizeSink?: TileSizeSink | null;
  /** The participant pinned in speaker view, if any. */
  readonly pinned?: string | null;
  /** Pins a participant (or, with null, unpins). */
  readonly onPin?: (id: string | null) => void;
  readonly onPage: (page: number) => void;
}

/**
 * Every participant has one tile, always mounted in the same container and keyed by id: a
 * tile off the page is `hidden` (its audio plays on, its video is paused by the SFU), and a
 * tile that moves between pages or layouts keeps its `<video>` element.
 */
export function VideoGrid(props: VideoGridProps): ReactElement {
  const { layout, plan, qualities, speaking, sizeSink = null, pinned = null, onPin } = props;
  const byId = new Map(props.participants.map((participant) => [participant.id, participant]));
  const hidden = new Set(offScreen(plan.order, plan.shown));
  // The count class lets CSS cap the grid's width for small calls, so one or two tiles do not
  // stretch across a wide screen (speaker view sizes its large tile by the height instead).
  const countClass = layout === 'grid' ? ` video-grid--count-${Math.min(plan.shown.length, 5)}` : '';
  // Speaker view: the strip has two grid columns per small tile a page holds, so a page with
  // fewer tiles is centred by starting it as many columns in as are missing.
  const strip = plan.shown.filter((id) => id !== plan.featured);
  const stripColumns = Math.max(plan.pageSize, strip.length);
  const gridStyle: CSSProperties =
    layout === 'speaker'
      ? { gridTemplateColumns: `repeat(${stripColumns * 2}, minmax(0, 1fr))` }
      : ({ '--columns': Math.max(1, Math.ceil(Math.sqrt(plan.shown.length))) } as CSSProperties);
  return (
    <>
      <section className={`video-grid video-grid--${layout}${countClass}`} style={gridStyle} aria-label="Video">
        {plan.order.map((id) => {
          const participant = byId.get(id);
          if (!participant) return null;
          const large = layout === 'speaker' && id === plan.featured;
          const slot = layout === 'speaker' && !large ? strip.indexOf(id) : -1;
          return (
            <VideoTile
              key={id}
              participant={participant}
              quality={qualities?.get(id)}
              shown={!hidden.has(id)}
              speaking={speaking?.has(id) ?? false}
              size={layout === 'speaker' ? (large ? 'large' : 'small') : undefined}
              sizeSink={sizeSink}
              style={slot >= 0 ? { gridColumn: `${stripColumns - strip.length + slot * 2 + 1} / span 2` } : undefined}
              pin={layout === 'speaker' && onPin ? { pinned: pinned === id, onToggle: () => onPin(pinned === id ? null : id) } : undefined}
            />
          );
        })}
      </section>
      <Pager page={plan.page} count={plan.pageCount} onChange={props.onPage} />
    </>
  );
}
