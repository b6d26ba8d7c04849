import { chromium, type Browser, type Page } from '@playwright/test';
import { connectJanusSfu } from '@ponte/janus';
import { startJanus } from '../../packages/janus/test/janusServer.js';
import { expect, startServer, test, type RunningServer } from './fixtures.js';
import { joinWithSdk, openSdkPage, receivedVideos, roomState, setTileSize, uplink, type ReceivedVideo, type Uplink } from './sdkPage.js';
import { joinLightPublisher, type LightPublisher } from './sfuPublisher.js';

// Issue 15: a large room through Janus. Eighteen Node peers (werift) publish generated Opus and
// VP8 through the SFU; two Chromium participants with a fake camera, on the SDK, receive
// everyone. Each browser sends one simulcast stream (q/h/f) whatever the room size, and gets
// the layer of the other browser's video that its tile asks for.

const CHROMIUM = process.env.PONTE_CHROMIUM ?? '/usr/bin/chromium';
const ROOM = 'large-room';
/** The lightweight publishers: with the two browsers, twenty people. */
const PUBLISHERS = 18;
/** When the room moves to the SFU. */
const SFU_FROM = 5;
/** A tile that asks for the quarter layer. */
const SMALL_TILE = { width: 160, height: 90 };
/** Tile sizes and the layer (rid) each asks for (`layerForTile`), in an order that moves both ways. */
const TILES = [
  { tile: SMALL_TILE, rid: 'q' },
  { tile: { width: 1280, height: 720 }, rid: 'f' },
  { tile: { width: 640, height: 360 }, rid: 'h' },
  { tile: SMALL_TILE, rid: 'q' },
] as const;
/** How long every state the test waits for may take on a busy two-core machine, in ms. */
const WAIT_MS = 20_000;

interface LargeRoomFixtures {
  /** A real Janus, and a Ponte server whose SFU is Janus through @ponte/janus, switching at 5 people. */
  sfuServer: RunningServer;
  /** One Chromium with a fake camera and microphone, for the browser participants' contexts. */
  camerasBrowser: Browser;
}

const largeRoomTest = test.extend<LargeRoomFixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from the destructuring
  sfuServer: async ({}, use) => {
    const janus = await startJanus();
    const bridge = await connectJanusSfu({ url: janus.url, adminKey: janus.adminKey, roomSecret: 'e2e-room-secret', nodeId: 'e2e-large' });
    // Twenty WebSockets from one address: above the default per-address cap of 20 open sockets.
    const server = await startServer({ sfu: bridge, topology: { sfuFrom: SFU_FROM }, maxConnectionsPerIp: 64 });
    await use(server);
    await server.close();
    await janus.dispose();
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from the destructuring
  camerasBrowser: async ({}, use) => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        // Janus listens on loopback only: let Chromium's ICE use it, with real addresses.
        '--allow-loopback-in-peer-connection',
        '--disable-features=WebRtcHideLocalIpsWithMdns',
        // The fake camera is 640x480, from which Chromium by default sends two simulcast
        // layers only (three from 960x540 up): lift that limit, so q, h and f are all sent
        // (160, 320 and 640 px wide) without the CPU cost of a larger camera.
        '--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/',
      ],
    });
    await use(browser);
    await browser.close();
  },
});

/** A browser participant. */
interface Participant {
  name: string;
  id: string;
  page: Page;
}

async function joinBrowser(browser: Browser, server: RunningServer, name: string): Promise<Participant> {
  const context = await browser.newContext();
  const page = await openSdkPage(context, server.url);
  const id = await joinWithSdk(page, server.url, ROOM, name);
  return { name, id, page };
}

/** Waits until the page is in SFU mode, lists `peers` others and sends one stream in three layers; resolves its uplink. */
async function expectOneSimulcastUplink(page: Page, peers: number): Promise<Uplink> {
  await expect.poll(() => roomState(page), { timeout: WAIT_MS }).toEqual({ topology: 'sfu', peers });
  // The mesh connections are closed once the switch is done: the publisher and the subscriber stay.
  await expect.poll(async () => (await uplink(page)).openConnections, { timeout: WAIT_MS }).toBe(2);
  // Every layer has sent something (Chromium starts the layers one by one).
  await expect
    .poll(async () => (await uplink(page)).layers.map((layer) => `${layer.rid}:${layer.bytesSent > 0}`), { timeout: WAIT_MS })
    .toEqual(['q:true', 'h:true', 'f:true']);
  const sent = await uplink(page);
  expect(sent.sendingConnections).toBe(1);
  expect(sent.videoSenders).toBe(1);
  expect(sent.encodings).toEqual(['q', 'h', 'f']);
  return sent;
}

/** Waits until the page receives video of each of `expected` peers, advancing (packets growing between two looks). */
async function expectEveryVideoAdvancing(page: Page, expected: number): Promise<ReceivedVideo[]> {
  let before = new Map<string, number>();
  let now: ReceivedVideo[] = [];
  await expect
    .poll(
      async () => {
        now = await receivedVideos(page);
        const stalled = now
          .filter((video) => !video.received || video.packetsReceived <= (before.get(video.id) ?? Infinity))
          .map((video) => video.name);
        before = new Map(now.map((video) => [video.id, video.packetsReceived]));
        return { peers: now.length, stalled };
      },
      { timeout: WAIT_MS, intervals: [500] },
    )
    .toEqual({ peers: expected, stalled: [] });
  return now;
}

/** One peer's received video on a page. */
async function videoOf(page: Page, peerId: string): Promise<ReceivedVideo> {
  const video = (await receivedVideos(page)).find((candidate) => candidate.id === peerId);
  if (!video) throw new Error(`no peer ${peerId} on the page`);
  return video;
}

