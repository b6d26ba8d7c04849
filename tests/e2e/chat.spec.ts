import { expect, test } from './fixtures.js';
import { chatButton, chatLog, expectParticipants, joinWithoutMedia, sendChat } from './data.js';
import { recordSentFrames } from './pages.js';

test('a chat message reaches both others with its sender, counts as unread while closed, and adds no negotiation', async ({ server, participant }) => {
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
