import { expect, test } from './fixtures.js';
import { peerConnectionsCreated, recordReceivedFrames, trackPeerConnections } from './instrument.js';
import { expectVideoAdvancing, joinRoom, remoteTiles, tile } from './pages.js';
import { startServerProcess } from './serverProcess.js';
import { startTcpProxy } from './tcpProxy.js';

const NAMES = ['Ana', 'Bruno', 'Carla'] as const;

test('a dropped signaling connection resumes as the same peer and nobody sees a leave', async ({ server, participant }) => {
  const proxy = await startTcpProxy(Number(new URL(server.url).port));
  try {
    const [ana, bruno] = await Promise.all([participant(), participant()]);
    const brunoReceived = recordReceivedFrames(bruno);
    await joinRoom(ana, `${proxy.url}/r/drop-room`, 'Ana');
    await joinRoom(bruno, `${server.url}/r/drop-room`, 'Bruno');
    await expectVideoAdvancing(bruno, 'Ana');
    const anaId = await tile(ana, 'Ana').getAttribute('data-peer-id');
    const framesBefore = brunoReceived.types().length;

    const resumed = ana
      .waitForEvent('websocket')
      .then((socket) => new Promise<string>((resolve) => socket.on('framereceived', ({ payload }) => resolve(String(payload)))));
    proxy.dropAll();
    expect(JSON.parse(await resumed)).toMatchObject({ type: 'resumed', self: anaId, lapsed: false });

    // The room goes on: a change on Ana's side reaches Bruno over the resumed connection.
    await ana.getByRole('button', { name: 'Microphone', exact: true }).click();
    await expect(tile(bruno, 'Ana').getByRole('img', { name: 'Microphone off' })).toBeVisible();
    expect(brunoReceived.types().slice(framesBefore)).not.toContain('peer-left');
    expect(brunoReceived.types().slice(framesBefore)).not.toContain('peer-joined');
    await expect(tile(bruno, 'Ana')).toHaveAttribute('data-peer-id', anaId ?? '');
    await expectVideoAdvancing(bruno, 'Ana');
    await expectVideoAdvancing(ana, 'Bruno');
  } finally {
    await proxy.close();
  }
});

test('a server killed and restarted does not drop the call', async ({ participant }) => {
  const server = await startServerProcess({ PONTE_SECRET: 'e2e-resume-secret-0123' });
  try {
    const pages = await Promise.all(NAMES.map(() => participant()));
    for (const page of pages) await trackPeerConnections(page);
    for (const [index, page] of pages.entries()) await joinRoom(page, `${server.url}/r/restart-room`, NAMES[index] as string);
    for (const page of pages) await expect(remoteTiles(page)).toHaveCount(2);
    const idsBefore = await Promise.all(
      pages.map((page) => remoteTiles(page).evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-peer-id')).sort())),
    );

    expect(await server.stop('SIGKILL')).toBeNull();
    await test.step('media keeps flowing while the server is down', async () => {
      for (const [index, page] of pages.entries()) {
        await expect(page.getByRole('status').filter({ hasText: 'Reconnecting' })).toBeVisible();
        for (const name of NAMES.filter((_, other) => other !== index)) await expectVideoAdvancing(page, name);
      }
    });

    await server.start();
    await test.step('all three are back within 5 s, with the same ids and the same connections', async () => {
      await expect.poll(async () => (await server.health()).peers, { timeout: 5_000, intervals: [100] }).toBe(3);
      for (const [index, page] of pages.entries()) {
        await expect(page.getByRole('status').filter({ hasText: 'Reconnecting' })).toHaveCount(0);
        const ids = await remoteTiles(page).evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-peer-id')).sort());
        expect(ids).toEqual(idsBefore[index]);
        expect(await peerConnectionsCreated(page)).toBe(2);
      }
    });

    await test.step('a fourth person joins and connects to all three', async () => {
      const dora = await participant();
      await joinRoom(dora, `${server.url}/r/restart-room`, 'Dora');
      await expect(remoteTiles(dora)).toHaveCount(3);
      for (const name of NAMES) await expectVideoAdvancing(dora, name);
      for (const page of pages) await expectVideoAdvancing(page, 'Dora');
    });
  } finally {
    await server.stop('SIGKILL');
  }
});

test('a server stopped with SIGTERM exits cleanly and its clients come back when it restarts', async ({ participant }) => {
  const server = await startServerProcess({ PONTE_SECRET: 'e2e-resume-secret-0123' });
  try {
    const [ana, bruno] = await Promise.all([participant(), participant()]);
    await joinRoom(ana, `${server.url}/r/term-room`, 'Ana');
    await joinRoom(bruno, `${server.url}/r/term-room`, 'Bruno');
    await expectVideoAdvancing(ana, 'Bruno');
    const anaId = await tile(ana, 'Ana').getAttribute('data-peer-id');
    expect(await server.stop('SIGTERM')).toBe(0);
    await expect(ana.getByRole('status').filter({ hasText: 'Reconnecting' })).toBeVisible();
    await server.start();
    await expect(ana.getByRole('status').filter({ hasText: 'Reconnecting' })).toHaveCount(0);
    await expect.poll(async () => (await server.health()).peers).toBe(2);
    await expect(tile(bruno, 'Ana')).toHaveAttribute('data-peer-id', anaId ?? '');
    await expectVideoAdvancing(bruno, 'Ana');
  } finally {
    await server.stop('SIGKILL');
  }
});
