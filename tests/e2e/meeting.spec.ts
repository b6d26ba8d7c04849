import { expect, test } from './fixtures.js';
import { createRoomFromHome, enterLobby, expectAudible, expectVideoAdvancing, joinRoom, remoteTiles, tile } from './pages.js';

const NAMES = ['Ana', 'Bruno', 'Carla'] as const;

test('three people meet: everyone sees and hears the two others, mute shows, leaving is seen, another room is apart', async ({
  server,
  participant,
}) => {
  const pages = await Promise.all(NAMES.map(() => participant()));
  const [ana, bruno, carla] = pages as [(typeof pages)[0], (typeof pages)[0], (typeof pages)[0]];

  await test.step('Ana creates a room from the home page; Bruno and Carla join by its link', async () => {
    const link = await createRoomFromHome(ana, server.url, 'Ana');
    await joinRoom(ana, link, 'Ana');
    await joinRoom(bruno, link, 'Bruno');
    await joinRoom(carla, link, 'Carla');
  });

  await test.step('each sees and hears two remote participants', async () => {
    for (const [index, page] of pages.entries()) {
      await expect(remoteTiles(page)).toHaveCount(2);
      const others = NAMES.filter((_, other) => other !== index);
      for (const name of others) {
        await expectVideoAdvancing(page, name);
        await expectAudible(page, name);
      }
      await expect(page.getByRole('heading', { name: 'Participants (3)' })).toBeVisible();
    }
  });

  await test.step('the video uplink budget is shared between the two others', async () => {
    await ana.getByRole('button', { name: 'Connection statistics' }).click();
    const panel = ana.getByRole('region', { name: 'Connection statistics' });
    await expect(panel.getByText('(video cap 1250 kbit/s)')).toHaveCount(2);
  });

  await test.step('Ana mutes her microphone: the others see it within 2 s', async () => {
    const microphone = ana.getByRole('button', { name: 'Microphone', exact: true });
    await expect(microphone).toHaveAttribute('aria-pressed', 'true');
    await microphone.click();
    await expect(microphone).toHaveAttribute('aria-pressed', 'false');
    await Promise.all(
      [bruno, carla].map((page) => expect(tile(page, 'Ana').getByRole('img', { name: 'Microphone off' })).toBeVisible({ timeout: 2_000 })),
    );
  });

  await test.step('Carla leaves: she disappears from the others within 3 s', async () => {
    await carla.getByRole('button', { name: 'Leave' }).click();
    await Promise.all([ana, bruno].map((page) => expect(tile(page, 'Carla')).toHaveCount(0, { timeout: 3_000 })));
    await expect(remoteTiles(ana)).toHaveCount(1);
    await expect(remoteTiles(bruno)).toHaveCount(1);
    // One peer left to send to: it gets the per-peer maximum.
    await expect(ana.getByRole('region', { name: 'Connection statistics' }).getByText('(video cap 1500 kbit/s)')).toHaveCount(1);
  });

  await test.step('Dora joins another room and sees nobody; nobody sees her', async () => {
    const dora = await participant();
    await joinRoom(dora, `${server.url}/r/another-room`, 'Dora');
    await expect(dora.getByRole('heading', { name: 'Participants (1)' })).toBeVisible();
    await expect(remoteTiles(dora)).toHaveCount(0);
    await expect(tile(ana, 'Dora')).toHaveCount(0);
    await expect(remoteTiles(ana)).toHaveCount(1);
    // The call in the first room still runs.
    await expectVideoAdvancing(ana, 'Bruno');
  });
});

test('two people who join at the same instant still connect', async ({ server, participant }) => {
  const [eva, fabio] = await Promise.all([participant(), participant()]);
  const link = `${server.url}/r/glare-room`;
  const buttons = await Promise.all([enterLobby(eva, link, 'Eva'), enterLobby(fabio, link, 'Fabio')]);
  await Promise.all(buttons.map((button) => button.click()));
  await expectVideoAdvancing(eva, 'Fabio');
  await expectVideoAdvancing(fabio, 'Eva');
  await expectAudible(eva, 'Fabio');
  await expectAudible(fabio, 'Eva');
});
