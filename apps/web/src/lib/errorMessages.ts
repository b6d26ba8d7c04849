/**
 * Plain-language messages for SDK errors, chosen by error code (never by message text)
 * and by what the user was doing when it happened.
 */
import { PonteError } from '@ponte/client';

/** What the user was doing when an error happened. */
export type UserAction = 'join' | 'microphone' | 'camera' | 'screen' | 'device' | 'room';

function deviceName(action: UserAction): string {
  if (action === 'microphone') return 'microphone';
  if (action === 'camera') return 'camera';
  return 'camera or microphone';
}

/** A message for `error`, which happened while the user was doing `action`. */
export function describeError(error: unknown, action: UserAction): string {
  if (!(error instanceof PonteError)) {
    return 'Something went wrong. Please try again.';
  }
  switch (error.code) {
    case 'ROOM_FULL':
      return 'This room is full. Try again later or create a new room.';
    case 'CONNECTION_FAILED':
      return 'Could not reach the Ponte server. Check your connection and try again.';
    case 'CONNECTION_LOST':
      return 'The connection to the server was lost.';
    case 'UNSUPPORTED_VERSION':
      return 'This page is out of date with the server. Reload the page and try again.';
    case 'MEDIA_DENIED':
      return `Access to the ${deviceName(action)} was denied. Allow it in your browser's site settings, then try again.`;
    case 'MEDIA_NOT_FOUND':
      return `No ${deviceName(action)} was found. Connect one and try again.`;
    case 'MEDIA_FAILED':
      return `The ${deviceName(action)} could not be started. It may be in use by another app.`;
    case 'SCREEN_SHARE_FAILED':
      return 'Screen sharing did not start.';
    case 'PASSWORD_REQUIRED':
      return 'This room is protected by a password. Enter it to join.';
    case 'WRONG_PASSWORD':
      return 'That password is not right. Check it and try again.';
    case 'TOKEN_REQUIRED':
      return 'This server admits only invited people. Open the invitation link you were sent.';
    case 'TOKEN_INVALID':
      return 'Your invitation is not valid here: it may have expired or be for another room. Ask for a new one.';
    case 'FORBIDDEN':
      return error.message || 'Your invitation does not allow that.';
    case 'RATE_LIMITED':
      return 'Too many requests in a short time. Wait a moment and try again.';
    case 'SERVER_FULL':
      return 'The server is at capacity right now. Try again later.';
    case 'UNAVAILABLE':
      return 'The server is restarting or briefly unavailable. Try again in a moment.';
    default:
      return error.message || `Something went wrong (${error.code}).`;
  }
}

/**
 * A message for data from `peerName` that was refused (`data-error`, `BAD_PEER_DATA`): a
 * malformed message or file frame. The call and that peer's link go on.
 */
export function describePeerDataError(peerName: string): string {
  return `Something ${peerName} sent (a message or a file) was not valid and was ignored. The call goes on.`;
}
