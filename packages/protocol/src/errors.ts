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
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];
