// Scale-out: what sharing rooms through Redis costs (issue 14). Two shapes side by side in one
// run, interleaved, the order rotating from run to run (cluster.mjs): one Ponte process with
// its rooms in memory, and two Ponte processes with REDIS_URL on one Redis (Debian's
// redis-server, a child like the servers). Three parts:
//
// - relay: the relay bench's load (20 pairs ping-ponging a 4 KB offer and a 300 B candidates
//   frame, one in flight per pair) with the two peers of every pair on different processes;
//   RTT p50/p99 and the CPU per relayed frame of every process (both Ponte processes and
//   Redis added up) against the one process. Targets: p99 and CPU per frame ≤ 2x.
// - capacity: 20,000 idle joined connections (rooms of two, one peer on each process), the
//   RSS growth of both processes and Redis per connection, against one process holding as
//   many as its descriptor limit allows (see measureCapacity). Target ≤ 1.5x.
// - failover: SIGKILL a process holding 1,000 joined peers; they resume on the other
//   (failover.mjs): kill → `resumed` p50/p99/max, same ids, nobody told `peer-left`; beside
//   it the same storm of resumes on one process after the clients' sockets broke at once.
//
//   npm run bench:scaleout [-- --parts relay,capacity,failover --runs N --relay-runs 5
//     --seconds 5 --pairs 20 --capacity-runs 3 --connections 20000 --failover-runs 3
//     --failover-peers 1000 --grace 30000 --profile]
//
// Only a run of all three parts without --profile replaces bench/results/scaleout.json.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ROOT, median, printTable, rotated, writeResult } from '../lib/common.mjs';
import { SHAPES } from './cluster.mjs';
import { measureFailover } from './failover.mjs';
import { measureCapacity, measureRelay } from './parts.mjs';

const { values: args } = parseArgs({
  options: {
    parts: { type: 'string', default: 'relay,capacity,failover' },
    // Sets the runs of every part (the per-part flags below win).
    runs: { type: 'string' },
    'relay-runs': { type: 'string' },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    pairs: { type: 'string', default: '20' },
    // Writes a V8 CPU profile of each Ponte process of the relay part to bench/results/profiles/scaleout/<node>/.
    profile: { type: 'boolean', default: false },
    'capacity-runs': { type: 'string' },
    connections: { type: 'string', default: '20000' },
    settle: { type: 'string', default: '2' },
    holders: { type: 'string', default: '2' },
    'failover-runs': { type: 'string' },
    'failover-peers': { type: 'string', default: '1000' },
    grace: { type: 'string', default: '30000' },
  },
});
const PARTS = args.parts.split(',');
const runsOf = (flag, fallback) => Number(args[flag] ?? args.runs ?? fallback);
const NAMES = ['single', 'scaleout'];
/** The relay part adds the floor of any relay through Redis: bare relays, one PUBLISH per frame. */
const RELAY_NAMES = [...NAMES, 'floor'];

const ms = (value) => value.toFixed(2);
const x = (value) => `${value.toFixed(2)}x`;
const verdict = (ok) => (ok ? 'met' : 'MISSED');
/** The median over `runs` of `pick(run)`. */
const med = (runs, pick) => median(runs.map(pick));
/** The median of each process's figure, by process name. */
const medPerProcess = (runs, pick) => Object.fromEntries(Object.keys(pick(runs[0])).map((name) => [name, med(runs, (r) => pick(r)[name])]));

/** Runs `measure(shape)` `count` times for both shapes, interleaved and rotated, logging each. */
async function interleaved(count, measure, describe, names = NAMES) {
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  for (let run = 0; run < count; run++) {
    for (const shape of rotated(names, run)) {
      const result = await measure(shape);
      runs[shape].push(result);
      console.log(`run ${run + 1} ${shape}: ${describe(result)}`);
    }
  }
  return runs;
}

/** The median over runs of Redis's calls and µs per relayed frame, by command (a command missing from a run counts 0). */
function redisPerFrame(runs) {
  const commands = [...new Set(runs.flatMap((r) => Object.keys(r.redisPerFrame)))];
  const pick = (command, key) => med(runs, (r) => r.redisPerFrame[command]?.[key] ?? 0);
  return Object.fromEntries(commands.map((command) => [command, { calls: pick(command, 'calls'), usec: pick(command, 'usec') }]));
}

