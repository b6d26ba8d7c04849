import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { expect, test } from './fixtures.js';
import {
  chatButton,
  chatLog,
  downloadSha256,
  expectParticipants,
  joinWithoutMedia,
  progressValue,
  sendChat,
  sendFile,
  sha256,
  transfer,
} from './data.js';
import { recordSentFrames } from './pages.js';

const MB = 1024 * 1024;

test('a 20 MB random file sent to one peer arrives with the same SHA-256, with progress on both sides', async ({ server, participant }) => {
  const [ana, bruno, carla] = await Promise.all([participant(), participant(), participant()]);
  const link = `${server.url}/r/files-room`;
  await joinWithoutMedia(ana, link, 'Ana');
  await joinWithoutMedia(bruno, link, 'Bruno');
  await joinWithoutMedia(carla, link, 'Carla');
  for (const page of [ana, bruno, carla]) await expectParticipants(page, 3);
  const sent = [ana, bruno, carla].map((page) => recordSentFrames(page));
  const bytes = randomBytes(20 * MB);

  await sendFile(ana, 'Bruno', { name: 'random.bin', mimeType: 'application/octet-stream', buffer: bytes });
  const atAna = transfer(ana, 'random.bin');
  const atBruno = transfer(bruno, 'random.bin');
  await expect(atAna).toContainText('Waiting for Bruno to accept');
  await expect(atBruno).toContainText('Ana offers a file');
  await expect(atBruno).toContainText('21.0 MB'); // 20 MiB in decimal units
  await atBruno.getByRole('button', { name: 'Accept' }).click();

  // Both sides show a rate while bytes flow (it takes a few seconds at ~10 MB/s).
  await expect(atBruno).toContainText(/MB\/s/);
  await expect(atAna).toContainText(/MB\/s|Sent/);
  await expect(atAna).toContainText('Sent', { timeout: 60_000 });
  await expect(atBruno).toContainText('Received');
  expect(await progressValue(bruno, 'random.bin')).toBe(bytes.length);
  expect(await downloadSha256(bruno, 'random.bin')).toBe(sha256(bytes));

  // Only Bruno was offered the file, and file channels cost no renegotiation.
  await expect(transfer(carla, 'random.bin')).toHaveCount(0);
  for (const page of sent) expect(page.offers()).toBe(0);
});

test('cancelling mid-transfer leaves both sides clean and the room usable; a peer leaving ends a transfer with a reason', async ({
  server,
  participant,
}, testInfo) => {
  const [ana, bruno] = await Promise.all([participant(), participant()]);
  const link = `${server.url}/r/cancel-room`;
  await joinWithoutMedia(ana, link, 'Ana');
  await joinWithoutMedia(bruno, link, 'Bruno');
  await expectParticipants(ana, 2);
  const big = testInfo.outputPath('big.bin');
  await writeFile(big, randomBytes(96 * MB));

  await test.step('Ana cancels while Bruno receives', async () => {
    await sendFile(ana, 'Bruno', big);
    await transfer(bruno, 'big.bin').getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => progressValue(bruno, 'big.bin')).toBeGreaterThan(MB);
    await transfer(ana, 'big.bin').getByRole('button', { name: 'Cancel' }).click();
    await expect(transfer(ana, 'big.bin')).toContainText('Cancelled');
    await expect(transfer(bruno, 'big.bin')).toContainText('Cancelled by Ana');
    expect(await progressValue(bruno, 'big.bin')).toBeLessThan(96 * MB);
    for (const page of [ana, bruno]) {
      await expect(transfer(page, 'big.bin').getByRole('button')).toHaveCount(0);
      await expect(transfer(page, 'big.bin').getByRole('link')).toHaveCount(0);
    }
  });

  await test.step('the room still works: chat, and a file dropped on the panel', async () => {
    await sendChat(bruno, 'still here');
    await chatButton(ana).click();
    await expect(chatLog(ana)).toContainText('still here');

    const dropped = await bruno.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(new File(['dropped file body'], 'notes.txt', { type: 'text/plain' }));
      return data;
    });
    await bruno.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: dropped });
    await transfer(ana, 'notes.txt').getByRole('button', { name: 'Accept' }).click();
    await expect(transfer(ana, 'notes.txt')).toContainText('Received');
    expect(await downloadSha256(ana, 'notes.txt')).toBe(sha256(Buffer.from('dropped file body')));
  });

  await test.step('Bruno declines one file, then leaves in the middle of another', async () => {
    await sendFile(ana, 'Bruno', { name: 'unwanted.txt', mimeType: 'text/plain', buffer: Buffer.from('no thanks') });
    await transfer(bruno, 'unwanted.txt').getByRole('button', { name: 'Decline' }).click();
    await expect(transfer(ana, 'unwanted.txt')).toContainText('Declined');

    await sendFile(ana, 'Bruno', big);
    const atBruno = transfer(bruno, 'big.bin').first();
    await atBruno.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(async () => Number(await atBruno.getByRole('progressbar').getAttribute('value'))).toBeGreaterThan(MB);
    await bruno.getByRole('button', { name: 'Leave' }).click();
    await expect(transfer(ana, 'big.bin').first()).toContainText('Stopped: Bruno left');
    await expect(transfer(ana, 'big.bin').first().getByRole('button')).toHaveCount(0);
  });
});
