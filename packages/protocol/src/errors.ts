/**
 * Stable error codes carried by `error` frames. Clients branch on the code, never on the
 * human-readable message, which may change.
 */
export const ERROR_CODES = [
  /** The frame is not valid JSON, or does not match any schema. */
  'BAD_MESSAGE',
  /** The frame is larger than the server's `maxPayload`. */
  'PAYLOAD_TOO_LARGE',
  /** The join names a protocol version this server does not speak. */
  'UNSUPPORTED_VERSION',
  /** The room already holds its maximum number of peers. */
  'ROOM_FULL',
  /** The frame needs a joined room (signal, update, leave) but the sender has none. */
  'NOT_IN_ROOM',
  /** A second join on a connection that is already in a room. */
  'ALREADY_JOINED',
  /** A signal names a peer that is not in the sender's room. */
  'UNKNOWN_PEER',
  /** The server failed while handling the frame; the connection stays usable. */
  'INTERNAL',
  /**
   * A `resume` could not be honoured (the token is forged, expired or for a room that is now
   * full). The client should `join` afresh: it gets a new peer id.
   */
  'RESUME_FAILED',
  /** The room is protected by a password and the join carried none. */
  'PASSWORD_REQUIRED',
  /** The join carried a password that is not the room's. */
  'WRONG_PASSWORD',
  /** The server admits only joins that carry a signed join token, and this one carried none. */
  'TOKEN_REQUIRED',
  /** The join token is malformed, forged, expired, or made out for another room. */
  'TOKEN_INVALID',
  /** The join token does not allow what the frame asks for (e.g. publishing video). */
  'FORBIDDEN',
  /** The connection sent frames faster than the server's rate limit; the frame was dropped. */
  'RATE_LIMITED',
  /** The server holds as many rooms or peers as it admits. */
  'SERVER_FULL',
  /**
   * The server cannot take a `join` or `resume` now: it is shutting down, or it cannot reach
   * the store its rooms live in. Nothing changed; reconnect (to another process, or later) and
   * ask again. Since minor 2: a client of an older minor gets `INTERNAL` with the same message.
   */
  'UNAVAILABLE',
  /**
   * The room carries its media through an SFU and the client did not list the `sfu` feature:
   * it could see and hear nobody there. Since minor 3.
   */
  'SFU_REQUIRED',
  /**
   * An SFU request (`sfu-publish`, `sfu-subscribe`, …) cannot be carried out: the server has no
   * SFU, it cannot reach it now, or the SFU refused the request (the message says which). Since minor 3.
   */
  'SFU_FAILED',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The minor version that added each code newer than 1.0. A client of an older minor refuses
 * an error frame whose code it does not know, so it is sent `INTERNAL` instead
 * ({@link errorCodeForMinor}).
 */
export const ERROR_CODE_SINCE_MINOR: Readonly<Partial<Record<ErrorCode, number>>> = Object.freeze({ UNAVAILABLE: 2, SFU_REQUIRED: 3, SFU_FAILED: 3 });

/**
 * The code to send a client that stated `minor` (0 when it stated none) for `code`: `code`
 * itself when the client knows it, else `INTERNAL`, which every client knows.
 */
export function errorCodeForMinor(code: ErrorCode, minor: number): ErrorCode {
  const since = ERROR_CODE_SINCE_MINOR[code];
  return since === undefined || minor >= since ? code : 'INTERNAL';
}
