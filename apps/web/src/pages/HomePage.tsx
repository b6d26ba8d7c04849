/** Home: create a room, or join one from a link or code. */
import { useState, type FormEvent, type ReactElement } from 'react';
import { LIMITS } from '@ponte/client';
import { TextField } from '../components/TextField.js';
import { loadDisplayName, saveDisplayName } from '../lib/displayName.js';
import { createRoomId, parseRoomInput, roomPath } from '../lib/roomId.js';
import { followLink, navigate } from '../lib/router.js';
import { rememberRoomPassword } from '../lib/roomAccess.js';

const INVALID_ROOM = 'That is not a valid room link or code. Paste the whole invite link, or a code of letters, digits, "-" and "_".';
const EMPTY_ROOM = 'Enter a room link or code.';

/** The landing page. */
export function HomePage(): ReactElement {
  const [name, setName] = useState(loadDisplayName);
  const [roomInput, setRoomInput] = useState('');
  const [roomError, setRoomError] = useState<string | null>(null);
  const [roomPassword, setRoomPassword] = useState('');

  const createRoom = (): void => {
    saveDisplayName(name);
    const roomId = createRoomId();
    // Carried to the room page in this tab's storage, never in the URL.
    rememberRoomPassword(roomId, roomPassword);
    navigate(roomPath(roomId));
  };

  const joinRoom = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const result = parseRoomInput(roomInput);
    if (!result.ok) {
      setRoomError(result.reason === 'empty' ? EMPTY_ROOM : INVALID_ROOM);
      return;
    }
    saveDisplayName(name);
    navigate(roomPath(result.roomId));
  };

  return (
    <main className="page page--light home">
      <header className="brand">
        <h1 className="brand-name">Ponte</h1>
        <p className="brand-tagline">Video meetings on your own server. No account, no install.</p>
      </header>

      <div className="card">
        <TextField
          label="Your name"
          autoComplete="name"
          maxLength={LIMITS.nameLength}
          value={name}
          onValueChange={setName}
          onBlur={() => saveDisplayName(name)}
        />

        <section className="home-section" aria-labelledby="create-heading">
          <h2 id="create-heading">Start a meeting</h2>
          <p className="hint">You get a private link to share with the people you invite.</p>
          <TextField
            label="Room password"
            type="password"
            autoComplete="new-password"
            maxLength={LIMITS.passwordLength}
            placeholder="Optional"
            hint="Optional. Anyone joining must type it; tell them separately from the link."
            value={roomPassword}
            onValueChange={setRoomPassword}
          />
          <button type="button" className="button button--primary" onClick={createRoom}>
            Create room
          </button>
        </section>

        <section className="home-section" aria-labelledby="join-heading">
          <h2 id="join-heading">Join a meeting</h2>
          <form className="join-form" onSubmit={joinRoom} noValidate>
            <TextField
              label="Room link or code"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              value={roomInput}
              error={roomError}
              onValueChange={(value) => {
                setRoomInput(value);
                setRoomError(null);
              }}
            />
            <button type="submit" className="button">
              Join room
            </button>
          </form>
        </section>

        <section className="home-section" aria-labelledby="manual-heading">
          <h2 id="manual-heading">No server?</h2>
          <p className="hint">Connect two browsers directly by exchanging two codes by hand.</p>
          <a className="button" href="/manual" onClick={followLink}>
            Call without a server
          </a>
        </section>
      </div>
    </main>
  );
}
