import { chromium, type Browser, type Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { expectVideoAdvancing, joinRoom, tile } from './pages.js';

const CHROMIUM = process.env.PONTE_CHROMIUM ?? '/usr/bin/chromium';

/** Three participants share one Chromium (one context each): a fake camera and microphone. */
const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

let browser: Browser | undefined;

test.afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

/** A new participant's page in the shared browser. */
async function openPage(): Promise<Page> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
  const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  return page;
}

test('grid pages, speaker view by keyboard: one large tile, pinning, aria-pressed follows', async ({ server }) => {
  const room = `${server.url}/r/layout-room`;
  const [ana, bruno, carla] = [await openPage(), await openPage(), await openPage()];

  await test.step('Ana (two tiles a page, through ?tiles=2), Bruno and Carla join', async () => {
    await joinRoom(ana, `${room}?tiles=2`, 'Ana');
    await joinRoom(bruno, room, 'Bruno');
    await joinRoom(carla, room, 'Carla');
    for (const page of [ana, bruno, carla]) await expect(page.getByRole('heading', { name: 'Participants (3)' })).toBeVisible();
    await expect(bruno.getByRole('complementary', { name: 'Participants' }).getByText('Connected peer to peer')).toBeVisible();
  });

  await test.step('Ana sees two pages of two; the pager works by keyboard', async () => {
    const pages = ana.getByRole('navigation', { name: 'Participant pages' });
    await expect(pages.getByRole('status')).toHaveText('Page 1 of 2');
    await expect(tile(ana, 'Ana')).toBeVisible();
    await expect(tile(ana, 'Bruno')).toBeVisible();
    await expect(tile(ana, 'Carla')).toBeHidden();
    const previous = pages.getByRole('button', { name: 'Previous page of participants' });
    const next = pages.getByRole('button', { name: 'Next page of participants' });
    await expect(previous).toBeDisabled();
    await next.focus();
    await ana.keyboard.press('Enter');
    await expect(pages.getByRole('status')).toHaveText('Page 2 of 2');
    await expect(next).toBeDisabled();
    await expect(tile(ana, 'Carla')).toBeVisible();
    await expect(tile(ana, 'Ana')).toBeHidden();
    await expect(tile(ana, 'Bruno')).toBeHidden();
    await expectVideoAdvancing(ana, 'Carla');
    await previous.focus();
    await ana.keyboard.press('Space');
    await expect(pages.getByRole('status')).toHaveText('Page 1 of 2');
    await expect(tile(ana, 'Carla')).toBeHidden();
    await expectVideoAdvancing(ana, 'Bruno');
  });

  await test.step('Bruno (nine a page) has no pager', async () => {
    await expect(tile(bruno, 'Carla')).toBeVisible();
    await expect(bruno.getByRole('navigation', { name: 'Participant pages' })).toHaveCount(0);
  });

  await test.step('Bruno switches to speaker view by keyboard: one large tile, the first other participant', async () => {
    const toggle = bruno.getByRole('button', { name: 'Speaker view', exact: true });
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(bruno.locator('[data-tile-size]')).toHaveCount(0);
    await toggle.focus();
    await bruno.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    const large = bruno.locator('[data-tile-size="large"]');
    await expect(large).toHaveCount(1);
    await expect(large).toHaveAttribute('aria-label', 'Ana');
    await expect(bruno.locator('[data-tile-size="small"]')).toHaveCount(2);
    // Nobody spoke (a mesh names no speakers): Ana, who joined first, is shown large.
    const [big, small] = await Promise.all([tile(bruno, 'Ana').boundingBox(), tile(bruno, 'Carla').boundingBox()]);
    expect(big && small && big.width > 2 * small.width).toBe(true);
    await expectVideoAdvancing(bruno, 'Ana');
  });

  await test.step('Enter on Carla’s small tile pins her large; pressing it again unpins', async () => {
    const pin = tile(bruno, 'Carla').getByRole('button', { name: 'Pin Carla' });
    await expect(pin).toHaveAttribute('aria-pressed', 'false');
    await pin.focus();
    await bruno.keyboard.press('Enter');
    await expect(bruno.locator('[data-tile-size="large"]')).toHaveAttribute('aria-label', 'Carla');
    await expect(pin).toHaveAttribute('aria-pressed', 'true');
    await expect(tile(bruno, 'Ana')).toHaveAttribute('data-tile-size', 'small');
    await expectVideoAdvancing(bruno, 'Carla');
    await pin.focus();
    await bruno.keyboard.press('Enter');
    await expect(bruno.locator('[data-tile-size="large"]')).toHaveAttribute('aria-label', 'Ana');
  });

  await test.step('Space on the toggle goes back to the grid', async () => {
    const toggle = bruno.getByRole('button', { name: 'Speaker view', exact: true });
    await toggle.focus();
    await bruno.keyboard.press('Space');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(bruno.locator('[data-tile-size]')).toHaveCount(0);
    for (const name of ['Ana', 'Bruno', 'Carla']) await expect(tile(bruno, name)).toBeVisible();
  });
});
