import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The GUID RFC 6455 §1.3 appends to the client's key. */
const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** A Sec-WebSocket-Key is 16 random bytes in base64. */
const KEY = /^[+/0-9A-Za-z]{22}==$/;

/** The `Sec-WebSocket-Accept` value answering the client's `Sec-WebSocket-Key`. */
export function acceptValue(key: string): string {
  return createHash('sha1')
    .update(key + ACCEPT_GUID)
    .digest('base64');
}

/**
 * Checks an upgrade request against RFC 6455 §4.2.1 and returns the HTTP response to write:
 * `101 Switching Protocols` with the accept value, or the refusal (400, or 426 naming the
 * version this server speaks). `ok` says which it is. No subprotocol or extension is chosen.
 */
export function handshakeResponse(request: IncomingMessage): { ok: boolean; response: string } {
  const { headers } = request;
  const key = headers['sec-websocket-key'];
  // An upgrade is an HTTP/1.1 (or later) GET.
  const http11 = request.httpVersionMajor > 1 || (request.httpVersionMajor === 1 && request.httpVersionMinor >= 1);
  if (!http11 || request.method !== 'GET' || headers.upgrade?.toLowerCase() !== 'websocket' || key === undefined || !KEY.test(key)) {
    return { ok: false, response: httpRefusal('400 Bad Request') };
  }
  if (headers['sec-websocket-version'] !== '13') {
    return { ok: false, response: httpRefusal('426 Upgrade Required', 'Sec-WebSocket-Version: 13\r\n') };
  }
  const response = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptValue(key)}\r\n\r\n`;
  return { ok: true, response };
}

/** A complete HTTP response refusing an upgrade with `status` (e.g. `404 Not Found`) and `extraHeaders` (each ending in CRLF). */
export function httpRefusal(status: string, extraHeaders = ''): string {
  return `HTTP/1.1 ${status}\r\n${extraHeaders}Connection: close\r\nContent-Length: 0\r\n\r\n`;
}
