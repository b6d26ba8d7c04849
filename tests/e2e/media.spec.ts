import { expect, test } from './fixtures.js';
import { expectVideoAdvancing, joinRoom, recordSentFrames, tile, videoAspect } from './pages.js';

const CAMERA_ASPECT = 640 / 480;
const SCREEN_ASPECT = 1280 / 720;

test('camera off/on, screen sharing and back, and switching cameras reach the others with no new offer', async ({ server, participant }) => {
  const [bruno, ana] = await Promise.all([participant(), participant({ devices: 3 })]);
  const anaSent = recordSentFrames(ana);
  const link = `${server.url}/r/media-room`;
  await joinRoom(bruno, link, 'Bruno');
  await joinRoom(ana, link, 'Ana');
  await expectVideoAdvancing(bruno, 'Ana');
  await expectVideoAdvancing(ana, 'Bruno');
  const offersAtStart = anaSent.offers();
  expect(offersAtStart).toBeGreaterThanOrEqual(1);
  const anaOnBruno = tile(bruno, 'Ana');

  await test.step('camera off, then on again', async () => {
    const camera = ana.getByRole('button', { name: 'Camera', exact: true });
    await camera.click();
    await expect(camera).toHaveAttribute('aria-pressed', 'false');
    await expect(anaOnBruno.getByRole('img', { name: 'Camera off' })).toBeVisible({ timeout: 2_000 });
    await camera.click();
    await expect(camera).toHaveAttribute('aria-pressed', 'true');
    await expect(anaOnBruno.getByRole('img', { name: 'Camera off' })).toHaveCount(0, { timeout: 2_000 });
    await expectVideoAdvancing(bruno, 'Ana');
  });

  await test.step('screen share replaces the camera', async () => {
    const share = ana.getByRole('button', { name: 'Share screen' });
    await share.click();
    await expect(share).toHaveAttribute('aria-pressed', 'true');
    await expect(anaOnBruno.getByRole('img', { name: 'Sharing screen' })).toBeVisible({ timeout: 2_000 });
    await expect.poll(() => videoAspect(bruno, 'Ana')).toBeCloseTo(SCREEN_ASPECT, 2);
    await expectVideoAdvancing(bruno, 'Ana');

    await share.click();
    await expect(share).toHaveAttribute('aria-pressed', 'false');
    await expect(anaOnBruno.getByRole('img', { name: 'Sharing screen' })).toHaveCount(0, { timeout: 2_000 });
    await expect.poll(() => videoAspect(bruno, 'Ana')).toBeCloseTo(CAMERA_ASPECT, 2);
    await expectVideoAdvancing(bruno, 'Ana');
  });

  // Chromium's fake_device_1 is a 16-bit depth camera that WebRTC cannot encode; the
  // third fake camera is an ordinary (MJPEG) one.
  await test.step('switching to another camera', async () => {
    const picker = ana.getByLabel('Camera device');
    await picker.selectOption({ label: 'fake_device_2' });
    await expect
      .poll(() =>
        tile(ana, 'Ana')
          .locator('video')
          .evaluate((element: HTMLVideoElement) => (element.srcObject as MediaStream).getVideoTracks()[0]?.label),
      )
      .toBe('fake_device_2');
    await expectVideoAdvancing(bruno, 'Ana');
  });

  expect(anaSent.offers()).toBe(offersAtStart);
});
