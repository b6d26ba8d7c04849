import type { Page } from '@playwright/test';
import { expect, test, WEB_ROOT } from './fixtures.js';
import { expectFramesAdvancing, expectStreamAudible } from './pages.js';
import { startStaticServer } from './staticServer.js';

/** Watches a page for WebSockets, network requests after `since()` is true, and console errors. */
function watchNetwork(page: Page, since: () => boolean): { sockets: string[]; lateRequests: string[]; errors: string[] } {
  const seen = { sockets: [] as string[], lateRequests: [] as string[], errors: [] as string[] };
  page.on('websocket', (socket) => seen.sockets.push(socket.url()));
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.svg')) seen.errors.push(message.text());
  });
  page.on('request', (request) => {
    // The browser itself fetches the tab icon whenever it likes; that is not the page's doing.
    const url = new URL(request.url());
    if (since() && /^https?:$/.test(url.protocol) && url.pathname !== '/favicon.svg') seen.lateRequests.push(request.url());
  });
  return seen;
}

/** The value of the read-only code box `name` once it holds a code. */
async function readCode(page: Page, name: string): Promise<string> {
  const box = page.getByRole('textbox', { name, exact: true });
  await expect(box).toHaveValue(/^ponte1\.[A-Za-z0-9_-]{100,}$/, { timeout: 20_000 });
  return box.inputValue();
}

/** Replaces one character in the middle of `code` with another base64url character. */
function garble(code: string): string {
  const middle = Math.floor(code.length / 2);
  const replacement = code[middle] === 'x' ? 'y' : 'x';
  return code.slice(0, middle) + replacement + code.slice(middle + 1);
}

test('two browsers call each other with copy-and-paste codes, after the page host is gone', async ({ participant }) => {
  const host = await startStaticServer(WEB_ROOT);
  const [caller, callee] = await Promise.all([participant(), participant()]);
  let hostClosed = false;
  const callerNet = watchNetwork(caller, () => hostClosed);
  const calleeNet = watchNetwork(callee, () => hostClosed);

  try {
    await test.step('both load /manual from a plain static server, which then goes away', async () => {
      await Promise.all([caller.goto(`${host.url}/manual`), callee.goto(`${host.url}/manual`)]);
      for (const page of [caller, callee]) {
        await expect(page.getByRole('heading', { name: 'Call without a server' })).toBeVisible();
        await expect(page.getByRole('status').filter({ hasText: 'Connection:' })).toHaveText('Connection: not started');
      }
      expect(host.requests).toContain('/manual');
    });
  } finally {
    await host.close();
    hostClosed = true;
  }

  const offerCode = await test.step('the caller makes an offer code with a QR code', async () => {
    await caller.getByRole('button', { name: 'Start a call (caller)' }).click();
    const code = await readCode(caller, 'Your offer code');
    await expect(caller.getByRole('img', { name: 'QR code of your offer code' })).toBeVisible();
    await expect(caller.getByRole('button', { name: 'Copy code' })).toBeVisible();
    return code;
  });

  await test.step('the callee is told clearly when the code is garbled or truncated', async () => {
    await callee.getByRole('button', { name: 'Answer a call (callee)' }).click();
    const paste = callee.getByRole('textbox', { name: 'Paste the offer code' });
    const createAnswer = callee.getByRole('button', { name: 'Create answer' });
    await paste.fill(garble(offerCode));
    await createAnswer.click();
    await expect(callee.getByRole('alert')).toContainText('This is not a valid offer code: it is damaged');
    await paste.fill(offerCode.slice(0, Math.floor(offerCode.length * 0.8)));
    await createAnswer.click();
    await expect(callee.getByRole('alert')).toContainText('This offer code is incomplete');
    await expect(paste).toHaveAttribute('aria-invalid', 'true');
  });

  const answerCode = await test.step('the callee pastes the real offer and gets an answer code', async () => {
    await callee.getByRole('textbox', { name: 'Paste the offer code' }).fill(offerCode);
    await callee.getByRole('button', { name: 'Create answer' }).click();
    const code = await readCode(callee, 'Your answer code');
    await expect(callee.getByRole('alert')).toHaveCount(0);
    return code;
  });

  await test.step('the caller refuses its own offer as an answer, then connects with the answer', async () => {
    const paste = caller.getByRole('textbox', { name: 'Paste the answer code' });
    await paste.fill(offerCode);
    await caller.getByRole('button', { name: 'Connect' }).click();
    await expect(caller.getByRole('alert')).toContainText('This is an offer code, not an answer code');
    await paste.fill(answerCode);
    await caller.getByRole('button', { name: 'Connect' }).click();
    for (const page of [caller, callee]) {
      await expect(page.getByRole('status').filter({ hasText: 'Connection:' })).toHaveText('Connection: connected');
    }
  });

  await test.step('video and audio flow both ways', async () => {
    for (const page of [caller, callee]) {
      await expectFramesAdvancing(page.getByLabel('Remote video', { exact: true }));
      await expectFramesAdvancing(page.getByLabel('Your video', { exact: true }));
      await expectStreamAudible(page.getByLabel('Remote video', { exact: true }));
    }
  });

  await test.step('chat messages cross both ways, shown as text', async () => {
    const send = async (page: Page, text: string): Promise<void> => {
      await page.getByRole('textbox', { name: 'Message' }).fill(text);
      await page.getByRole('button', { name: 'Send' }).click();
      await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('');
    };
    await send(caller, 'Hello from the caller <b>bold?</b>');
    const calleeLog = callee.getByRole('log', { name: 'Chat messages' });
    await expect(calleeLog).toContainText('Hello from the caller <b>bold?</b>');
    await expect(calleeLog.locator('b')).toHaveCount(0);
    await send(callee, 'Hi caller, the callee here');
    await expect(caller.getByRole('log', { name: 'Chat messages' })).toContainText('Hi caller, the callee here');
  });

  expect(callerNet.sockets).toEqual([]);
  expect(calleeNet.sockets).toEqual([]);
  expect(callerNet.lateRequests).toEqual([]);
  expect(calleeNet.lateRequests).toEqual([]);
  // Bad codes are messages on the page, never exceptions.
  expect(callerNet.errors).toEqual([]);
  expect(calleeNet.errors).toEqual([]);
});