async function relayPart() {
  const config = {
    pairs: Number(args.pairs),
    runs: runsOf('relay-runs', 5),
    windowSeconds: Number(args.seconds),
    warmupSeconds: Number(args.warmup),
  };
  console.log(
    `\n## Relay: ${config.pairs} pairs (the two peers of each pair on different processes when scaled out), ${config.runs} runs × ${config.windowSeconds} s\n`,
  );
  const perProcess = (r) =>
    Object.entries(r.perProcessMicrosPerFrame)
      .map(([name, micros]) => `${name} ${micros.toFixed(1)}`)
      .join(' + ');
  const runs = await interleaved(
    config.runs,
    (shape) =>
      measureRelay(shape, {
        pairs: config.pairs,
        warmupMs: config.warmupSeconds * 1000,
        windowMs: config.windowSeconds * 1000,
        profile: args.profile,
      }),
    (r) =>
      `${r.framesPerSecond.toFixed(0)} frames/s, ${r.cpuMicrosPerFrame.toFixed(1)} µs CPU/frame (${perProcess(r)}), rtt p50 ${ms(r.rttP50Ms)} ms p99 ${ms(r.rttP99Ms)} ms`,
    RELAY_NAMES,
  );
  const summary = Object.fromEntries(
    RELAY_NAMES.map((shape) => [
      shape,
      {
        label: SHAPES[shape],
        framesPerSecond: med(runs[shape], (r) => r.framesPerSecond),
        rttP50Ms: med(runs[shape], (r) => r.rttP50Ms),
        rttP99Ms: med(runs[shape], (r) => r.rttP99Ms),
        cpuMicrosPerFrame: med(runs[shape], (r) => r.cpuMicrosPerFrame),
        userMicrosPerFrame: med(runs[shape], (r) => r.userMicrosPerFrame),
        systemMicrosPerFrame: med(runs[shape], (r) => r.systemMicrosPerFrame),
        perProcessMicrosPerFrame: medPerProcess(runs[shape], (r) => r.perProcessMicrosPerFrame),
        ...(runs[shape][0].redisPerFrame === undefined ? {} : { redisPerFrame: redisPerFrame(runs[shape]) }),
      },
    ]),
  );
  const ratio = (key, of = 'scaleout', to = 'single') => summary[of][key] / summary[to][key];
  const ratios = {
    rttP50: ratio('rttP50Ms'),
    rttP99: ratio('rttP99Ms'),
    cpuPerFrame: ratio('cpuMicrosPerFrame'),
    framesPerSecond: ratio('framesPerSecond'),
    // The floor: what passing each frame through Redis costs at least, against the same one process.
    floorRttP99: ratio('rttP99Ms', 'floor'),
    floorCpuPerFrame: ratio('cpuMicrosPerFrame', 'floor'),
    cpuPerFrameVsFloor: ratio('cpuMicrosPerFrame', 'scaleout', 'floor'),
  };
  const targets = { rttP99AtMost2x: ratios.rttP99 <= 2, cpuPerFrameAtMost2x: ratios.cpuPerFrame <= 2 };
  console.log('\nMedians of the runs:\n');
  printTable(
    ['shape', 'frames/s', 'RTT p50 ms', 'RTT p99 ms', 'CPU µs/frame (user + system)', 'per process µs/frame', 'CPU vs one process'],
    RELAY_NAMES.map((shape) => {
      const s = summary[shape];
      return [
        s.label,
        s.framesPerSecond.toFixed(0),
        ms(s.rttP50Ms),
        ms(s.rttP99Ms),
        `${s.cpuMicrosPerFrame.toFixed(1)} (${s.userMicrosPerFrame.toFixed(1)} + ${s.systemMicrosPerFrame.toFixed(1)})`,
        perProcess(s),
        x(s.cpuMicrosPerFrame / summary.single.cpuMicrosPerFrame),
      ];
    }),
  );
  const commands = Object.entries(summary.scaleout.redisPerFrame ?? {}).sort((a, b) => b[1].usec - a[1].usec);
  console.log(
    `\nRedis per relayed frame (INFO commandstats; scripts' own calls included): ${commands.map(([name, c]) => `${name} ${c.calls.toFixed(2)} calls ${c.usec.toFixed(1)} µs`).join(', ')}`,
  );
  console.log(
    `\nScaled out vs one process: RTT p50 ${x(ratios.rttP50)}, p99 ${x(ratios.rttP99)} (target ≤ 2x: ${verdict(targets.rttP99AtMost2x)}), CPU per frame ${x(ratios.cpuPerFrame)} (target ≤ 2x: ${verdict(targets.cpuPerFrameAtMost2x)}), frames/s ${x(ratios.framesPerSecond)}`,
  );
  console.log(
    `Floor (bare relays, one PUBLISH per frame) vs one process: RTT p99 ${x(ratios.floorRttP99)}, CPU per frame ${x(ratios.floorCpuPerFrame)}; scaled-out Ponte vs the floor: CPU per frame ${x(ratios.cpuPerFrameVsFloor)}`,
  );
  return { config, summary, ratios, targets, runs };
}

