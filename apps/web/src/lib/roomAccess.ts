/**
 * How the app carries a room password and a join token to the room page without putting
 * them in the URL the server sees: the password typed on the home page goes through
 * sessionStorage (this tab only); a token arrives in the URL fragment `#token=...`, which
 * browsers never send to the server, and is taken out of the address bar at once so that
 * "Copy invite link" never shares it.
 */

const PASSWORD_KEY = 'ponte.roomPassword.';
const TOKEN_KEY = 'ponte.joinToken.';

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Keeps the password chosen for a new room until the room page joins with it. */
export function rememberRoomPassword(roomId: string, password: string): void {
  if (password === '') storage()?.removeItem(PASSWORD_KEY + roomId);
  else storage()?.setItem(PASSWORD_KEY + roomId, password);
}

/** The password remembered for `roomId` in this tab, if any. */
export function rememberedRoomPassword(roomId: string): string | undefined {
  return storage()?.getItem(PASSWORD_KEY + roomId) ?? undefined;
}

/**
 * The join token for `roomId`: from the URL fragment (`#token=...`, then removed from the
 * address bar and kept for this tab), or one kept earlier in this tab.
 */
export function takeJoinToken(roomId: string): string | undefined {
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const fromUrl = fragment.get('token');
  if (fromUrl) {
    storage()?.setItem(TOKEN_KEY + roomId, fromUrl);
    fragment.delete('token');
    const rest = fragment.toString();
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search + (rest ? `#${rest}` : ''));
    return fromUrl;
  }
  return storage()?.getItem(TOKEN_KEY + roomId) ?? undefined;
}
