import type { Page } from '@playwright/test';
import WebSocket from 'ws';
import { mintJoinToken } from '@ponte/server';
import { expect, startServer, test } from './fixtures.js';
import { enterLobby, expectVideoAdvancing, joinRoom, remoteTiles, tile } from './pages.js';

const CREDENTIALS = { username: 'ponte', password: 'correct horse battery' };
const SECRET = 'e2e-join-token-secret-0123456789';

/** Collects console messages about Content-Security-Policy violations on a page. */
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  return violations;
}

/** Resolves with the HTTP status a raw WebSocket upgrade got, or 101 when it opened. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      resolve(101);
      socket.close();
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

test('basic auth refuses pages and the WebSocket without credentials and lets a call through with them', async ({ participant }) => {
  const server = await startServer({ basicAuth: `${CREDENTIALS.username}:${CREDENTIALS.password}` });
  try {
    const wsUrl = `${server.url.replace(/^http/, 'ws')}/ws`;
    const bare = await participant();
    const response = await bare.request.get(`${server.url}/r/auth-room`, { headers: { accept: 'text/html' } });
    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toContain('Basic realm="Ponte"');
    expect(await response.text()).not.toContain('<div id="root">');
    expect(await upgradeStatus(wsUrl)).toBe(401);
    const basic = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;
    expect(await upgradeStatus(wsUrl, { authorization: basic })).toBe(101);

    const [ana, bruno] = await Promise.all([participant({ httpCredentials: CREDENTIALS }), participant({ httpCredentials: CREDENTIALS })]);
    const violations = [...cspViolations(ana), ...cspViolations(bruno)];
    const link = `${server.url}/r/auth-room`;
    for (const page of [ana, bruno]) {
      // The browser answers the 401 challenge with the credentials, so the page loads.
      expect((await page.goto(link))?.status()).toBe(200);
    }
    await joinRoom(ana, link, 'Ana');
    await joinRoom(bruno, link, 'Bruno');
    await expectVideoAdvancing(ana, 'Bruno');
    await expectVideoAdvancing(bruno, 'Ana');
    expect(violations).toEqual([]);
  } finally {
    await server.close();
  }
});

test('a room created with a password asks the others for it and admits the right one', async ({ server, participant }) => {
  const [ana, bruno] = await Promise.all([participant(), participant()]);
  const violations = [...cspViolations(ana), ...cspViolations(bruno)];
  await ana.goto(server.url);
  await ana.getByLabel('Your name').fill('Ana');
  await ana.getByLabel('Room password').fill('open sesame');
  await ana.getByRole('button', { name: 'Create room' }).click();
  await expect(ana).toHaveURL(/\/r\/[A-Za-z0-9_-]{22}$/);
  expect(ana.url()).not.toContain('sesame');
  const link = ana.url();
  await ana.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(tile(ana, 'Ana')).toBeVisible();

  await (await enterLobby(bruno, link, 'Bruno')).click();
  await expect(bruno.getByRole('alert')).toContainText('password');
  const field = bruno.getByLabel('Room password', { exact: true });
  await expect(field).toBeVisible();
  await expect(tile(ana, 'Bruno')).toHaveCount(0);

  await field.fill('wrong guess');
  await bruno.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(bruno.getByRole('alert')).toContainText('not right');

  await field.fill('open sesame');
  await bruno.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(tile(bruno, 'Bruno')).toBeVisible();
  await expectVideoAdvancing(bruno, 'Ana');
  await expectVideoAdvancing(ana, 'Bruno');
  expect(violations).toEqual([]);
});

test('a token-only server refuses a join without a token and enforces the token permissions', async ({ participant }) => {
  const server = await startServer({ tokenSecret: SECRET, requireToken: true });
  try {
    const [ana, bruno] = await Promise.all([participant(), participant()]);
    const link = `${server.url}/r/invited-room`;

    await (await enterLobby(ana, link, 'Ana')).click();
    await expect(ana.getByRole('alert')).toContainText('only invited people');

    const anaToken = await mintJoinToken({ room: 'invited-room', name: 'Ana Host' }, SECRET, '10m');
    // Opened fresh, as an invitation link is.
    await ana.goto('about:blank');
    await ana.goto(`${link}#token=${anaToken}`);
    // The token leaves the address bar at once, so an invite link never carries it.
    await expect(ana).toHaveURL(link);
    await expect(ana.getByLabel('Your name')).toHaveValue('Ana Host');
    await ana.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(tile(ana, 'Ana Host')).toBeVisible();

    const brunoToken = await mintJoinToken(
      { room: 'invited-room', name: 'Bruno Guest', permissions: { publishAudio: false, publishVideo: false, shareScreen: false } },
      SECRET,
      '10m',
    );
    await bruno.goto(`${link}#token=${brunoToken}`);
    await expect(bruno.getByRole('checkbox', { name: /Join with camera/ })).toBeDisabled();
    await expect(bruno.getByRole('checkbox', { name: /Join with microphone/ })).toBeDisabled();
    await bruno.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(tile(bruno, 'Bruno Guest')).toBeVisible();
    await expect(bruno.getByRole('button', { name: 'Microphone', exact: true })).toBeDisabled();
    await expect(bruno.getByRole('button', { name: 'Camera' })).toBeDisabled();
    await expect(bruno.getByRole('button', { name: 'Share screen' })).toBeDisabled();

    await expect(remoteTiles(ana)).toHaveCount(1);
    await expect(tile(ana, 'Bruno Guest').getByRole('img', { name: 'Camera off' })).toBeVisible();
    await expect(tile(ana, 'Bruno Guest').getByRole('img', { name: 'Microphone off' })).toBeVisible();
    await expectVideoAdvancing(bruno, 'Ana Host');
    // Bruno captured no camera at all: his own tile shows the camera off too.
    await expect(tile(bruno, 'Bruno Guest').getByRole('img', { name: 'Camera off' })).toBeVisible();
  } finally {
    await server.close();
  }
});
