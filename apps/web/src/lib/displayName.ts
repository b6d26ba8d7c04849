/** Remembers the display name between visits, in localStorage. */

const STORAGE_KEY = 'ponte.displayName';

/** The name used last time, or '' when there is none or storage is unavailable. */
export function loadDisplayName(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    // Storage can be disabled (privacy modes); the app works without it.
    return '';
  }
}

/** Stores the name for next time; ignores storage that is unavailable. */
export function saveDisplayName(name: string): void {
  try {
    const trimmed = name.trim();
    if (trimmed === '') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, trimmed);
  } catch {
    // See loadDisplayName.
  }
}
