import { PonteError } from '../errors/PonteError.js';

/** How long the SDK waits for the signaling server, in ms. Every wait has a bound. */
export interface SignalingTimeouts {
  /** For a WebSocket to open (a first connection or a reconnect attempt). Default 10000. */
  connectTimeoutMs: number;
  /** For the server's answer to a `join` or `resume`. Default 10000. */
  answerTimeoutMs: number;
}

/** The defaults of {@link SignalingTimeouts}. */
export const SIGNALING_TIMEOUT_DEFAULTS: Readonly<SignalingTimeouts> = Object.freeze({
  connectTimeoutMs: 10_000,
  answerTimeoutMs: 10_000,
});

/** Bounds the waits of one operation by an `AbortSignal` (see {@link abortable}). */
export interface Abortable {
  /** `promise`, or an `ABORTED` rejection as soon as the signal aborts, whichever is first. */
  race<T>(promise: Promise<T>): Promise<T>;
  /** Stops listening to the signal (the operation is over). */
  dispose(): void;
}

/**
 * Lets `signal` (optional) abort the waits of the operation `what`: each wait raced against
 * it rejects with an `ABORTED` {@link PonteError} whose `cause` is the signal's reason. A
 * signal aborted already rejects the first wait at once.
 */
export function abortable(what: string, signal: AbortSignal | undefined): Abortable {
  if (!signal) return { race: (promise) => promise, dispose: () => undefined };
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(PonteError.aborted(what, signal.reason));
  });
  // Nobody may race it before it rejects; that is not an unhandled rejection.
  aborted.catch(() => undefined);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    race: (promise) => Promise.race([promise, aborted]),
    dispose: () => signal.removeEventListener('abort', onAbort),
  };
}
