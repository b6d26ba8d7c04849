// File transfer throughput between two Chromium processes: the Ponte SDK (Room.sendFile, with
// its reading, chunking, backpressure and SHA-256) beside a raw RTCDataChannel (the floor: the
// best of a sweep of chunk sizes and buffer thresholds, plus the SDK's own settings) and
// PeerJS's DataConnection, all sending the same bytes in the same run, interleaved.
//
//   npm run bench:transfer [-- --mb 32 --runs 3 --quick]
//
// Prints a table of median MB/s (1 MB = 10^6 bytes) and writes bench/results/transfer.json.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { PeerServer } from 'peer';
import { createServer } from '../../packages/server/dist/index.js';
import { CHROMIUM_ARGS } from '../lib/browsers.mjs';
import { machine, median } from '../lib/common.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KiB = 1024;
const MiB = 1024 * KiB;

const { values: args } = parseArgs({
  options: {
    mb: { type: 'string', default: '32' },
    runs: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    'sdk-sweep': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const BYTES = Number(args.mb) * MiB;
const RUNS = Number(args.runs);

/** The SDK's defaults (FILE_TRANSFER_DEFAULTS in packages/client/src/FileTransfer.ts). */
const SDK_DEFAULTS = { chunkSize: 64 * KiB, highWaterMark: 4 * MiB, lowWaterMark: 1 * MiB };

const RAW_SWEEP = args.quick
  ? [SDK_DEFAULTS]
  : [16 * KiB, 64 * KiB, 256 * KiB].flatMap((chunkSize) =>
      [
        [1 * MiB, 256 * KiB],
        [4 * MiB, 1 * MiB],
        [8 * MiB, 2 * MiB],
      ].map(([highWaterMark, lowWaterMark]) => ({ chunkSize, highWaterMark, lowWaterMark })),
    );

const SDK_CONFIGS = args['sdk-sweep']
  ? [
      SDK_DEFAULTS,
      { chunkSize: 64 * KiB, highWaterMark: 8 * MiB, lowWaterMark: 2 * MiB },
      { chunkSize: 256 * KiB, highWaterMark: 8 * MiB, lowWaterMark: 2 * MiB },
      { chunkSize: 16 * KiB, highWaterMark: 1 * MiB, lowWaterMark: 256 * KiB },
    ]
  : [SDK_DEFAULTS];

const label = ({ chunkSize, highWaterMark, lowWaterMark }) =>
  `${chunkSize / KiB} KiB chunks, ${highWaterMark / MiB}/${lowWaterMark / MiB} MiB high/low`;

/**
 * A web root for the Ponte server with the bench page, its script, the SDK bundle and the
 * PeerJS browser bundle: served by the signaling server itself, so the page is same-origin.
 */
async function prepareWebRoot() {
  const dir = await mkdtemp(join(tmpdir(), 'ponte-bench-'));
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><script src="/peerjs.min.js"></script><script type="module" src="/page.js"></script>',
  );
  await copyFile(new URL('./page.js', import.meta.url), join(dir, 'page.js'));
  await copyFile(`${ROOT}packages/client/dist/ponte-client.js`, join(dir, 'ponte-client.js'));
  await copyFile(`${ROOT}node_modules/peerjs/dist/peerjs.min.js`, join(dir, 'peerjs.min.js'));
  return dir;
}

/** PeerJS's own signaling server (`peer` from npm), in this process on a loopback port. */
async function startPeerServer() {
  return new Promise((resolve) => {
    const app = PeerServer({ port: 0, host: '127.0.0.1', path: '/' }, (server) => {
      resolve({ port: server.address().port, close: () => new Promise((done) => server.close(done)) });
    });
    app.on('error', (error) => console.error('peer server:', error.message));
  });
}

async function main() {
  const webRoot = await prepareWebRoot();
  const ponte = createServer({ logger: false, webRoot });
  const { url: ponteUrl } = await ponte.listen(0, '127.0.0.1');
  const wsUrl = `${ponteUrl.replace(/^http/, 'ws')}/ws`;
  const peerServer = await startPeerServer();
  const browsers = await Promise.all([0, 1].map(() => chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })));
  try {
    const [sender, receiver] = await Promise.all(
      browsers.map(async (browser) => {
        const page = await browser.newPage();
        page.on('pageerror', (error) => console.error('[page]', error.message));
        await page.goto(ponteUrl);
        await page.waitForFunction(() => window.bench?.ready === true);
        return page;
      }),
    );

    // Raw: one connection, signaled by hand; a fresh channel per run.
    const offer = await sender.evaluate(() => window.bench.rawOffer());
    const answer = await receiver.evaluate((sdp) => window.bench.rawAnswer(sdp), offer);
    await sender.evaluate((sdp) => window.bench.rawAccept(sdp), answer);

    // PeerJS: receiver first, then the sender connects through the peer server.
    await receiver.evaluate(([port]) => window.bench.peerjsOpen('bench-receiver', port), [peerServer.port]);
    await sender.evaluate(([port]) => window.bench.peerjsOpen('bench-sender', port), [peerServer.port]);
    await sender.evaluate(() => window.bench.peerjsConnect('bench-receiver', 'binary'));

    // --profile: the raw channel at the SDK's settings doing, one by one, what the SDK does.
    const PROFILE = [
      ['reads a Blob', { fromBlob: true }],
      ['SHA-256 per chunk, sender', { digest: true }],
      ['SHA-256 per chunk, receiver', { recvDigest: true }],
      ['receiver stores into a Blob', { recvStore: true }],
      ['all of these', { fromBlob: true, digest: true, recvDigest: true, recvStore: true }],
    ];
    const methods = [
      ...(args.profile ? PROFILE.map(([what, work]) => ({ kind: 'profile', name: `raw + ${what}`, config: { ...SDK_DEFAULTS, work } })) : []),
      ...SDK_CONFIGS.map((config, index) => ({ kind: 'sdk', name: `Ponte SDK (${label(config)})`, config, index })),
      { kind: 'peerjs', name: 'PeerJS DataConnection (binary, 16,300-byte chunks)' },
      ...RAW_SWEEP.map((config) => ({ kind: 'raw', name: `raw RTCDataChannel (${label(config)})`, config })),
    ];
    const results = new Map(methods.map((method) => [method.name, []]));

    const joinSdk = async (index) => {
      const config = SDK_CONFIGS[index];
      const roomId = `bench-${index}-${Date.now()}`;
      await receiver.evaluate(([url, id]) => window.bench.ponteJoin(url, id, 'receiver'), [wsUrl, roomId]);
      await sender.evaluate(([url, id, data]) => window.bench.ponteJoin(url, id, 'sender', data), [wsUrl, roomId, config]);
      await sender.waitForFunction(() => window.bench.pontePeers().then((n) => n === 1));
    };
    let joined = -1;
    const runOnce = async (method) => {
      const options = { bytes: BYTES, ...method.config };
      if (method.kind === 'sdk') {
        if (joined !== method.index) {
          await joinSdk(method.index);
          joined = method.index;
          // A fresh connection starts SCTP's congestion window small; the other methods run
          // on warm connections, so warm this one too (untimed) before measuring it.
          await sender.evaluate((o) => window.bench.ponteSend(o), { ...options, bytes: Math.min(BYTES, 8 * MiB) });
        }
        return sender.evaluate((o) => window.bench.ponteSend(o), options);
      }
      if (method.kind === 'peerjs') return sender.evaluate((o) => window.bench.peerjsSend(o), options);
      return sender.evaluate((o) => window.bench.rawSend(o), options);
    };

    console.log(`Transfer benchmark: ${BYTES / MiB} MiB per run, ${RUNS} runs per method, interleaved; warming up…`);
    for (const method of methods) await runOnce(method);
    for (let run = 1; run <= RUNS; run++) {
      for (const method of methods) {
        const seconds = await runOnce(method);
        results.get(method.name).push(BYTES / 1e6 / seconds);
      }
      console.log(`  round ${run}/${RUNS} done`);
    }

    const rows = methods.map((method) => ({ ...method, runs: results.get(method.name), median: median(results.get(method.name)) }));
    const raws = rows.filter((row) => row.kind === 'raw');
    const floor = raws.reduce((best, row) => (row.median > best.median ? row : best));
    const rawSame = raws.find((row) => label(row.config) === label(SDK_DEFAULTS)) ?? floor;
    const sdk = rows.find((row) => row.kind === 'sdk' && row.index === 0);
    const peerjs = rows.find((row) => row.kind === 'peerjs');

    console.log('');
    console.log('| method | median MB/s | runs (MB/s) | vs raw floor |');
    console.log('| --- | ---: | --- | ---: |');
    for (const row of rows) {
      const mark = row === floor ? ' **floor**' : '';
      console.log(
        `| ${row.name}${mark} | ${row.median.toFixed(1)} | ${row.runs.map((v) => v.toFixed(1)).join(', ')} | ${(row.median / floor.median).toFixed(2)}x |`,
      );
    }
    const ratios = {
      sdkVsFloor: sdk.median / floor.median,
      sdkVsRawSameSettings: sdk.median / rawSame.median,
      peerjsVsFloor: peerjs.median / floor.median,
      sdkVsPeerjs: sdk.median / peerjs.median,
    };
    console.log('');
    console.log(
      `SDK / raw floor: ${ratios.sdkVsFloor.toFixed(2)}x (target >= 0.90)   SDK / raw at the SDK's settings: ${ratios.sdkVsRawSameSettings.toFixed(2)}x`,
    );
    console.log(`PeerJS / raw floor: ${ratios.peerjsVsFloor.toFixed(2)}x   SDK / PeerJS: ${ratios.sdkVsPeerjs.toFixed(2)}x`);

    const report = {
      bench: 'transfer',
      date: new Date().toISOString(),
      machine: machine({ browser: true }),
      bytesPerRun: BYTES,
      runsPerMethod: RUNS,
      unit: 'MB/s (10^6 bytes per second), median of the runs',
      floor: floor.name,
      ratios,
      methods: rows.map(({ name, kind, config, runs, median: m }) => ({ name, kind, config: config ?? null, runs, median: m })),
    };
    await mkdir(new URL('../results/', import.meta.url), { recursive: true });
    await writeFile(new URL('../results/transfer.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
    console.log('Wrote bench/results/transfer.json');
    if (ratios.sdkVsFloor < 0.9) process.exitCode = 2;
  } finally {
    await Promise.all(browsers.map((browser) => browser.close()));
    // PeerServer has no way to stop its timers and may wait on lingering sockets: bound the wait.
    await Promise.race([Promise.all([peerServer.close(), ponte.close()]), new Promise((resolve) => setTimeout(resolve, 2000))]);
    await rm(webRoot, { recursive: true, force: true });
  }
}

await main();
// The peer server's timers would keep the process (and the shared bench lock) alive.
process.exit();
