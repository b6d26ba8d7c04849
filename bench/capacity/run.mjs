// Capacity: the server's resident memory per idle signaling connection. A fresh server process
// (its own child, so VmRSS is its alone) gets N idle WebSocket connections from this process —
// Ponte: joined in rooms of two; floor and PeerJS: connected with ids — and once all are
// established and 2 s have passed, (VmRSS − VmRSS before the first connection) / N, at
// N = 5,000 and then (adding 5,000 more to the same process) 10,000. Servers interleaved, runs
// repeated, medians and ratios.
//
//   npm run bench:capacity [-- --runs 3 --counts 5000,10000]
//
// With PONTE_BASELINE_ROOT set (see SERVERS.baseline), that checkout's server is measured too.
import { parseArgs } from 'node:util';
import { median, printTable, processRssBytes, rotated, sleep, startServer, writeResult, SERVERS } from '../lib/common.mjs';
import { openClient } from '../lib/clients.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    counts: { type: 'string', default: '5000,10000' },
    settle: { type: 'string', default: '2' },
  },
});
const RUNS = Number(args.runs);
const COUNTS = args.counts.split(',').map(Number);
const SETTLE_MS = Number(args.settle) * 1000;
const NAMES = ['ponte', ...('baseline' in SERVERS ? ['baseline'] : []), 'floor', 'peerjs'];
const CONCURRENCY = 100;

async function measure(name) {
  const server = await startServer(name);
  const sockets = [];
  try {
    await sleep(SETTLE_MS);
    const before = processRssBytes(server.pid);
    const perConnection = {};
    for (const count of COUNTS) {
      // Open connections CONCURRENCY at a time until `count` are established.
      while (sockets.length < count) {
        const batch = [];
        for (let i = sockets.length; i < Math.min(count, sockets.length + CONCURRENCY); i++) {
          batch.push(openClient(name, server.port, { id: `c${i}`, room: `cap-${Math.floor(i / 2)}` }));
        }
        for (const client of await Promise.all(batch)) sockets.push(client.socket);
      }
      await sleep(SETTLE_MS);
      perConnection[count] = (processRssBytes(server.pid) - before) / count;
    }
    return { baselineRssBytes: before, bytesPerConnection: perConnection };
  } finally {
    for (const socket of sockets) socket.terminate();
    await server.stop();
  }
}

async function main() {
  console.log(`${COUNTS.join(' and ')} idle connections, ${RUNS} runs, servers interleaved`);
  const runs = Object.fromEntries(NAMES.map((name) => [name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const name of rotated(NAMES, run)) {
      const result = await measure(name);
      runs[name].push(result);
      console.log(
        `run ${run + 1} ${name}: baseline ${(result.baselineRssBytes / 2 ** 20).toFixed(1)} MiB, ${COUNTS.map((n) => `${n}: ${(result.bytesPerConnection[n] / 1024).toFixed(2)} KiB/conn`).join(', ')}`,
      );
    }
  }
  const summary = Object.fromEntries(
    NAMES.map((name) => [
      name,
      {
        label: SERVERS[name].label,
        baselineRssBytes: median(runs[name].map((r) => r.baselineRssBytes)),
        bytesPerConnection: Object.fromEntries(COUNTS.map((n) => [n, median(runs[name].map((r) => r.bytesPerConnection[n]))])),
      },
    ]),
  );
  const kib = (bytes) => (bytes / 1024).toFixed(2);
  console.log('\nMedians of the runs (KiB of server RSS per idle connection):\n');
  printTable(
    ['server', 'baseline RSS MiB', ...COUNTS.flatMap((n) => [`${n} conns KiB/conn`, 'vs floor', 'vs PeerJS'])],
    NAMES.map((name) => [
      summary[name].label,
      (summary[name].baselineRssBytes / 2 ** 20).toFixed(1),
      ...COUNTS.flatMap((n) => [
        kib(summary[name].bytesPerConnection[n]),
        `${(summary[name].bytesPerConnection[n] / summary.floor.bytesPerConnection[n]).toFixed(2)}x`,
        `${(summary[name].bytesPerConnection[n] / summary.peerjs.bytesPerConnection[n]).toFixed(2)}x`,
      ]),
    ]),
  );
  const ratios = Object.fromEntries(
    COUNTS.flatMap((n) => [
      [`ponteVsFloor@${n}`, summary.ponte.bytesPerConnection[n] / summary.floor.bytesPerConnection[n]],
      [`ponteVsPeerjs@${n}`, summary.ponte.bytesPerConnection[n] / summary.peerjs.bytesPerConnection[n]],
    ]),
  );
  const targets = Object.fromEntries(COUNTS.map((n) => [`atMost13xFloor@${n}`, ratios[`ponteVsFloor@${n}`] <= 1.3]));
  console.log(
    `\nPonte vs floor: ${COUNTS.map((n) => `${ratios[`ponteVsFloor@${n}`].toFixed(2)}x at ${n} (target ≤ 1.3x: ${targets[`atMost13xFloor@${n}`] ? 'met' : 'MISSED'})`).join(', ')}`,
  );
  if (summary.baseline) {
    const vsBaseline = COUNTS.map((n) => `${(summary.ponte.bytesPerConnection[n] / summary.baseline.bytesPerConnection[n]).toFixed(3)}x at ${n}`);
    console.log(`\nAgainst the baseline (${SERVERS.baseline.label}): ${vsBaseline.join(', ')}`);
  }
  writeResult('capacity', { config: { counts: COUNTS, runs: RUNS, settleSeconds: SETTLE_MS / 1000 }, summary, ratios, targets, runs });
}

await main();