async function capacityPart() {
  const config = {
    connections: Number(args.connections),
    runs: runsOf('capacity-runs', 3),
    settleSeconds: Number(args.settle),
    holders: Number(args.holders),
  };
  console.log(`\n## Capacity: ${config.connections} idle joined connections, ${config.runs} runs\n`);
  const kib = (bytes) => (bytes / 1024).toFixed(2);
  const perProcess = (p) =>
    Object.entries(p)
      .map(([name, bytes]) => `${name} ${kib(bytes)}`)
      .join(' + ');
  const runs = await interleaved(
    config.runs,
    (shape) =>
      measureCapacity(shape, { connections: config.connections, settleMs: config.settleSeconds * 1000, holders: config.holders, concurrency: 50 }),
    (r) =>
      `${r.connections} connections (opened in ${r.openSeconds.toFixed(1)} s): ${kib(r.bytesPerConnection)} KiB/conn (${perProcess(Object.fromEntries(Object.entries(r.perProcess).map(([n, p]) => [n, p.bytesPerConnection])))}), with the processes' RSS before: ${kib(r.totalBytesPerConnection)} KiB/conn`,
  );
  const summary = Object.fromEntries(
    NAMES.map((shape) => [
      shape,
      {
        label: SHAPES[shape],
        connections: med(runs[shape], (r) => r.connections),
        rssBeforeBytes: med(runs[shape], (r) => r.rssBeforeBytes),
        bytesPerConnection: med(runs[shape], (r) => r.bytesPerConnection),
        totalBytesPerConnection: med(runs[shape], (r) => r.totalBytesPerConnection),
        perProcessBytesPerConnection: medPerProcess(runs[shape], (r) =>
          Object.fromEntries(Object.entries(r.perProcess).map(([name, p]) => [name, p.bytesPerConnection])),
        ),
        openSeconds: med(runs[shape], (r) => r.openSeconds),
      },
    ]),
  );
  const ratios = {
    bytesPerConnection: summary.scaleout.bytesPerConnection / summary.single.bytesPerConnection,
    totalBytesPerConnection: summary.scaleout.totalBytesPerConnection / summary.single.totalBytesPerConnection,
  };
  const targets = { rssPerConnectionAtMost15x: ratios.bytesPerConnection <= 1.5 };
  console.log('\nMedians of the runs (KiB of RSS per idle connection; growth over the RSS before the first connection):\n');
  printTable(
    ['shape', 'connections', 'RSS before MiB', 'KiB/conn', 'per process KiB/conn', 'vs one process', 'KiB/conn with RSS before', 'vs one process'],
    NAMES.map((shape) => {
      const s = summary[shape];
      return [
        s.label,
        String(s.connections),
        (s.rssBeforeBytes / 2 ** 20).toFixed(1),
        kib(s.bytesPerConnection),
        perProcess(s.perProcessBytesPerConnection),
        x(s.bytesPerConnection / summary.single.bytesPerConnection),
        kib(s.totalBytesPerConnection),
        x(s.totalBytesPerConnection / summary.single.totalBytesPerConnection),
      ];
    }),
  );
  console.log(
    `\nScaled out vs one process: RSS per connection ${x(ratios.bytesPerConnection)} (target ≤ 1.5x: ${verdict(targets.rssPerConnectionAtMost15x)}); counting the processes' RSS before the connections ${x(ratios.totalBytesPerConnection)}`,
  );
  if (summary.single.connections < config.connections) {
    console.log(
      `(one process held ${summary.single.connections}: its descriptor limit, ulimit -n, leaves no room for ${config.connections} sockets)`,
    );
  }
  return { config, summary, ratios, targets, runs };
}

