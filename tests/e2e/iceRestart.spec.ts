import { expect, test } from './fixtures.js';
import { breakUdpPaths } from './firewall.js';
import { expectVideoAdvancing, joinRoom, recordSentFrames, tile } from './pages.js';

test('media recovers through an ICE restart within 10 s of a broken path coming back', async ({ server, participant }) => {
  const [ana, bruno] = await Promise.all([participant(), participant()]);
  const anaSent = recordSentFrames(ana);
  const brunoSent = recordSentFrames(bruno);
  await joinRoom(ana, `${server.url}/r/path-room`, 'Ana');
  await joinRoom(bruno, `${server.url}/r/path-room`, 'Bruno');
  await expectVideoAdvancing(ana, 'Bruno');
  await expectVideoAdvancing(bruno, 'Ana');
  const offersBefore = { ana: anaSent.offers(), bruno: brunoSent.offers() };

  const restorePath = breakUdpPaths();
  try {
    // The connection notices the broken path, then a side restarts ICE (a new offer).
    await expect(tile(ana, 'Bruno').locator('[data-connection-state]')).toBeVisible({ timeout: 20_000 });
    await expect.poll(() => anaSent.offers() + brunoSent.offers(), { timeout: 20_000 }).toBeGreaterThan(offersBefore.ana + offersBefore.bruno);
  } finally {
    restorePath();
  }
  const restoredAt = Date.now();
  await expectVideoAdvancing(ana, 'Bruno');
  await expectVideoAdvancing(bruno, 'Ana');
  const recoveryMs = Date.now() - restoredAt;
  test.info().annotations.push({ type: 'recovery', description: `${recoveryMs} ms after the path came back` });
  console.log(`media back ${recoveryMs} ms after the UDP path came back`);
  expect(recoveryMs).toBeLessThan(10_000);
  await expect(tile(ana, 'Bruno').locator('[data-connection-state]')).toHaveCount(0);
  // Only the impolite side restarted: crossing restart offers once froze a video for good.
  const restartingSides = [anaSent.offers() > offersBefore.ana, brunoSent.offers() > offersBefore.bruno].filter(Boolean);
  expect(restartingSides).toHaveLength(1);
});
