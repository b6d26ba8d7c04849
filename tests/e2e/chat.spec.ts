import { expect, test } from './fixtures.js';
import { chatButton, chatLog, expectParticipants, joinWithoutMedia, sendChat } from './data.js';
import { recordSentFrames } from './pages.js';

test('a chat message reaches both others with its sender, counts as unread while closed, and adds no negotiation', async ({
  server,
  participant,
}) => {
  const [ana, bruno, carla] = await Promise.all([participant(), participant(), participant()]);
  // Ana is first in the room: she answers both others and so must never make an offer,
  // even though every connection carries data channels.
  const anaSent = recordSentFrames(ana);
  const link = `${server.url}/r/chat-room`;
  await joinWithoutMedia(ana, link, 'Ana');
  await joinWithoutMedia(bruno, link, 'Bruno');
  await joinWithoutMedia(carla, link, 'Carla');
  for (const page of [ana, bruno, carla]) await expectParticipants(page, 3);

  await sendChat(ana, 'Hello from Ana');
  await expect(chatLog(ana)).toContainText('Hello from Ana');

  for (const page of [bruno, carla]) {
    await expect(page.getByRole('button', { name: 'Chat, 1 unread' })).toBeVisible();
    await chatButton(page).click();
    const message = chatLog(page).locator('li').filter({ hasText: 'Hello from Ana' });
    await expect(message).toContainText('Ana');
    await expect(message.locator('time')).toHaveText(/\d{1,2}:\d{2}/);
    await expect(page.getByRole('button', { name: 'Chat', exact: true })).toBeVisible();
  }

  await sendChat(carla, 'Hi both');
  await expect(chatLog(bruno)).toContainText('Hi both');
  await expect(ana.getByRole('button', { name: 'Chat', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(chatLog(ana)).toContainText('Hi both');
  expect(anaSent.offers()).toBe(0);
});

test('markup in a chat message is shown as text, never run', async ({ server, participant }) => {
  const [ana, bruno] = await Promise.all([participant(), participant()]);
  const link = `${server.url}/r/markup-room`;
  await joinWithoutMedia(ana, link, 'Ana');
  await joinWithoutMedia(bruno, link, 'Bruno');
  const markup = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b>bold</b>';

  await sendChat(bruno, markup);
  await chatButton(ana).click();
  const log = chatLog(ana);
  await expect(log).toContainText(markup);
  await expect(log.locator('img, script, b')).toHaveCount(0);
  expect(await ana.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
});

test('data from a peer that is not valid is reported to the receiver, and the chat goes on', async ({ server, participant }) => {
  const [ana, bruno] = await Promise.all([participant(), participant()]);
  // Bruno's page keeps the data channels it opens, to send on one what no Ponte app sends.
  await bruno.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const channels: RTCDataChannel[] = [];
    (window as unknown as { __ponteChannels: RTCDataChannel[] }).__ponteChannels = channels;
    window.RTCPeerConnection = class extends Native {
      override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
        const channel = super.createDataChannel(label, init);
        channels.push(channel);
        return channel;
      }
    };
  });
  const link = `${server.url}/r/bad-data-room`;
  await joinWithoutMedia(ana, link, 'Ana');
  await joinWithoutMedia(bruno, link, 'Bruno');
  await sendChat(bruno, 'A real message first');
  await expect(ana.getByRole('button', { name: 'Chat, 1 unread' })).toBeVisible();

  const sent = await bruno.evaluate(() => {
    const open = (window as unknown as { __ponteChannels: RTCDataChannel[] }).__ponteChannels.filter(
      (channel) => channel.label === 'ponte-reliable' && channel.readyState === 'open',
    );
    for (const channel of open) channel.send('not JSON at all');
    return open.length;
  });
  expect(sent).toBe(1);
  await expect(ana.getByRole('alert')).toContainText('Something Bruno sent (a message or a file) was not valid');

  await sendChat(bruno, 'Still here');
  await chatButton(ana).click();
  await expect(chatLog(ana)).toContainText('Still here');
  await expect(bruno.getByRole('alert')).toHaveCount(0);
});
