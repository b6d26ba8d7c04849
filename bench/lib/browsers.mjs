// Calls between Chromium processes, for the browser benches (bench/setup, bench/signaling):
// launching the browsers, the page server, the three signaling servers, and one call of N
// participants with one method, each participant a fresh page in its own Chromium process.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { median, ROOT, rotated, sleep, startServer } from './common.mjs';

/** The flags every bench's Chromium runs with. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

/** The fake camera (640x480 test pattern) and microphone (a beep), granted without a prompt. */
const MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/** The ways to set up a call, as the benches name them. */
export const METHODS = {
  ponte: 'Ponte SDK (Room)',
  floor: 'floor (bare RTCPeerConnection + bare relay)',
  peerjs: 'PeerJS (peer.call / call.answer)',
};

/** Launches `count` headless Chromium processes with the fake camera and microphone. */
export function launchBrowsers(count) {
  const launch = () => chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...MEDIA_ARGS] });
  return Promise.all(Array.from({ length: count }, launch));
}

/** What the page server serves: an empty page (callPage.js comes as an init script), the SDK and PeerJS. */
const FILES = {
  '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>bench</title>' },
  '/peerjs.min.js': { type: 'text/javascript', path: `${ROOT}node_modules/peerjs/dist/peerjs.min.js` },
  '/ponte-client.js': { type: 'text/javascript', path: `${ROOT}packages/client/dist/ponte-client.js` },
};

/** Serves the bench page on 127.0.0.1 (a secure context, so getUserMedia works): `{ url, close() }`. */
export async function startPageServer() {
  const server = createServer((request, response) => {
    const file = FILES[new URL(request.url ?? '/', 'http://localhost').pathname];
    if (!file) return void response.writeHead(404).end();
    (file.path ? readFile(file.path) : Promise.resolve(file.body)).then(
      (body) => response.writeHead(200, { 'content-type': `${file.type}; charset=utf-8` }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Starts the page server and the three signaling servers, each server its own child process
 * (bench/lib/common.mjs SERVERS): `{ pageUrl, ports: { ponte, floor, peerjs }, stop() }`.
 */
async function startCallServers() {
  const pages = await startPageServer();
  const servers = await Promise.all([
    // The page is served from another port: allow its origin on Ponte's WebSocket.
    startServer('ponte', [], { PONTE_ALLOWED_ORIGINS: pages.url }),
    startServer('floor'),
    startServer('peerjs'),
  ]);
  return {
    pageUrl: pages.url,
    ports: Object.fromEntries(servers.map((server) => [server.name, server.port])),
    stop: () => Promise.all([pages.close(), ...servers.map((server) => server.stop())]),
  };
}

/** What a participant's page needs to join with `method`. */
function joinOptions(method, ports, tag, index, call) {
  const id = `${tag}-${index}`;
  if (method === 'ponte') return { url: `ws://127.0.0.1:${ports.ponte}/ws`, room: tag, id };
  if (method === 'floor') return { url: `ws://127.0.0.1:${ports.floor}/`, call };
  return { port: ports.peerjs, id, call };
}

/**
 * One call of `browsers.length` participants with `method`, each a fresh page in its own
 * browser, its camera and microphone acquired first. They join one after another: each
 * calls everyone before it, and the next joins once everyone in the call is `connected` to
 * everyone and has shown a frame of everyone's video. `beforeLastMs` is a pause before the
 * last one joins, `afterMs` one after everyone is done, before the frames are counted.
 *
 * Resolves `{ newcomer, signaling, timeline }`: the last participant's `whenDone` times (ms
 * from its t0), every page's WebSocket counts (callPage.js `signaling()`), and every page's
 * events since the newcomer's t0, merged in order: `{ ms, who, what }` (`who`: p0, p1...).
 */
async function runCall(browsers, servers, method, { tag, beforeLastMs = 0, afterMs = 0 }) {
  const pages = await Promise.all(browsers.map((browser) => openCallPage(browser, servers.pageUrl, method)));
  try {
    const ids = [];
    let newcomer = null;
    for (const [index, page] of pages.entries()) {
      if (index === pages.length - 1) await sleep(beforeLastMs);
      const options = joinOptions(method, servers.ports, tag, index, [...ids]);
      ids.push(await page.evaluate(([m, o]) => window.bench.join(m, o), [method, options]));
      newcomer = await page.evaluate((n) => window.bench.whenDone(n), index);
      await Promise.all(pages.slice(0, index).map((p) => p.evaluate((n) => window.bench.whenDone(n), index)));
    }
    await sleep(afterMs);
    const timelines = await Promise.all(pages.map((page) => page.evaluate(() => window.bench.timeline())));
    const t0 = timelines[timelines.length - 1].t0;
    const timeline = timelines
      .flatMap(({ lines }, index) => lines.map(({ at, what }) => ({ ms: at - t0, who: `p${index}`, what })))
      .filter(({ ms }) => ms >= 0)
      .sort((a, b) => a.ms - b.ms);
    return {
      newcomer,
      signaling: await Promise.all(pages.map((page) => page.evaluate(() => window.bench.signaling()))),
      timeline,
    };
  } finally {
    await Promise.all(pages.map((page) => page.close()));
  }
}

/** A fresh page of `browser` with the bench page (callPage.js) loaded and prepared for `method`. */
export async function openCallPage(browser, pageUrl, method) {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('[page]', error.message));
  await page.addInitScript({ path: `${ROOT}bench/lib/callPage.js` });
  await page.goto(pageUrl);
  await page.evaluate((m) => window.bench.prepare(m), method);
  return page;
}

/**
 * Runs `runs` rounds of calls on one set of servers and `max(sizes)` browsers: in each round,
 * for each size, a call with each method (their order rotated per round). `measure(call,
 * { run, size, method })` turns one `runCall` result into a record; `callOptions(size)` are
 * the options of `runCall` (without its tag). Resolves every record, tagged with run (1-based),
 * size and method.
 */
export async function runCallRounds({ label, runs, sizes, callOptions }, measure) {
  const servers = await startCallServers();
  const browsers = await launchBrowsers(Math.max(...sizes));
  const records = [];
  const methods = Object.keys(METHODS);
  try {
    console.log(`${label}: ${runs} runs, methods interleaved (rotated), ${sizes.join(' and ')} participants`);
    for (let run = 0; run < runs; run++) {
      for (const size of sizes) {
        for (const method of rotated(methods, run)) {
          const tag = `${label}-${run}-${size}-${method}`.replace(/\W+/g, '-');
          const call = await runCall(browsers.slice(0, size), servers, method, { tag, ...callOptions(size) });
          records.push({ run: run + 1, size, method, ...measure(call, { run: run + 1, size, method }) });
        }
      }
    }
  } finally {
    await Promise.all(browsers.map((browser) => browser.close()));
    await servers.stop();
  }
  return records;
}

/** The median of each of `keys` over `records`, by size and method: `{ [size]: { [method]: { [key]: median } } }`. */
export function mediansBySizeAndMethod(records, sizes, keys) {
  return Object.fromEntries(
    sizes.map((size) => [
      size,
      Object.fromEntries(
        Object.keys(METHODS).map((method) => {
          const mine = records.filter((r) => r.size === size && r.method === method);
          return [method, Object.fromEntries(keys.map((key) => [key, median(mine.map((r) => r[key]))]))];
        }),
      ),
    ]),
  );
}
