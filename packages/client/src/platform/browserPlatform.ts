import { PonteError } from '../errors/PonteError.js';
import type { Platform } from './Platform.js';

/** The globals a browser provides and the SDK constructs. */
type BrowserConstructorName = 'RTCPeerConnection' | 'MediaStream' | 'WebSocket';

/** Reads one of the browser's constructors, or throws `UNSUPPORTED_PLATFORM` where there is none. */
function browserGlobal<K extends BrowserConstructorName>(name: K): (typeof globalThis)[K] {
  const value = (globalThis as Partial<Pick<typeof globalThis, BrowserConstructorName>>)[name];
  if (value === undefined) throw PonteError.unsupportedPlatform(name);
  return value;
}

/**
 * The platform of a web page, built from its globals: `RTCPeerConnection`, `MediaStream`,
 * `WebSocket` and `navigator.mediaDevices`. The default of every class that needs one.
 *
 * Each global is read when it is used, not when this is called: importing the SDK, or making
 * a platform, never throws in a host without them (Node), and a page that wraps
 * `window.RTCPeerConnection` after loading the SDK is still seen. Using a missing one throws
 * a `PonteError` with code `UNSUPPORTED_PLATFORM`: pass a platform of your own there.
 */
export function browserPlatform(): Platform {
  return {
    get RTCPeerConnection() {
      return browserGlobal('RTCPeerConnection');
    },
    get MediaStream() {
      return browserGlobal('MediaStream');
    },
    get WebSocket() {
      return browserGlobal('WebSocket');
    },
    get mediaDevices() {
      // Undefined outside a secure context, and in Node.
      return (globalThis as { navigator?: Partial<Navigator> }).navigator?.mediaDevices;
    },
  };
}
