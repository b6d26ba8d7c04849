/** The call's control bar: microphone, camera, screen share, chat, layout, invite link, leave. */
import type { ReactElement } from 'react';
import type { JoinPermissions, MediaState } from '@ponte/client';
import type { CallLayout } from '../lib/layout.js';
import { CameraIcon, ChatIcon, GridIcon, LeaveIcon, MicrophoneIcon, ScreenIcon, SpeakerLayoutIcon } from './icons.js';
import { InviteLinkButton } from './InviteLinkButton.js';

/** Props of {@link ControlBar}. */
export interface ControlBarProps {
  /** What we are sending now. */
  readonly media: MediaState;
  /** Which toggles are waiting for the SDK (disabled meanwhile, so clicks do not pile up). */
  readonly busy: ReadonlySet<keyof MediaState>;
  readonly onToggleMicrophone: () => void;
  readonly onToggleCamera: () => void;
  readonly onToggleScreenShare: () => void;
  /** Whether the chat panel is open, and how many messages arrived while it was closed. */
  readonly chat: { readonly open: boolean; readonly unread: number };
  readonly onToggleChat: () => void;
  /** The layout of the tiles: the "Speaker view" toggle is pressed in speaker view. */
  readonly layout: CallLayout;
  readonly onToggleLayout: () => void;
  readonly onLeave: () => void;
  /** What our invitation lets us turn on; a forbidden toggle is disabled. */
  readonly permissions: JoinPermissions;
}

interface ToggleProps {
  readonly label: string;
  readonly pressed: boolean;
  readonly busy: boolean;
  readonly onClick: () => void;
  readonly icon: ReactElement;
  /** Whether "not pressed" is a warning state (muted mic, camera off) rather than the norm. */
  readonly offIsWarning: boolean;
  /** Not allowed at all (by the invitation): the button is disabled. */
  readonly disabled?: boolean;
}

/** A toggle button whose accessible name is `label` and whose state is `aria-pressed`. */
function Toggle({ label, pressed, busy, onClick, icon, offIsWarning, disabled = false }: ToggleProps): ReactElement {
  const stateClass = pressed ? 'control--on' : offIsWarning ? 'control--off' : '';
  return (
    <button
      type="button"
      className={`control ${stateClass}`}
      aria-pressed={pressed}
      aria-disabled={busy || undefined}
      disabled={disabled}
      title={disabled ? `${label}: not allowed by your invitation` : undefined}
      onClick={busy ? undefined : onClick}
    >
      {icon}
      <span className="control-label">{label}</span>
    </button>
  );
}

/** A toolbar of real buttons with exact accessible names. */
export function ControlBar(props: ControlBarProps): ReactElement {
  const { media, busy, permissions } = props;
  return (
    <div className="control-bar" role="toolbar" aria-label="Call controls">
      <Toggle
        label="Microphone"
        pressed={media.audio}
        busy={busy.has('audio')}
        onClick={props.onToggleMicrophone}
        icon={<MicrophoneIcon off={!media.audio} />}
        offIsWarning
        disabled={!permissions.publishAudio}
      />
      <Toggle
        label="Camera"
        pressed={media.video}
        busy={busy.has('video')}
        onClick={props.onToggleCamera}
        icon={<CameraIcon off={!media.video} />}
        offIsWarning
        disabled={!permissions.publishVideo}
      />
      <Toggle
        label="Share screen"
        pressed={media.screen}
        busy={busy.has('screen')}
        onClick={props.onToggleScreenShare}
        icon={<ScreenIcon />}
        offIsWarning={false}
        disabled={!permissions.shareScreen}
      />
      <button
        type="button"
        className={`control ${props.chat.open ? 'control--on' : ''}`}
        aria-pressed={props.chat.open}
        aria-label={props.chat.unread > 0 ? `Chat, ${props.chat.unread} unread` : 'Chat'}
        onClick={props.onToggleChat}
      >
        <ChatIcon />
        <span className="control-label">Chat</span>
        {props.chat.unread > 0 ? (
          <span className="control-badge" aria-hidden="true">
            {props.chat.unread}
          </span>
        ) : null}
      </button>
      <Toggle
        label="Speaker view"
        pressed={props.layout === 'speaker'}
        busy={false}
        onClick={props.onToggleLayout}
        icon={props.layout === 'speaker' ? <SpeakerLayoutIcon /> : <GridIcon />}
        offIsWarning={false}
      />
      <InviteLinkButton />
      <button type="button" className="control control--leave" onClick={props.onLeave}>
        <LeaveIcon />
        <span className="control-label">Leave</span>
      </button>
    </div>
  );
}
