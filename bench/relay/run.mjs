// Relay cost: P pairs of clients ping-pong signaling-sized frames through the server — A sends
// B a 4 KB SDP offer, B answers with a 300 B candidates frame, A sends the next offer when it
// arrives (one frame in flight per pair) — for a fixed window. Per server: relayed frames per
// second, round-trip p50/p99 (offer out → candidates back) and the server's CPU microseconds
// per relayed frame ((utime + stime) delta from /proc/<pid>/stat over the window / frames).
// Ponte, the floor (bare ws relay) and PeerJS's server, each its own child process, run
// interleaved in one run, several times; medians and ratios.
//
//   npm run bench:relay [-- --runs 5 --seconds 5 --pairs 20 --profile]
import { parseArgs } from 'node:util';
import { ROOT, median, rotated, printTable, startServer, writeResult, SERVERS } from '../lib/common.mjs';
import { openPair, PROTOCOLS } from '../lib/clients.mjs';
import { pingPong } from '../lib/pingPong.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '5' },
    pairs: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '1' },
    // Writes a V8 CPU profile of each server process to bench/results/profiles/<name>/.
    profile: { type: 'boolean', default: false },
    // A subset while working on one server, e.g. --servers ponte,floor (ratios need floor and peerjs).
    servers: { type: 'string', default: 'ponte,floor,peerjs' },
  },
});
const RUNS = Number(args.runs);
const WINDOW_MS = Number(args.seconds) * 1000;
const PAIRS = Number(args.pairs);
const WARMUP_MS = Number(args.warmup) * 1000;
const NAMES = args.servers.split(',').filter((name) => name in SERVERS);

/** One measured run against a fresh server process. */
async function measure(name) {
  const nodeArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${ROOT}bench/results/profiles/${name}`] : [];
  const server = await startServer(name, nodeArgs);
  const protocol = PROTOCOLS[name];
  const pairs = [];
  try {
    for (let i = 0; i < PAIRS; i++) pairs.push(await openPair(name, server.port, i));
    const result = await pingPong(pairs, protocol, { warmupMs: WARMUP_MS, windowMs: WINDOW_MS, pids: [server.pid] });
    delete result.perProcessMicrosPerFrame; // one process: the total
    return result;
  } finally {
    for (const { a, b } of pairs) {
      a.socket.terminate();
      b.socket.terminate();
    }
    await server.stop();
  }
}

async function main() {
  console.log(`${PAIRS} pairs, ${RUNS} runs × ${WINDOW_MS / 1000} s (after ${WARMUP_MS / 1000} s warm-up), servers interleaved`);
  const runs = Object.fromEntries(NAMES.map((name) => [name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const name of rotated(NAMES, run)) {
      const result = await measure(name);
      runs[name].push(result);
      console.log(
        `run ${run + 1} ${name}: ${result.framesPerSecond.toFixed(0)} frames/s, ${result.cpuMicrosPerFrame.toFixed(1)} µs CPU/frame (user ${result.userMicrosPerFrame.toFixed(1)}, system ${result.systemMicrosPerFrame.toFixed(1)}), rtt p50 ${result.rttP50Ms.toFixed(2)} ms p99 ${result.rttP99Ms.toFixed(2)} ms`,
      );
    }
  }
  const summary = Object.fromEntries(
    NAMES.map((name) => [
      name,
      {
        label: SERVERS[name].label,
        framesPerSecond: median(runs[name].map((r) => r.framesPerSecond)),
        rttP50Ms: median(runs[name].map((r) => r.rttP50Ms)),
        rttP99Ms: median(runs[name].map((r) => r.rttP99Ms)),
        cpuMicrosPerFrame: median(runs[name].map((r) => r.cpuMicrosPerFrame)),
        userMicrosPerFrame: median(runs[name].map((r) => r.userMicrosPerFrame)),
        systemMicrosPerFrame: median(runs[name].map((r) => r.systemMicrosPerFrame)),
      },
    ]),
  );
  const ratio = (name, key, base) => (summary[name] && summary[base] ? summary[name][key] / summary[base][key] : NaN);
  console.log('\nMedians of the runs:\n');
  printTable(
    ['server', 'frames/s', 'RTT p50 ms', 'RTT p99 ms', 'CPU µs/frame (user + system)', 'CPU vs floor', 'CPU vs PeerJS'],
    NAMES.map((name) => [
      summary[name].label,
      summary[name].framesPerSecond.toFixed(0),
      summary[name].rttP50Ms.toFixed(2),
      summary[name].rttP99Ms.toFixed(2),
      `${summary[name].cpuMicrosPerFrame.toFixed(1)} (${summary[name].userMicrosPerFrame.toFixed(1)} + ${summary[name].systemMicrosPerFrame.toFixed(1)})`,
      `${ratio(name, 'cpuMicrosPerFrame', 'floor').toFixed(2)}x`,
      `${ratio(name, 'cpuMicrosPerFrame', 'peerjs').toFixed(2)}x`,
    ]),
  );
  const ratios = {
    ponteCpuVsFloor: ratio('ponte', 'cpuMicrosPerFrame', 'floor'),
    ponteCpuVsPeerjs: ratio('ponte', 'cpuMicrosPerFrame', 'peerjs'),
    ponteFramesPerSecondVsFloor: ratio('ponte', 'framesPerSecond', 'floor'),
    ponteFramesPerSecondVsPeerjs: ratio('ponte', 'framesPerSecond', 'peerjs'),
  };
  const targets = {
    cpuAtMost115xFloor: ratios.ponteCpuVsFloor <= 1.15,
    cpuAtMost085xPeerjs: ratios.ponteCpuVsPeerjs <= 0.85,
  };
  if (summary.baseline) {
    console.log(
      `\nAgainst the baseline (${SERVERS.baseline.label}): CPU/frame ${ratio('ponte', 'cpuMicrosPerFrame', 'baseline').toFixed(3)}x, frames/s ${ratio('ponte', 'framesPerSecond', 'baseline').toFixed(3)}x, RTT p50 ${ratio('ponte', 'rttP50Ms', 'baseline').toFixed(3)}x`,
    );
  }
  console.log(
    `\nPonte CPU/frame: ${ratios.ponteCpuVsFloor.toFixed(2)}x the floor (target ≤ 1.15x: ${targets.cpuAtMost115xFloor ? 'met' : 'MISSED'}), ${ratios.ponteCpuVsPeerjs.toFixed(2)}x PeerJS (target ≤ 0.85x: ${targets.cpuAtMost085xPeerjs ? 'met' : 'MISSED'})`,
  );
  // Only a full run (all three servers) replaces the recorded results.
  if (NAMES.length < Object.keys(SERVERS).length) return;
  writeResult('relay', {
    config: {
      pairs: PAIRS,
      runs: RUNS,
      windowSeconds: WINDOW_MS / 1000,
      warmupSeconds: WARMUP_MS / 1000,
      offerBytes: PROTOCOLS.ponte.offer('x').length,
      candidatesBytes: PROTOCOLS.ponte.candidates('x').length,
    },
    summary,
    ratios,
    targets,
    runs,
  });
}

await main();
