/**
 * `/manual`: a call between two browsers with no signaling server. The caller's offer code
 * and the callee's answer code are carried between them by hand (copy and paste, or QR).
 * The page needs only its own static files: it opens no WebSocket and fetches nothing.
 */
import { DEFAULT_CHAT_MAX_LENGTH } from '@ponte/client';
import { useState, type ReactElement } from 'react';
import { ChatPanel } from '../components/ChatPanel.js';
import { CodeBox } from '../components/CodeBox.js';
import { PasteCodeForm } from '../components/PasteCodeForm.js';
import { TextField } from '../components/TextField.js';
import { useManualCall } from '../hooks/useManualCall.js';
import { useStreamBinding } from '../hooks/useStreamBinding.js';
import { describeManualConnection } from '../lib/manualMessages.js';
import { followLink } from '../lib/router.js';
import './manual.css';

/** Props of {@link CallVideo}. */
interface CallVideoProps {
  readonly label: string;
  readonly stream: MediaStream | null;
  /** Changes when the stream's tracks change, to re-bind the element. */
  readonly trackKey: number;
  readonly local?: boolean;
}

/** A `<video>` bound to `stream`; the local one is muted and mirrored. */
function CallVideo({ label, stream, trackKey, local = false }: CallVideoProps): ReactElement {
  const ref = useStreamBinding(stream, trackKey);
  return (
    <figure className="manual-video">
      <video
        ref={ref}
        aria-label={label}
        className={local ? 'manual-video-el manual-video-el--mirrored' : 'manual-video-el'}
        autoPlay
        playsInline
        muted={local}
      />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/** The serverless call page. */
export function ManualPage(): ReactElement {
  const call = useManualCall();
  const [stunUrl, setStunUrl] = useState('');
  const connected = call.connectionState === 'connected';
  const stage = call.exchanged ? 'exchanged' : call.role === 'caller' && call.ownCode ? 'offer-sent' : 'not-started';
  const status = `Connection: ${describeManualConnection(call.connectionState, stage)}`;

  return (
    <main className="page page--light manual">
      <header className="manual-header">
        <a className="brand-link" href="/" onClick={followLink}>
          Ponte
        </a>
        <h1>Call without a server</h1>
        <p className="hint">
          Two people, two browsers, no server: the caller sends an offer code, the callee sends back an answer code, by any chat or mail app. Nothing
          but those codes passes between you until the call connects, directly.
        </p>
      </header>

      <p className="manual-status" role="status" data-connection-state={call.connectionState ?? 'none'}>
        {status}
      </p>
      {call.failure ? (
        <p className="alert" role="alert">
          {call.failure}
        </p>
      ) : null}
      {call.mediaWarning ? <p className="manual-note">{call.mediaWarning}</p> : null}

      {call.role === null ? (
        <section className="card manual-card" aria-labelledby="manual-role-heading">
          <h2 id="manual-role-heading">Who are you?</h2>
          <p className="hint">One of you starts the call, the other answers it. Your camera and microphone turn on.</p>
          <div className="manual-roles">
            <button type="button" className="button button--primary" onClick={() => call.start('caller', stunUrl)}>
              Start a call (caller)
            </button>
            <button type="button" className="button" onClick={() => call.start('callee', stunUrl)}>
              Answer a call (callee)
            </button>
          </div>
          <details className="manual-settings">
            <summary>Connection settings</summary>
            <TextField
              label="STUN server (optional)"
              inputMode="url"
              placeholder="stun:stun.example.org:3478"
              spellCheck={false}
              hint="Without one, only devices on the same network can connect. Both of you should use the same setting."
              value={stunUrl}
              onValueChange={setStunUrl}
            />
          </details>
        </section>
      ) : null}

      {call.role === 'caller' && !connected ? (
        <section className="card manual-card" aria-label="Codes">
          {call.ownCode ? (
            <CodeBox label="Your offer code" code={call.ownCode} hint="Step 1: send this code to the person you are calling." />
          ) : (
            <p className="hint">{call.busy ? 'Preparing your offer code…' : ''}</p>
          )}
          {call.ownCode && !call.exchanged ? (
            <PasteCodeForm
              label="Paste the answer code"
              hint="Step 2: paste the answer code they send back."
              action="Connect"
              busy={call.busy}
              error={call.codeError}
              onSubmit={call.submitCode}
            />
          ) : null}
        </section>
      ) : null}

      {call.role === 'callee' && !connected ? (
        <section className="card manual-card" aria-label="Codes">
          {call.ownCode ? (
            <CodeBox
              label="Your answer code"
              code={call.ownCode}
              hint="Step 2: send this code back to the caller. The call connects when they paste it."
            />
          ) : (
            <PasteCodeForm
              label="Paste the offer code"
              hint="Step 1: paste the offer code the caller sent you."
              action="Create answer"
              busy={call.busy}
              error={call.codeError}
              onSubmit={call.submitCode}
            />
          )}
        </section>
      ) : null}

      {call.role !== null ? (
        <>
          <div className="manual-videos">
            <CallVideo label="Remote video" stream={call.remoteStream} trackKey={call.remoteTrackCount} />
            <CallVideo label="Your video" stream={call.localStream} trackKey={0} local />
          </div>
          <ChatPanel messages={call.messages} open={call.chatOpen} maxLength={DEFAULT_CHAT_MAX_LENGTH} onSend={call.sendMessage} />
          <button type="button" className="button manual-reset" onClick={call.reset}>
            {connected ? 'Hang up' : 'Start over'}
          </button>
        </>
      ) : null}
    </main>
  );
}
