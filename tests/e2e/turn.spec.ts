import { startCoturn, type Coturn } from './coturn.js';
import { expect, startServer, test } from './fixtures.js';
import { selectedLocalCandidateTypes, trackPeerConnections } from './instrument.js';
import { expectVideoAdvancing, joinRoom, tile } from './pages.js';

const TURN_SECRET = 'coturn-e2e-secret';
let coturn: Coturn;

test.beforeAll(async () => {
  coturn = await startCoturn(TURN_SECRET);
});

test.afterAll(async () => {
  await coturn.stop();
});

test('a relay-only room connects through coturn with credentials minted by the server', async ({ participant }) => {
  const server = await startServer({ turn: { urls: [coturn.url], secret: TURN_SECRET, ttlSeconds: 600 }, relayOnlyRooms: '*' });
  try {
    const [ana, bruno] = await Promise.all([participant(), participant()]);
    for (const page of [ana, bruno]) await trackPeerConnections(page);
    await joinRoom(ana, `${server.url}/r/relay-room`, 'Ana');
    await joinRoom(bruno, `${server.url}/r/relay-room`, 'Bruno');
    await expectVideoAdvancing(ana, 'Bruno');
    await expectVideoAdvancing(bruno, 'Ana');
    for (const page of [ana, bruno]) expect(await selectedLocalCandidateTypes(page)).toEqual(['relay']);
    // The app shows the same: the stats panel names the relayed path, the tile rates the link.
    await ana.getByRole('button', { name: 'Connection statistics' }).click();
    await expect(ana.getByRole('region', { name: 'Connection statistics' })).toContainText('relay →');
    await expect(tile(ana, 'Bruno').getByRole('img', { name: /^Connection quality: (good|fair)$/ })).toBeVisible();
  } finally {
    await server.close();
  }
});

test('a wrong TURN secret is reported clearly', async ({ participant }) => {
  const server = await startServer({ turn: { urls: [coturn.url], secret: 'not-the-secret' }, relayOnlyRooms: '*' });
  try {
    const [ana, bruno] = await Promise.all([participant(), participant()]);
    await joinRoom(ana, `${server.url}/r/wrong-secret`, 'Ana');
    await joinRoom(bruno, `${server.url}/r/wrong-secret`, 'Bruno');
    for (const page of [ana, bruno]) {
      await expect(page.getByRole('alert').filter({ hasText: 'TURN server' })).toContainText('refused our credentials');
    }
  } finally {
    await server.close();
  }
});
