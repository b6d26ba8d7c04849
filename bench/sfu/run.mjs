// Rooms beyond a mesh (issue 15): what a participant uploads, and what its browser and the SFU
// spend, in a mesh against through Janus, at 2, 4, 6 and 8 participants, in one run; and how
// long a switch between the two takes. Each participant is a page in its own headless Chromium
// process (fake camera 640x480 and microphone, bench/lib/browsers.mjs), joined one after
// another; once everyone shows everyone's video, and after a settle, a window is measured:
//
// - uplink per participant: the RTP bytes (payload and headers) its open connections sent in
//   the window, from getStats outbound-rtp, in kbit/s; and the video encodings it sends;
// - browser CPU per participant: the CPU time of every Chromium process of the bench in the
//   window, over the participants (one browser each), as a share of one core;
// - Janus CPU per forwarded stream (SFU shape): Janus's CPU time in the window over the
//   streams it forwards (each participant's audio and video to each other one).
//
// Three shapes, interleaved, order rotated per run:
// - mesh: Ponte's SDK on a server without an SFU (each peer sends to each other one, its video
//   uplink shared by the SDK's bitrate budget, 2.5 Mbit/s in all);
// - sfu: Ponte's SDK on a server with Janus whose rooms use it from 2 people
//   (PONTE_SFU_FROM=2): one simulcast upload (q/h/f) whatever the room size;
// - floor: a bare RTCPeerConnection mesh over the bare relay, as a mesh without any budget
//   sends (the peer to compare a classic mesh with).
// Target (issue 15): at 6 participants the SFU's uplink per participant ≤ 1/3 of the mesh's.
//
// Switch: a room of 4 in a mesh, with Janus and PONTE_SFU_FROM=5; the 5th joins and the room
// switches to the SFU; measured on each of the 5 pages, from its `topology` event to the last
// peer's new video showing a frame. Then 2 leave (3 left: back to a mesh), measured the same way.
//
//   npm run bench:sfu [-- --runs 3 --window 8 --settle 3 --sizes 2,4,6,8]
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startJanus } from '../../packages/janus/test/janusServer.ts';
import { launchBrowsers, openCallPage, startPageServer } from '../lib/browsers.mjs';
import { machine, median, printTable, processCpuMicros, rotated, sleep, startServer, writeResult } from '../lib/common.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    window: { type: 'string', default: '8' },
    settle: { type: 'string', default: '3' },
    sizes: { type: 'string', default: '2,4,6,8' },
    'switch-runs': { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const WINDOW_MS = Number(args.window) * 1000;
const SETTLE_MS = Number(args.settle) * 1000;
const SIZES = args.sizes.split(',').map(Number);
const SHAPES = {
  mesh: 'Ponte mesh (no SFU)',
  sfu: 'Ponte through Janus (SFU from 2)',
  floor: 'floor: bare RTCPeerConnection mesh, no budget',
};
const NAMES = Object.keys(SHAPES);
const SECRET = 'sfu-bench-secret-0123456789abcdef';

/** Every process descended from this one whose command is Chromium's. */
function chromiumPids() {
  const parents = new Map();
  const names = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
      parents.set(Number(entry), Number(stat.slice(close + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid) => {
    for (let at = pid, hops = 0; at > 1 && hops < 64; at = parents.get(at) ?? 0, hops++) if (at === process.pid) return true;
    return false;
  };
  return [...names].filter(([pid, name]) => /chrom/i.test(name) && descends(pid)).map(([pid]) => pid);
}

/** CPU µs of `pids` now, by pid (those that are gone count 0). */
function cpuOf(pids) {
  return new Map(
    pids.map((pid) => {
      try {
        return [pid, processCpuMicros(pid).total];
      } catch {
        return [pid, 0];
      }
    }),
  );
}
const cpuBetween = (before, after) => [...after].reduce((sum, [pid, micros]) => sum + Math.max(0, micros - (before.get(pid) ?? micros)), 0);

/** The servers of every shape, started once: `{ pageUrl, urls: { mesh, sfu, floor, switch }, janus, stop() }`. */
async function startServers() {
  const pages = await startPageServer();
  const janus = await startJanus();
  const sfuEnv = (from) => ({
    PONTE_ALLOWED_ORIGINS: pages.url,
    PONTE_SECRET: SECRET,
    PONTE_JANUS_URL: janus.url,
    PONTE_JANUS_ADMIN_KEY: janus.adminKey,
    PONTE_SFU_FROM: String(from),
  });
  const servers = {
    mesh: await startServer('ponte', [], { PONTE_ALLOWED_ORIGINS: pages.url }),
    sfu: await startServer('ponte', [], sfuEnv(2)),
    floor: await startServer('floor'),
    switch: await startServer('ponte', [], sfuEnv(5)),
  };
  return {
    pageUrl: pages.url,
    janusPid: findJanusPid(janus.port),
    urls: Object.fromEntries(
      Object.entries(servers).map(([name, server]) => [
        name,
        name === 'floor' ? `ws://127.0.0.1:${server.port}/` : `ws://127.0.0.1:${server.port}/ws`,
      ]),
    ),
    stop: async () => {
      await Promise.all([pages.close(), ...Object.values(servers).map((server) => server.stop())]);
      await janus.dispose();
    },
  };
}

/** The pid of the `janus` listening on `port` (the harness starts it as our child). */
function findJanusPid(port) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.startsWith('janus\0') || cmdline.includes('/janus\0')) {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === process.pid) return Number(entry);
      }
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no janus child found (port ${port})`);
}

/**
 * Joins `pages` from index `from` on, one after another, into `room` with `shape` (those before
 * `from` are in already); resolves once each shows every other's video.
 */
async function joinAll(pages, servers, shape, room, from = 0) {
  const ids = pages.slice(0, from).map((_, index) => `${room}-${index}`);
  for (const [index, page] of pages.entries()) {
    if (index < from) continue;
    const options =
      shape === 'floor'
        ? { url: servers.urls.floor, call: [...ids] }
        : { url: servers.urls[shape === 'switch' ? 'switch' : shape], room, id: `${room}-${index}` };
    ids.push(await page.evaluate(([m, o]) => window.bench.join(m, o), [shape === 'floor' ? 'floor' : 'ponte', options]));
    await Promise.all(pages.slice(0, index + 1).map((p) => p.evaluate((n) => window.bench.whenVideosShowing(n), index)));
  }
}

/** One measured call of `browsers.length` participants with `shape`. */
async function measureCall(browsers, servers, shape, tag) {
  const method = shape === 'floor' ? 'floor' : 'ponte';
  const pages = await Promise.all(browsers.map((browser) => openCallPage(browser, servers.pageUrl, method)));
  try {
    await joinAll(pages, servers, shape, tag);
    if (shape === 'sfu') await Promise.all(pages.map((page) => page.evaluate(() => window.bench.whenTopology('sfu'))));
    await sleep(SETTLE_MS);
    const pids = chromiumPids();
    const before = {
      uplink: await Promise.all(pages.map((p) => p.evaluate(() => window.bench.uplink()))),
      cpu: cpuOf(pids),
      janus: cpuOf([servers.janusPid]),
    };
    const started = performance.now();
    await sleep(WINDOW_MS);
    const after = {
      uplink: await Promise.all(pages.map((p) => p.evaluate(() => window.bench.uplink()))),
      cpu: cpuOf(pids),
      janus: cpuOf([servers.janusPid]),
    };
    const seconds = (performance.now() - started) / 1000;
    const uplinkKbps = median(after.uplink.map((u, i) => ((u.bytes - before.uplink[i].bytes) * 8) / 1000 / seconds));
    const n = browsers.length;
    return {
      uplinkKbps,
      videoEncodings: median(after.uplink.map((u) => u.encodings)),
      connections: median(after.uplink.map((u) => u.connections)),
      browserCpuPercent: (cpuBetween(before.cpu, after.cpu) / n / (seconds * 1e6)) * 100,
      // Each participant's audio and video to each other one.
      janusMicrosPerStreamSecond: shape === 'sfu' ? cpuBetween(before.janus, after.janus) / seconds / (n * (n - 1) * 2) : null,
    };
  } finally {
    await Promise.all(pages.map((page) => page.close()));
  }
}

/** A switch each way in a room that grows to 5 and shrinks to 3: ms per page from `topology` to every peer's new video. */
async function measureSwitch(browsers, servers, tag) {
  const pages = await Promise.all(browsers.slice(0, 5).map((browser) => openCallPage(browser, servers.pageUrl, 'ponte')));
  try {
    await joinAll(pages.slice(0, 4), servers, 'switch', tag);
    await sleep(SETTLE_MS);
    await joinAll(pages, servers, 'switch', tag, 4);
    const toSfu = await Promise.all(pages.map((page) => page.evaluate(() => window.bench.whenSwitched('sfu', 4))));
    await sleep(SETTLE_MS);
    await Promise.all(pages.slice(3).map((page) => page.evaluate(() => window.bench.leave())));
    const toMesh = await Promise.all(pages.slice(0, 3).map((page) => page.evaluate(() => window.bench.whenSwitched('mesh', 2))));
    return { toSfuMs: Math.max(...toSfu.map((times) => Math.max(...times))), toMeshMs: Math.max(...toMesh.map((times) => Math.max(...times))) };
  } finally {
    await Promise.all(pages.map((page) => page.close().catch(() => {})));
  }
}

async function main() {
  const servers = await startServers();
  const browsers = await launchBrowsers(Math.max(...SIZES, 5));
  const records = [];
  const switches = [];
  try {
    console.log(`Rooms beyond a mesh: ${RUNS} runs, shapes interleaved (rotated), ${SIZES.join(', ')} participants, ${WINDOW_MS / 1000} s windows`);
    for (let run = 0; run < RUNS; run++) {
      for (const size of SIZES) {
        for (const shape of rotated(NAMES, run)) {
          const tag = `sfu-${run}-${size}-${shape}`;
          let record;
          try {
            record = await measureCall(browsers.slice(0, size), servers, shape, tag);
          } catch (error) {
            // A call this machine cannot carry (every video must show within 60 s) is reported, not averaged.
            records.push({ run: run + 1, size, shape, failed: String(error.message).split('\n')[0] });
            console.log(`  run ${run + 1}, ${size} persons, ${shape}: did not complete: ${records.at(-1).failed}`);
            continue;
          }
          records.push({ run: run + 1, size, shape, ...record });
          console.log(
            `  run ${run + 1}, ${size} persons, ${shape}: uplink ${record.uplinkKbps.toFixed(0)} kbit/s (${record.videoEncodings} video encodings, ${record.connections} connections), browser CPU ${record.browserCpuPercent.toFixed(1)}% of a core${record.janusMicrosPerStreamSecond === null ? '' : `, Janus ${record.janusMicrosPerStreamSecond.toFixed(0)} µs/s per stream`}`,
          );
        }
      }
      const switched = await measureSwitch(browsers, servers, `switch-${run}`);
      switches.push(switched);
      console.log(`  run ${run + 1}, switch: mesh → SFU ${switched.toSfuMs.toFixed(0)} ms, SFU → mesh ${switched.toMeshMs.toFixed(0)} ms`);
    }
  } finally {
    await Promise.all(browsers.map((browser) => browser.close()));
    await servers.stop();
  }
  /** The median of `key` over the completed calls of `size` and `shape` (NaN when none completed). */
  const med = (size, shape, key) => {
    const values = records.filter((r) => r.size === size && r.shape === shape && r.failed === undefined).map((r) => r[key]);
    return values.length === 0 ? NaN : median(values);
  };
  console.log('\nMedians of the runs (uplink kbit/s per participant; browser CPU per participant, % of a core):\n');
  printTable(
    ['persons', ...NAMES.flatMap((shape) => [`${shape} uplink`, `${shape} CPU`]), 'Janus µs/s per stream', 'SFU / mesh uplink', 'SFU / floor uplink'],
    SIZES.map((size) => [
      String(size),
      ...NAMES.flatMap((shape) => [med(size, shape, 'uplinkKbps').toFixed(0), med(size, shape, 'browserCpuPercent').toFixed(1)]),
      med(size, 'sfu', 'janusMicrosPerStreamSecond').toFixed(0),
      `${(med(size, 'sfu', 'uplinkKbps') / med(size, 'mesh', 'uplinkKbps')).toFixed(2)}x`,
      `${(med(size, 'sfu', 'uplinkKbps') / med(size, 'floor', 'uplinkKbps')).toFixed(2)}x`,
    ]),
  );
  const at6 = SIZES.includes(6) ? med(6, 'sfu', 'uplinkKbps') / med(6, 'mesh', 'uplinkKbps') : NaN;
  const at6Floor = SIZES.includes(6) ? med(6, 'sfu', 'uplinkKbps') / med(6, 'floor', 'uplinkKbps') : NaN;
  const switchMedians = { toSfuMs: median(switches.map((s) => s.toSfuMs)), toMeshMs: median(switches.map((s) => s.toMeshMs)) };
  console.log(
    `\nAt 6 persons the SFU uplink is ${at6.toFixed(2)}x Ponte's mesh (target ≤ 0.33x: ${at6 <= 1 / 3 ? 'met' : 'MISSED'}) and ${at6Floor.toFixed(2)}x a mesh without budget (floor).`,
  );
  console.log(
    `Switch (slowest page, median of runs): mesh → SFU ${switchMedians.toSfuMs.toFixed(0)} ms, SFU → mesh ${switchMedians.toMeshMs.toFixed(0)} ms`,
  );
  writeResult('sfu', {
    machine: machine({ browser: true }),
    config: { runs: RUNS, windowMs: WINDOW_MS, settleMs: SETTLE_MS, sizes: SIZES },
    records,
    switches,
    switchMedians,
    sfuVsMeshAt6: at6,
    sfuVsFloorAt6: at6Floor,
  });
}

await main();
