import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page } from '@playwright/test';
import { enterLobby, tile } from './pages.js';

/** Joins with camera and microphone off (data tests need no media) and waits for our tile. */
export async function joinWithoutMedia(page: Page, roomUrl: string, name: string): Promise<void> {
  const join = await enterLobby(page, roomUrl, name);
  await page.getByLabel('Join with camera').uncheck();
  await page.getByLabel('Join with microphone').uncheck();
  await join.click();
  await expect(tile(page, name)).toBeVisible();
}

/** Waits until `page` lists `count` participants, ourselves included. */
export async function expectParticipants(page: Page, count: number): Promise<void> {
  await expect(page.getByRole('heading', { name: `Participants (${count})` })).toBeVisible();
}

/** The chat toggle, whatever its unread count. */
export function chatButton(page: Page): Locator {
  return page.getByRole('button', { name: /^Chat(, \d+ unread)?$/ });
}

/** Opens the chat panel (if closed) and sends `text` with the Enter key. */
export async function sendChat(page: Page, text: string): Promise<void> {
  const toggle = chatButton(page);
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await expect(box).toHaveValue('');
}

/** The chat log. */
export function chatLog(page: Page): Locator {
  return page.getByRole('log', { name: 'Chat messages' });
}

/** The transfer of `fileName` in the files panel. */
export function transfer(page: Page, fileName: string): Locator {
  return page.getByRole('group', { name: fileName, exact: true });
}

/** Picks the recipient and sends a file through the "Send file" button's file chooser. */
export async function sendFile(page: Page, to: string, file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  await page.getByLabel('Send to').selectOption({ label: to });
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Send file' }).click();
  await (await chooser).setFiles(file);
}

/** Bytes received so far by `page` for `fileName`, from its progress bar. */
export async function progressValue(page: Page, fileName: string): Promise<number> {
  return Number(
    await transfer(page, fileName)
      .getByRole('progressbar', { name: `${fileName} progress` })
      .getAttribute('value'),
  );
}

/** Clicks the download link of `fileName` and returns the SHA-256 (hex) of what was saved. */
export async function downloadSha256(page: Page, fileName: string): Promise<string> {
  const download = page.waitForEvent('download');
  await transfer(page, fileName)
    .getByRole('link', { name: `Download ${fileName}` })
    .click();
  const path = await (await download).path();
  return sha256(await readFile(path));
}

/** SHA-256 of `bytes`, hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
