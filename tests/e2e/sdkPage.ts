import type { BrowserContext, Page } from '@playwright/test';
import type { Room } from '@ponte/client';
import { fileURLToPath } from 'node:url';
import { trackPeerConnections } from './instrument.js';

/** The SDK's browser bundle (`npm run build`). */
const SDK_BUNDLE = fileURLToPath(new URL('../../packages/client/dist/ponte-client.js', import.meta.url));
/** Where, under the Ponte server's own origin, the bundle is served (by the browser context, not the server). */
const SDK_BUNDLE_PATH = '/e2e-sdk/ponte-client.js';

/** The page's globals set by this module and by {@link trackPeerConnections}. */
interface SdkWindow {
  ponteRoom: Room;
  __ponteConnections: RTCPeerConnection[];
}

/** What a page sends up: its open connections that send media. */
export interface Uplink {
  /** Open connections with at least one sender with a track. */
  sendingConnections: number;
  /** Open connections of any kind. */
  openConnections: number;
  /** Video senders (with a track) over all connections. */
  videoSenders: number;
  /** The rids of the video senders' encodings (`RTCRtpSender.getParameters()`). */
  encodings: string[];
  /** The video outbound-rtp entries (one per simulcast layer), low to high by rid order q, h, f. */
  layers: { rid: string; frameWidth: number; bytesSent: number }[];
}

/** One peer's video as a page receives it (inbound-rtp of its video track). */
export interface ReceivedVideo {
  id: string;
  name: string;
  /** Whether a video track was given to the peer and an inbound-rtp entry describes it. */
  received: boolean;
  packetsReceived: number;
  framesDecoded: number;
  frameWidth: number;
  bytesReceived: number;
}

/**
 * Opens a page of the Ponte server (its `/healthz`: a document of the server's own origin and
 * address, so that Chromium lets its WebSocket reach loopback) with every `RTCPeerConnection`
 * tracked; the browser context serves the SDK bundle beside it.
 */
export async function openSdkPage(context: BrowserContext, serverUrl: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  await trackPeerConnections(page);
  await page.route(`${serverUrl}${SDK_BUNDLE_PATH}`, (route) => route.fulfill({ path: SDK_BUNDLE, contentType: 'text/javascript' }));
  await page.goto(`${serverUrl}/healthz`);
  return page;
}

/** Joins `room` with camera and microphone through the SDK's `Room`, kept as `window.ponteRoom`. */
export async function joinWithSdk(page: Page, serverUrl: string, room: string, name: string): Promise<string> {
  const url = `${serverUrl.replace(/^http/, 'ws')}/ws`;
  return page.evaluate(
    async ({ url, room, name, bundle }) => {
      const { Room } = (await import(bundle)) as typeof import('@ponte/client');
      const joined = new Room({ url, room, name });
      const self = await joined.join({ audio: true, video: true });
      (window as unknown as SdkWindow).ponteRoom = joined;
      return self.id;
    },
    { url, room, name, bundle: SDK_BUNDLE_PATH },
  );
}

/** The room's topology and the peers it lists. */
export function roomState(page: Page): Promise<{ topology: string; peers: number }> {
  return page.evaluate(() => {
    const { ponteRoom } = window as unknown as SdkWindow;
    return { topology: ponteRoom.topology, peers: ponteRoom.peers.size };
  });
}

/** Sets the size of the tile `peerId`'s video is shown in (null: not shown). */
export async function setTileSize(page: Page, peerId: string, size: { width: number; height: number } | null): Promise<void> {
  await page.evaluate(({ peerId, size }) => (window as unknown as SdkWindow).ponteRoom.setTileSize(peerId, size), { peerId, size });
}

/** What the page sends up now. */
export function uplink(page: Page): Promise<Uplink> {
  return page.evaluate(async () => {
    const open = (window as unknown as SdkWindow).__ponteConnections.filter((pc) => pc.connectionState !== 'closed');
    const sending = open.filter((pc) => pc.getSenders().some((sender) => sender.track !== null));
    const videoSenders = sending.flatMap((pc) => pc.getSenders().filter((sender) => sender.track?.kind === 'video'));
    const layers: Uplink['layers'] = [];
    for (const pc of sending) {
      (await pc.getStats()).forEach((entry: RTCOutboundRtpStreamStats & { rid?: string }) => {
        if (entry.type === 'outbound-rtp' && entry.kind === 'video')
          layers.push({ rid: entry.rid ?? '', frameWidth: entry.frameWidth ?? 0, bytesSent: entry.bytesSent ?? 0 });
      });
    }
    const order = ['q', 'h', 'f'];
    layers.sort((a, b) => order.indexOf(a.rid) - order.indexOf(b.rid));
    return {
      sendingConnections: sending.length,
      openConnections: open.length,
      videoSenders: videoSenders.length,
      encodings: videoSenders.flatMap((sender) => sender.getParameters().encodings.map((encoding) => encoding.rid ?? '')),
      layers,
    };
  });
}

/** Each peer's video as the page receives it, by the inbound-rtp entry of the video track the SDK gave it. */
export function receivedVideos(page: Page): Promise<ReceivedVideo[]> {
  return page.evaluate(async () => {
    const { ponteRoom, __ponteConnections } = window as unknown as SdkWindow;
    const inbound = new Map<string, RTCInboundRtpStreamStats>();
    for (const pc of __ponteConnections.filter((connection) => connection.connectionState !== 'closed')) {
      (await pc.getStats()).forEach((entry: RTCInboundRtpStreamStats) => {
        if (entry.type === 'inbound-rtp' && entry.kind === 'video' && entry.trackIdentifier) inbound.set(entry.trackIdentifier, entry);
      });
    }
    return [...ponteRoom.peers.values()].map((peer) => {
      const track = peer.stream.getVideoTracks()[0];
      const entry = track ? inbound.get(track.id) : undefined;
      return {
        id: peer.id,
        name: peer.name,
        received: entry !== undefined,
        packetsReceived: entry?.packetsReceived ?? 0,
        framesDecoded: entry?.framesDecoded ?? 0,
        frameWidth: entry?.frameWidth ?? 0,
        bytesReceived: entry?.bytesReceived ?? 0,
      };
    });
  });
}
