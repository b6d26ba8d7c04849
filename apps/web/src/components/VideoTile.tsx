/** One participant's tile in the call grid: video (or an avatar), name and media indicators. */
import type { CSSProperties, ReactElement } from 'react';
import type { ConnectionQuality } from '@ponte/client';
import type { ParticipantView } from '../hooks/useRoom.js';
import { useStreamBinding } from '../hooks/useStreamBinding.js';
import { useTileSize, type TileSizeSink } from '../hooks/useTileSize.js';
import { CameraIcon, MicrophoneIcon, ScreenIcon, SpeakingIcon } from './icons.js';

const CONNECTION_LABELS: Record<RTCPeerConnectionState, string> = {
  new: 'Connecting…',
  connecting: 'Connecting…',
  connected: 'Connected',
  disconnected: 'Reconnecting…',
  failed: 'Connection failed',
  closed: 'Disconnected',
};

/** Words for a peer connection state, as shown on tiles. */
export function describeConnection(state: RTCPeerConnectionState): string {
  return CONNECTION_LABELS[state];
}

/** The letter shown in place of a video that is off. */
function initialOf(name: string): string {
  const first = name.trim().codePointAt(0);
  return first === undefined ? '?' : String.fromCodePoint(first).toUpperCase();
}

/** Props of {@link VideoTile}. */
export interface VideoTileProps {
  readonly participant: ParticipantView;
  /** How good the connection to this peer is (remote tiles only). */
  readonly quality?: ConnectionQuality | undefined;
  /**
   * Whether the tile is on screen (default true). A tile not shown stays mounted, `hidden`,
   * so the peer's audio goes on playing and the `<video>` element is the same when it returns.
   */
  readonly shown?: boolean;
  /** Whether this participant speaks now: a ring around the tile and a "Speaking" indicator. */
  readonly speaking?: boolean;
  /** Shown large (speaker view's main tile) or small (its strip); undefined in the grid. */
  readonly size?: 'large' | 'small' | undefined;
  /** Where a remote tile reports the size its video is shown at (`room.setTileSize`). */
  readonly sizeSink?: TileSizeSink | null;
  /**
   * Makes the tile pinnable (speaker view): a toggle button over the whole tile, named
   * "Pin <name>", pressed while pinned, calls `onToggle`.
   */
  readonly pin?: { readonly pinned: boolean; readonly onToggle: () => void } | undefined;
  /** Where the layout places the tile (speaker view's strip sets its grid columns). */
  readonly style?: CSSProperties | undefined;
}

const QUALITY_BARS: Record<ConnectionQuality, number> = { good: 3, fair: 2, poor: 1, unknown: 0 };

/** Three bars, as many lit as the quality deserves. */
function QualityIndicator({ quality }: { readonly quality: ConnectionQuality }): ReactElement {
  const lit = QUALITY_BARS[quality];
  return (
    <span role="img" aria-label={`Connection quality: ${quality}`} className={`indicator indicator--quality quality--${quality}`}>
      {[1, 2, 3].map((bar) => (
        <span key={bar} className={`quality-bar quality-bar--${bar}${bar <= lit ? ' quality-bar--lit' : ''}`} />
      ))}
    </span>
  );
}

/**
 * A participant's tile; its accessible name is exactly the participant's display name (the
 * speaking state is an indicator inside it, so the name does not change as people talk).
 */
export function VideoTile(props: VideoTileProps): ReactElement {
  const { participant, quality, shown = true, speaking = false, size, sizeSink = null, pin, style } = props;
  const { id, name, state, stream, connectionState, isLocal, trackKey } = participant;
  const videoRef = useStreamBinding(stream, trackKey);
  useTileSize(isLocal ? null : sizeSink, id, shown, videoRef);
  const hasVideoTrack = stream?.getVideoTracks().some((track) => track.readyState === 'live') ?? false;
  const showsVideo = (state.video || state.screen) && hasVideoTrack;
  const videoClass = [
    'tile-video',
    state.screen ? 'tile-video--contain' : 'tile-video--cover',
    isLocal && !state.screen ? 'tile-video--mirrored' : '',
    showsVideo ? '' : 'tile-video--hidden',
  ].join(' ');

  return (
    <div
      role="group"
      aria-label={name}
      data-peer-id={id}
      data-local={isLocal ? 'true' : 'false'}
      data-speaking={speaking ? 'true' : 'false'}
      data-tile-size={size}
      hidden={!shown}
      style={style}
      className={['tile', state.screen ? 'tile--screen' : '', speaking ? 'tile--speaking' : '', size ? `tile--${size}` : '']
        .filter(Boolean)
        .join(' ')}
    >
      {/* The element stays mounted while the camera is off: it also plays the peer's audio. */}
      <video ref={videoRef} className={videoClass} autoPlay playsInline muted={isLocal} />
      {showsVideo ? null : (
        <div className="tile-avatar" aria-hidden="true">
          <span className="tile-avatar-initial">{initialOf(name)}</span>
        </div>
      )}
      {connectionState === 'connected' ? null : (
        <p className="tile-connection" data-connection-state={connectionState}>
          {describeConnection(connectionState)}
        </p>
      )}
      <div className="tile-footer">
        <span className="tile-name">{isLocal ? `${name} (you)` : name}</span>
        <span className="tile-indicators">
          {speaking ? (
            <span role="img" aria-label="Speaking" className="indicator indicator--speaking">
              <SpeakingIcon />
            </span>
          ) : null}
          {isLocal || quality === undefined || quality === 'unknown' ? null : <QualityIndicator quality={quality} />}
          {state.screen ? (
            <span role="img" aria-label="Sharing screen" className="indicator indicator--screen">
              <ScreenIcon />
            </span>
          ) : null}
          {state.audio ? null : (
            <span role="img" aria-label="Microphone off" className="indicator indicator--off">
              <MicrophoneIcon off />
            </span>
          )}
          {state.video ? null : (
            <span role="img" aria-label="Camera off" className="indicator indicator--off">
              <CameraIcon off />
            </span>
          )}
        </span>
      </div>
      {pin ? (
        <button type="button" className="tile-pin" aria-pressed={pin.pinned} onClick={pin.onToggle}>
          <span className="visually-hidden">Pin {name}</span>
        </button>
      ) : null}
    </div>
  );
}
