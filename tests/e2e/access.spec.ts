import { expect, startServer, test } from './fixtures.js';
import { expectVideoAdvancing, joinRoom, remoteTiles, tile } from './pages.js';

test('a full room says so clearly and lets the people inside go on', async ({ participant }) => {
  const server = await startServer({ maxPeersPerRoom: 2 });
  try {
    const [ana, bruno, carla] = await Promise.all([participant(), participant(), participant()]);
    const link = `${server.url}/r/small-room`;
    await joinRoom(ana, link, 'Ana');
    await joinRoom(bruno, link, 'Bruno');
    await carla.goto(link);
    await carla.getByLabel('Your name').fill('Carla');
    await carla.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(carla.getByRole('alert')).toContainText('full');
    await expect(tile(ana, 'Carla')).toHaveCount(0);
    await expectVideoAdvancing(ana, 'Bruno');
  } finally {
    await server.close();
  }
});

test('a participant whose camera is denied is told so and still sees the others', async ({ server, participant }) => {
  const [ana, bruno] = await Promise.all([participant(), participant({ media: 'denied' })]);
  const link = `${server.url}/r/denied-room`;
  await joinRoom(ana, link, 'Ana');
  await joinRoom(bruno, link, 'Bruno');
  await expect(bruno.getByRole('alert')).toContainText('denied');
  await expectVideoAdvancing(bruno, 'Ana');
  await expect(remoteTiles(ana)).toHaveCount(1);
  await expect(tile(ana, 'Bruno').getByRole('img', { name: 'Camera off' })).toBeVisible();
  await expect(tile(ana, 'Bruno').getByRole('img', { name: 'Microphone off' })).toBeVisible();
});