/**
 * Waits until the page decodes `peerId`'s video `width` pixels wide, and still does at four
 * looks in a row (about a second): the layer the SFU forwards, not a frame in passing.
 */
async function expectSteadyWidth(page: Page, peerId: string, width: number): Promise<void> {
  let streak = 0;
  await expect
    .poll(
      async () => {
        streak = (await videoOf(page, peerId)).frameWidth === width ? streak + 1 : 0;
        return streak;
      },
      { timeout: WAIT_MS, intervals: [300] },
    )
    .toBeGreaterThanOrEqual(4);
}

/** The frame width of the sender's layer `rid` now. */
async function layerWidth(sender: Page, rid: string): Promise<number> {
  return (await uplink(sender)).layers.find((layer) => layer.rid === rid)?.frameWidth ?? 0;
}

largeRoomTest(
  'a large room: 18 Node publishers and two browsers, one simulcast uplink each, every video received, layers by tile size',
  async ({ sfuServer, camerasBrowser }) => {
    const started = Date.now();
    const publishers: LightPublisher[] = [];
    const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    try {
      const ana = await joinBrowser(camerasBrowser, sfuServer, 'Ana');
      const bruno = await joinBrowser(camerasBrowser, sfuServer, 'Bruno');
      const browsers = [ana, bruno];

      const atFive = await largeRoomTest.step(
        'the fifth person moves the room to the SFU: each browser sends one stream in three layers',
        async () => {
          // Together: each waits for the room to move to the SFU before it publishes.
          const joining = Array.from({ length: SFU_FROM - browsers.length }, (_, index) =>
            joinLightPublisher(sfuServer.url, ROOM, `Light ${index + 1}`),
          );
          publishers.push(...(await Promise.all(joining)));
          const uplinks = await Promise.all(browsers.map(({ page }) => expectOneSimulcastUplink(page, SFU_FROM - 1)));
          console.log(
            `5 people at ${elapsed()}: uplink layers ${JSON.stringify(uplinks.map((sent) => sent.layers.map(({ rid, frameWidth }) => `${rid}:${frameWidth}`)))}`,
          );
          return uplinks;
        },
      );

      await largeRoomTest.step('twenty people: the same single uplink, and every publisher video received by both browsers', async () => {
        const joining = Array.from({ length: PUBLISHERS - publishers.length }, (_, index) =>
          joinLightPublisher(sfuServer.url, ROOM, `Light ${publishers.length + index + 1}`),
        );
        publishers.push(...(await Promise.all(joining)));
        const people = publishers.length + browsers.length;
        expect(people).toBeGreaterThanOrEqual(20);
        for (const [index, { page }] of browsers.entries()) {
          const sent = await expectOneSimulcastUplink(page, people - 1);
          expect(sent.layers.length).toBe(atFive[index]?.layers.length);
        }
        console.log(`${people} people at ${elapsed()}`);
        for (const { name, page } of browsers) {
          const videos = await expectEveryVideoAdvancing(page, people - 1);
          // The other browser's video is real VP8, decoded (the werift publishers' is generated, counted in packets).
          const other = videos.find((video) => browsers.some((browser) => browser.id === video.id));
          expect(other?.framesDecoded).toBeGreaterThan(0);
          console.log(
            `${name} receives ${videos.length} videos, all advancing, at ${elapsed()}; ${other?.name}'s decoded frames: ${other?.framesDecoded}`,
          );
          for (const publisher of publishers) expect(videos.find((video) => video.id === publisher.id)?.received, publisher.name).toBe(true);
        }
      });

      await largeRoomTest.step('each browser gets the layer of the other one that its tile asks for, and nothing when it is not shown', async () => {
        for (const [viewer, sender] of [
          [ana, bruno],
          [bruno, ana],
        ] as const) {
          // The layers differ in size, so each width below tells which one is forwarded.
          const [q = 0, h = 0, f = 0] = (await uplink(sender.page)).layers.map((layer) => layer.frameWidth);
          expect(q).toBeGreaterThan(0);
          expect(h).toBeGreaterThan(q);
          expect(f).toBeGreaterThan(h);
          const seen: string[] = [];
          for (const { tile, rid } of TILES) {
            await setTileSize(viewer.page, sender.id, tile);
            const width = await layerWidth(sender.page, rid);
            await expectSteadyWidth(viewer.page, sender.id, width);
            seen.push(`${tile.width}x${tile.height} tile: ${rid} ${width} px`);
          }
          console.log(`${viewer.name} receives ${sender.name}: ${seen.join(', ')} (${elapsed()})`);

          await setTileSize(viewer.page, sender.id, null);
          let last = -1;
          await expect
            .poll(
              async () => {
                const packets = (await videoOf(viewer.page, sender.id)).packetsReceived;
                const still = packets === last;
                last = packets;
                return still;
              },
              { timeout: WAIT_MS, intervals: [1_000] },
            )
            .toBe(true);
          await setTileSize(viewer.page, sender.id, SMALL_TILE);
          await expect.poll(async () => (await videoOf(viewer.page, sender.id)).packetsReceived, { timeout: WAIT_MS }).toBeGreaterThan(last);
          await expectSteadyWidth(viewer.page, sender.id, await layerWidth(sender.page, 'q'));
          console.log(`${viewer.name} paused ${sender.name} (no packets for 1 s) and resumed it (${elapsed()})`);
        }
      });
      console.log(`done at ${elapsed()}`);
    } finally {
      await Promise.all(publishers.map((publisher) => publisher.close()));
    }
  },
);
