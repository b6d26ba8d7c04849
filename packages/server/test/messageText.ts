import type { RawData } from 'ws';

/** A `ws` message as text, whatever shape `ws` delivered it in. */
export function messageText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString();
  return Buffer.isBuffer(data) ? data.toString() : Buffer.from(data).toString();
}