async function failoverPart() {
  const config = { peers: Number(args['failover-peers']), runs: runsOf('failover-runs', 3), reconnectGraceMs: Number(args.grace) };
  console.log(
    `\n## Failover: SIGKILL of a process holding ${config.peers} joined peers, which resume on the other (one process: the same peers' sockets broken at once, resuming on it); ${config.runs} runs\n`,
  );
  const runs = await interleaved(
    config.runs,
    (shape) => measureFailover(shape, { peers: config.peers, graceMs: config.reconnectGraceMs }),
    (r) => {
      const lost = r.lostSignals.map((l) => `closed ${l.closedMs?.toFixed(0)} resumed ${l.resumedMs?.toFixed(0)}`).join('; ');
      const swept = Number.isNaN(r.sweptMs)
        ? ''
        : `; A swept at ${(r.sweptMs / 1000).toFixed(1)} s, holds in Redis ${r.holdsInRedis}, peers left on A ${r.peersLeftOnDeadNode}`;
      return `${r.resumed}/${r.peers} resumed (${r.sameIds} with the same id${r.failures.length > 0 ? `; failed: ${r.failures.slice(0, 5).join(', ')}` : ''}), break → closed p50 ${ms(r.closedP50Ms)} ms max ${ms(r.closedMaxMs)} ms, break → resumed p50 ${ms(r.resumedP50Ms)} p99 ${ms(r.resumedP99Ms)} max ${ms(r.resumedMaxMs)} ms, closed → resumed p50 ${ms(r.resumeTookP50Ms)} p99 ${ms(r.resumeTookP99Ms)} ms; peer-left ${r.peerLeft}; errors ${r.errors.length === 0 ? 'none' : r.errors.join(', ')}; signals sent meanwhile: ${r.signalsDeliveredOnce} once, ${r.signalsLost} lost${lost === '' ? '' : ` (${lost} ms)`}, ${r.signalsDuplicated} twice or more${swept}`;
    },
  );
  const summarize = (list) => {
    const sum = (pick) => list.reduce((total, r) => total + pick(r), 0);
    return {
      closedP50Ms: med(list, (r) => r.closedP50Ms),
      resumedP50Ms: med(list, (r) => r.resumedP50Ms),
      resumedP99Ms: med(list, (r) => r.resumedP99Ms),
      resumedMaxMs: med(list, (r) => r.resumedMaxMs),
      resumeTookP50Ms: med(list, (r) => r.resumeTookP50Ms),
      resumeTookP99Ms: med(list, (r) => r.resumeTookP99Ms),
      peers: sum((r) => r.peers),
      resumed: sum((r) => r.resumed),
      sameIds: sum((r) => r.sameIds),
      peerLeft: sum((r) => r.peerLeft),
      signalsDeliveredOnce: sum((r) => r.signalsDeliveredOnce),
      holdsInRedis: sum((r) => r.holdsInRedis),
      peersLeftOnDeadNode: sum((r) => r.peersLeftOnDeadNode),
    };
  };
  const summary = Object.fromEntries(NAMES.map((shape) => [shape, { label: SHAPES[shape], ...summarize(runs[shape]) }]));
  const s = summary.scaleout;
  const checks = {
    allResumedWithTheirIds: s.sameIds === s.peers,
    nobodyToldPeerLeft: s.peerLeft === 0,
    noHoldLeft: s.holdsInRedis === 0 && s.peersLeftOnDeadNode === 0,
    signalsSentMeanwhileDeliveredOnce: s.signalsDeliveredOnce === s.peers,
  };
  const ratios = { resumedP50: s.resumedP50Ms / summary.single.resumedP50Ms, resumedP99: s.resumedP99Ms / summary.single.resumedP99Ms };
  console.log('\nMedians of the runs (ms from the kill, or from breaking the sockets on one process):\n');
  printTable(
    [
      'shape',
      'break → closed p50',
      'break → resumed p50',
      'p99',
      'max',
      'closed → resumed p50',
      'p99',
      'resumed with their ids',
      'told peer-left',
      'signals sent meanwhile, delivered once',
    ],
    NAMES.map((shape) => {
      const f = summary[shape];
      return [
        f.label,
        ms(f.closedP50Ms),
        ms(f.resumedP50Ms),
        ms(f.resumedP99Ms),
        ms(f.resumedMaxMs),
        ms(f.resumeTookP50Ms),
        ms(f.resumeTookP99Ms),
        `${f.sameIds}/${f.peers}`,
        String(f.peerLeft),
        `${f.signalsDeliveredOnce}/${f.peers}`,
      ];
    }),
  );
  console.log(`\nFailover to the other process vs resuming on the same one: p50 ${x(ratios.resumedP50)}, p99 ${x(ratios.resumedP99)}`);
  console.log(
    `Checks (failover): ${Object.entries(checks)
      .map(([name, ok]) => `${name} ${ok ? 'yes' : 'NO'}`)
      .join(', ')}`,
  );
  return { config, summary, ratios, checks, runs };
}

const PART_RUNNERS = { relay: relayPart, capacity: capacityPart, failover: failoverPart };
const unknown = PARTS.filter((part) => !(part in PART_RUNNERS));
if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(', ')}; known: ${Object.keys(PART_RUNNERS).join(', ')}`);
const measured = code(); // before the parts: the code that was built for this run
const results = {};
for (const part of PARTS) results[part] = await PART_RUNNERS[part]();
/** The commit measured, and the files of the server and Redis packages that differed from it. */
function code() {
  const git = (...gitArgs) => execFileSync('git', gitArgs, { cwd: ROOT, encoding: 'utf8' }).trimEnd();
  try {
    const changed = git('status', '--porcelain', '--', 'packages/server/src', 'packages/redis/src', 'packages/protocol/src');
    return { commit: git('rev-parse', 'HEAD'), uncommitted: changed === '' ? [] : changed.split('\n').map((line) => line.slice(3)) };
  } catch {
    return { commit: 'unknown' };
  }
}

if (PARTS.length === Object.keys(PART_RUNNERS).length && !args.profile) writeResult('scaleout', { code: measured, ...results });
