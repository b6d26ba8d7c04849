import type { ErrorCode, ErrorFrame } from '@ponte/protocol';

/**
 * Every code a {@link PonteError} can carry: the server's protocol codes, plus those the SDK
 * raises itself.
 */
export type PonteErrorCode =
  | ErrorCode
  /**
   * The WebSocket to the signaling server could not be opened, or did not open within
   * `connectTimeoutMs` ({@link PonteError.reason} is then `'timeout'`).
   */
  | 'CONNECTION_FAILED'
  /** The WebSocket to the signaling server closed while in a room. */
  | 'CONNECTION_LOST'
  /** The server sent something that does not match the protocol. */
  | 'PROTOCOL_ERROR'
  /**
   * The server did not answer a join or resume within `answerTimeoutMs`;
   * {@link PonteError.reason} is the frame that went unanswered (`'join'`, `'resume'`).
   */
  | 'TIMEOUT'
  /** The caller aborted the operation (an `AbortSignal`); `cause` is the signal's reason. */
  | 'ABORTED'
  /** The user or the browser refused access to the camera or microphone. */
  | 'MEDIA_DENIED'
  /** No camera or microphone is attached. */
  | 'MEDIA_NOT_FOUND'
  /** The device exists but could not be started (in use, unsupported constraints). */
  | 'MEDIA_FAILED'
  /** Screen sharing was cancelled or is not available. */
  | 'SCREEN_SHARE_FAILED'
  /** An offer/answer exchange with one peer failed. */
  | 'NEGOTIATION_FAILED'
  /** The connection to one peer failed; it is being retried with an ICE restart. */
  | 'PEER_CONNECTION_FAILED'
  /** A TURN server refused our credentials (wrong or expired secret). */
  | 'TURN_AUTH_FAILED'
  /** The call is not valid in the current state (e.g. before join). */
  | 'INVALID_STATE'
  /** A message to send is neither a JSON value nor bytes. */
  | 'INVALID_MESSAGE'
  /** A message to send is larger than the data channel allows (`maxMessageSize`). */
  | 'MESSAGE_TOO_LARGE'
  /** A peer sent data that breaks the data protocol; it was refused and the room goes on. */
  | 'BAD_PEER_DATA'
  /** A file transfer failed: the peer left, its channel closed, or the digest did not match. */
  | 'TRANSFER_FAILED'
  /** A copy-and-paste signaling code could not be used; {@link PonteError.reason} says why. */
  | 'BAD_CODE'
  /**
   * The host lacks something the SDK needs (`RTCPeerConnection`, `MediaStream`, `WebSocket`):
   * pass a `platform` that provides it. {@link PonteError.reason} names what is missing.
   */
  | 'UNSUPPORTED_PLATFORM'
  /**
   * The operation needs a peer-to-peer link, which a room that carries its media through an
   * SFU does not have (sending a file there).
   */
  | 'SFU_UNSUPPORTED';

/**
 * The one error class of the SDK. Branch on {@link PonteError.code}, never on the message.
 */
export class PonteError extends Error {
  override readonly name = 'PonteError';
  /**
   * A stable finer reason for some codes (e.g. `'truncated'` for `BAD_CODE`, see
   * `ManualCodeProblem`); undefined otherwise.
   */
  readonly reason: string | undefined;

  constructor(
    /** Stable code; see {@link PonteErrorCode}. */
    readonly code: PonteErrorCode,
    message: string,
    options?: { cause?: unknown; reason?: string },
  ) {
    super(message, options);
    this.reason = options?.reason;
  }

  /** The error a server `error` frame stands for. */
  static fromFrame(frame: ErrorFrame): PonteError {
    return new PonteError(frame.code, frame.message);
  }

  /** The signaling server could not be reached at `url`. */
  static connectionFailed(url: string, cause?: unknown): PonteError {
    return new PonteError('CONNECTION_FAILED', `Could not connect to the signaling server at ${url}.`, { cause });
  }

  /** The socket to `url` did not open within `timeoutMs`. */
  static connectTimeout(url: string, timeoutMs: number): PonteError {
    return new PonteError('CONNECTION_FAILED', `Could not connect to the signaling server at ${url} within ${timeoutMs} ms.`, { reason: 'timeout' });
  }

  /** The server did not answer our `frame` (`join`, `resume`) within `timeoutMs`. */
  static timeout(frame: string, timeoutMs: number): PonteError {
    return new PonteError('TIMEOUT', `The signaling server did not answer the ${frame} within ${timeoutMs} ms.`, { reason: frame });
  }

  /** The caller aborted `what` (e.g. `'join'`); `cause` is the `AbortSignal`'s reason. */
  static aborted(what: string, cause?: unknown): PonteError {
    return new PonteError('ABORTED', `The ${what} was aborted.`, { cause });
  }

  /** The signaling connection closed with a WebSocket `code` while it was in use. */
  static connectionLost(code: number, reason: string): PonteError {
    if (code === 1009) {
      return new PonteError('PAYLOAD_TOO_LARGE', 'The server closed the connection: a frame was too large.');
    }
    const detail = reason ? `: ${reason}` : '';
    return new PonteError('CONNECTION_LOST', `The connection to the signaling server was lost (code ${code}${detail}).`);
  }

  /** A frame from the server that does not match the protocol. */
  static protocol(message: string): PonteError {
    return new PonteError('PROTOCOL_ERROR', `The server sent an invalid frame: ${message}`);
  }

  /** An operation attempted in a state that does not allow it. */
  static invalidState(message: string): PonteError {
    return new PonteError('INVALID_STATE', message);
  }

  /** The host has no `what` (e.g. `RTCPeerConnection` in Node): a platform must provide it. */
  static unsupportedPlatform(what: string): PonteError {
    return new PonteError('UNSUPPORTED_PLATFORM', `This environment has no ${what}; pass a platform that provides one.`, { reason: what });
  }

  /** Maps a `getUserMedia` failure for `what` ("camera", "microphone"...) to a clear error. */
  static media(cause: unknown, what: string): PonteError {
    const name = cause instanceof Error ? cause.name : '';
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      return new PonteError('MEDIA_DENIED', `Access to the ${what} was denied.`, { cause });
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError') {
      return new PonteError('MEDIA_NOT_FOUND', `No ${what} was found.`, { cause });
    }
    return new PonteError('MEDIA_FAILED', `The ${what} could not be started.`, { cause });
  }
}
