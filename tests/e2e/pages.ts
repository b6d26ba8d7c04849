import { expect, type Locator, type Page } from '@playwright/test';

/** How long a media check may wait for frames or sound before it fails, in ms. */
const MEDIA_WAIT_MS = 15_000;

/** A participant's tile; its accessible name is the display name. */
export function tile(page: Page, name: string): Locator {
  return page.getByRole('group', { name, exact: true });
}

/** The tiles of everyone but ourselves. */
export function remoteTiles(page: Page): Locator {
  return page.locator('[data-peer-id][data-local="false"]');
}

/** Opens the room page, types a name in the lobby and clicks Join (does not wait). */
export async function enterLobby(page: Page, roomUrl: string, name: string): Promise<Locator> {
  await page.goto(roomUrl);
  await page.getByLabel('Your name').fill(name);
  return page.getByRole('button', { name: 'Join', exact: true });
}

/** Joins a room through the UI and waits until our own tile is shown. */
export async function joinRoom(page: Page, roomUrl: string, name: string): Promise<void> {
  await (await enterLobby(page, roomUrl, name)).click();
  await expect(tile(page, name)).toBeVisible();
}

/** Creates a room from the home page and returns its link. */
export async function createRoomFromHome(page: Page, baseUrl: string, name: string): Promise<string> {
  await page.goto(baseUrl);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page).toHaveURL(/\/r\/[A-Za-z0-9_-]{22}$/);
  return page.url();
}

/** Waits until `name`'s video on `page` plays: several new frames are painted. */
export async function expectVideoAdvancing(page: Page, name: string): Promise<void> {
  await expectFramesAdvancing(tile(page, name).locator('video'));
}

/**
 * Waits until the one `<video>` element `video` plays: three new frames are painted. Each
 * `requestVideoFrameCallback` fires for a newly presented frame; the frame counters must
 * differ (a re-bound stream restarts them, so they are compared for change, not growth).
 */
export async function expectFramesAdvancing(video: Locator): Promise<void> {
  await expect(video).toHaveCount(1);
  const painted = await video.evaluate(async (element: HTMLVideoElement, waitMs) => {
    const frame = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no new video frame')), waitMs);
        element.requestVideoFrameCallback((_now, metadata) => {
          clearTimeout(timer);
          resolve(metadata.presentedFrames);
        });
      });
    const counters = [await frame(), await frame(), await frame()];
    return { distinct: new Set(counters).size, paused: element.paused, width: element.videoWidth };
  }, MEDIA_WAIT_MS);
  expect(painted.paused).toBe(false);
  expect(painted.width).toBeGreaterThan(0);
  expect(painted.distinct).toBe(3);
}

/** Waits until `name`'s audio on `page` carries sound (the fake microphone beeps). */
export async function expectAudible(page: Page, name: string): Promise<void> {
  await expectStreamAudible(tile(page, name).locator('video'));
}

/** Waits until the audio of the stream shown by the `<video>` element `video` carries sound. */
export async function expectStreamAudible(video: Locator): Promise<void> {
  const peak = await video.evaluate(async (element: HTMLVideoElement, waitMs) => {
    const stream = element.srcObject;
    const track = stream instanceof MediaStream ? stream.getAudioTracks()[0] : undefined;
    if (!track) throw new Error('the tile has no audio track');
    const context = new AudioContext();
    await context.resume();
    const analyser = context.createAnalyser();
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const deadline = performance.now() + waitMs;
    try {
      while (performance.now() < deadline) {
        analyser.getFloatTimeDomainData(samples);
        const loudest = samples.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
        if (loudest > 0.01) return loudest;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return 0;
    } finally {
      await context.close();
    }
  }, MEDIA_WAIT_MS);
  expect(peak).toBeGreaterThan(0.01);
}

/** The width/height ratio of `name`'s video as `page` shows it (0 before the first frame). */
export function videoAspect(page: Page, name: string): Promise<number> {
  return tile(page, name)
    .locator('video')
    .evaluate((element: HTMLVideoElement) => (element.videoHeight ? element.videoWidth / element.videoHeight : 0));
}

/** Records the signaling frames a page sends, to count offers. */
export function recordSentFrames(page: Page): { offers(): number } {
  const frames: string[] = [];
  page.on('websocket', (socket) => socket.on('framesent', ({ payload }) => frames.push(String(payload))));
  return {
    offers: () =>
      frames.filter((frame) => {
        const parsed = JSON.parse(frame) as { type?: string; data?: { description?: { type?: string } } };
        return parsed.type === 'signal' && parsed.data?.description?.type === 'offer';
      }).length,
  };
}

/** The frames one `<video>` presented, recorded by {@link recordVideoFrames}. */
export interface VideoFrameLog {
  /** The longest stretch between `fromMs` and `toMs` (wall clock) in which no new frame was presented, in ms. */
  longestGap(fromMs: number, toMs: number): Promise<number>;
}

/**
 * Records when each new frame of `name`'s video on `page` is presented (wall clock, the same
 * clock as the test's `Date.now()` on this machine), from now on, so that a test can tell the
 * video never stopped during a stretch of time rather than sampling it now and then.
 */
export async function recordVideoFrames(page: Page, name: string): Promise<VideoFrameLog> {
  const video = tile(page, name).locator('video');
  await expect(video).toHaveCount(1);
  await video.evaluate((element: HTMLVideoElement & { ponteFrameTimes?: number[] }) => {
    const times: number[] = [];
    element.ponteFrameTimes = times;
    const onFrame = (): void => {
      times.push(Date.now());
      element.requestVideoFrameCallback(onFrame);
    };
    element.requestVideoFrameCallback(onFrame);
  });
  return {
    async longestGap(fromMs, toMs) {
      // The same element must still be shown: a replaced one would have no log and throws here.
      const times = await video.evaluate((element: HTMLVideoElement & { ponteFrameTimes?: number[] }) => {
        if (!element.ponteFrameTimes) throw new Error('this video element is not the one recorded');
        return element.ponteFrameTimes;
      });
      const points = [fromMs, ...times.filter((time) => time > fromMs && time < toMs), toMs];
      return points.reduce((longest, time, index) => Math.max(longest, index === 0 ? 0 : time - (points[index - 1] ?? time)), 0);
    },
  };
}
