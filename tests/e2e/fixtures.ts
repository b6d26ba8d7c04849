import { test as base, chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { createServer, type ServerOptions } from '@ponte/server';

// Run these through `npm run test:e2e -- <spec files>`: it holds a machine-wide lock so two
// runs on one (2-core) machine never compete for CPU and turn timing checks flaky.

/** Debian's Chromium; browser downloads are not possible here (see shared/TESTING.md). */
const CHROMIUM = process.env.PONTE_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a headless participant with a fake camera (test pattern) and microphone (beeps). */
const FAKE_MEDIA_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

/** The built web app the server serves. */
export const WEB_ROOT = fileURLToPath(new URL('../../apps/web/dist', import.meta.url));

/** A running Ponte server for one test. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts a real Ponte server on a free loopback port, serving the built web app. */
export async function startServer(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const server = createServer({ webRoot: WEB_ROOT, logger: false, ...options });
  const { url } = await server.listen(0, '127.0.0.1');
  return { url, close: () => server.close() };
}

/** How a participant's browser treats camera and microphone permission. */
export type MediaPermission = 'granted' | 'denied';

/** How to start one participant's browser. */
export interface ParticipantOptions {
  /** Camera/microphone permission. Default 'granted'. */
  media?: MediaPermission;
  /** How many fake cameras and microphones the browser has. Default 1. */
  devices?: number;
  /** HTTP basic credentials the browser answers a 401 with (pages and the WebSocket). */
  httpCredentials?: { username: string; password: string };
}

interface Fixtures {
  /** The default server: every test gets a fresh one. */
  server: RunningServer;
  /** Starts one participant: a separate Chromium process with a fake camera and mic. */
  participant: (options?: ParticipantOptions) => Promise<Page>;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from the destructuring
  server: async ({}, use) => {
    const server = await startServer();
    await use(server);
    await server.close();
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from the destructuring
  participant: async ({}, use) => {
    const browsers: Browser[] = [];
    await use(async ({ media = 'granted', devices = 1, httpCredentials } = {}) => {
      const args = [
        ...FAKE_MEDIA_ARGS,
        `--use-fake-device-for-media-stream=device-count=${devices}`,
        media === 'granted' ? '--use-fake-ui-for-media-stream' : '--deny-permission-prompts',
      ];
      const browser = await chromium.launch({ executablePath: CHROMIUM, args });
      browsers.push(browser);
      const context: BrowserContext = await browser.newContext({
        viewport: { width: 1024, height: 700 },
        ...(httpCredentials ? { httpCredentials } : {}),
      });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
      return page;
    });
    await Promise.all(browsers.map((browser) => browser.close()));
  },
});

export { expect } from '@playwright/test';
