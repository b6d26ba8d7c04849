/** The lobby before a call: name, camera and microphone choices, and the Join button. */
import { useState, type FormEvent, type ReactElement } from 'react';
import { ALL_PERMISSIONS, LIMITS, type JoinTokenInfo } from '@ponte/client';
import { Alerts, type AlertMessage } from '../components/Alerts.js';
import { TextField } from '../components/TextField.js';
import { loadDisplayName } from '../lib/displayName.js';
import { followLink } from '../lib/router.js';

/** What the user chose in the lobby. */
export interface JoinChoice {
  readonly name: string;
  readonly audio: boolean;
  readonly video: boolean;
  /** The room password, when the lobby asked for one. */
  readonly password?: string;
}

/** Props of {@link Lobby}. */
export interface LobbyProps {
  readonly roomId: string;
  readonly joining: boolean;
  readonly alerts: readonly AlertMessage[];
  readonly onDismissAlert: (id: string) => void;
  readonly onJoin: (choice: JoinChoice) => void;
  /** Ask for the room password (the server said the room has one). */
  readonly needsPassword?: boolean;
  /**
   * The invitation (join token) we join with, if any: its name is shown, not editable, and
   * media it does not permit cannot be chosen.
   */
  readonly invitation?: JoinTokenInfo | null;
}

/** Props of {@link MediaCheckbox}. */
interface MediaCheckboxProps {
  readonly label: string;
  readonly checked: boolean;
  /** Whether the invitation permits this medium; when not, the box is unchecked and disabled. */
  readonly allowed: boolean;
  readonly onChange: (checked: boolean) => void;
}

/** "Join with camera" or "Join with microphone". */
function MediaCheckbox({ label, checked, allowed, onChange }: MediaCheckboxProps): ReactElement {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={checked && allowed} disabled={!allowed} onChange={(event) => onChange(event.currentTarget.checked)} />
      {allowed ? label : `${label} (not allowed by your invitation)`}
    </label>
  );
}

/** The lobby form. The Join click is the user gesture that lets remote audio autoplay. */
export function Lobby(props: LobbyProps): ReactElement {
  const { roomId, joining, alerts, onDismissAlert, onJoin, needsPassword = false, invitation } = props;
  const invitedName = invitation?.name;
  const allowed = invitation?.permissions ?? ALL_PERMISSIONS;
  const [name, setName] = useState(() => invitedName ?? loadDisplayName());
  const [password, setPassword] = useState('');
  const [video, setVideo] = useState(true);
  const [audio, setAudio] = useState(true);
  const [nameError, setNameError] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const trimmed = name.replace(/\s+/g, ' ').trim();
    if (trimmed === '') {
      setNameError(true);
      return;
    }
    onJoin({
      name: trimmed,
      audio: audio && allowed.publishAudio,
      video: video && allowed.publishVideo,
      ...(needsPassword && password !== '' ? { password } : {}),
    });
  };

  return (
    <main className="page page--light centered lobby">
      <div className="card">
        <p className="lobby-eyebrow">
          <a href="/" onClick={followLink} className="brand-link">
            Ponte
          </a>
        </p>
        <h1>Ready to join?</h1>
        <p className="hint">
          Room <code className="room-code">{roomId}</code>
        </p>
        <Alerts alerts={alerts} onDismiss={onDismissAlert} />
        <form onSubmit={submit} noValidate className="lobby-form">
          <TextField
            label="Your name"
            autoComplete="name"
            maxLength={LIMITS.nameLength}
            value={name}
            readOnly={invitedName !== undefined}
            error={nameError ? 'Enter your name so others know who you are.' : null}
            onValueChange={(value) => {
              setName(value);
              setNameError(false);
            }}
          />
          {needsPassword ? (
            <TextField
              label="Room password"
              type="password"
              autoComplete="off"
              maxLength={LIMITS.passwordLength}
              value={password}
              onValueChange={setPassword}
            />
          ) : null}
          <fieldset className="lobby-media">
            <legend>Media</legend>
            <MediaCheckbox label="Join with camera" checked={video} allowed={allowed.publishVideo} onChange={setVideo} />
            <MediaCheckbox label="Join with microphone" checked={audio} allowed={allowed.publishAudio} onChange={setAudio} />
          </fieldset>
          <button type="submit" className="button button--primary button--wide" disabled={joining} aria-busy={joining}>
            Join
          </button>
          <p className="hint" role="status">
            {joining ? 'Joining…' : ''}
          </p>
        </form>
      </div>
    </main>
  );
}
