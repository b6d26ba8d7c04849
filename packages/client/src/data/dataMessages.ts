/**
 * The SDK's side of the peer-to-peer data protocol, whose frames are in `@ponte/protocol`
 * (`dataFrames.ts`): the labels of file channels, transfer ids and file names. A remote peer is
 * a trust boundary like the server, so every text frame is parsed (with `parsePeerFrame` and
 * `parseFileEndFrame`) before anything acts on it.
 */
import { FILE_NAME_LENGTH, isTransferId, replaceHiddenCharacters } from '@ponte/protocol';

/** Prefix of the label of a per-transfer channel. */
export const FILE_CHANNEL_PREFIX = 'ponte-file:';

/** The label of the channel that carries transfer `id`. */
export function fileChannelLabel(id: string): string {
  return `${FILE_CHANNEL_PREFIX}${id}`;
}

/** The transfer id of a file channel label, or null when the label is not one. */
export function transferIdOfLabel(label: string): string | null {
  if (!label.startsWith(FILE_CHANNEL_PREFIX)) return null;
  const id = label.slice(FILE_CHANNEL_PREFIX.length);
  return isTransferId(id) ? id : null;
}

/** A fresh random transfer id (128 bits, URL-safe). */
export function newTransferId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

/** The name to offer `file` under: its own, or `file` for a nameless Blob. */
export function nameOfBlob(file: Blob): string {
  return file instanceof File && file.name !== '' ? file.name : 'file';
}

/**
 * A file name safe to show and to save: path separators and control or invisible formatting
 * characters become `_`, and surrounding white space and dots are trimmed, so an offer cannot
 * name a path or disguise its extension.
 */
export function safeFileName(name: string): string {
  // The characters a display name may not hold, from the protocol's text rules, and path separators.
  const cleaned = replaceHiddenCharacters(name, '_')
    .replace(/[/\\]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  return cleaned === '' ? 'file' : cleaned.slice(0, FILE_NAME_LENGTH);
}
