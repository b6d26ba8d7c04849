// Shared helpers of the benches: statistics, /proc readings of a server process, the machine,
// table printing and result files, and starting each server under test as its own child process.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100) of `values`. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

/** CPU time a process has used, in µs: `{ user, system, total }` (utime and stime from /proc/<pid>/stat). */
export function processCpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  const user = (Number(fields[11]) * 1e6) / CLOCK_TICKS;
  const system = (Number(fields[12]) * 1e6) / CLOCK_TICKS;
  return { user, system, total: user + system };
}

/** Resident memory of a process in bytes, VmRSS from /proc/<pid>/status. */
export function processRssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
}

/** The machine a bench ran on; with `browser`, also the Chromium version. */
export function machine({ browser = false } = {}) {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const result = { nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()), cpu: model, node: process.version };
  if (!browser) return result;
  let version = 'unknown';
  try {
    version = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // No Chromium at the usual path: the report says 'unknown'.
  }
  return { ...result, browser: version };
}

/** Prints a Markdown table: `header` is a list of column names, `rows` lists of cells. */
export function printTable(header, rows) {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => ' --- ').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

/** Writes bench/results/<name>.json with the machine and the time of the run. */
export function writeResult(name, result) {
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  const file = `${ROOT}bench/results/${name}.json`;
  writeFileSync(file, `${JSON.stringify({ bench: name, date: new Date().toISOString(), machine: machine(), ...result }, null, 2)}\n`);
  console.log(`\nwrote ${file.slice(ROOT.length)}`);
}

/**
 * `names` in the order of round `run` (0-based): rotated by one each round, so no method or
 * server always goes first (or last) on a noisy machine.
 */
export function rotated(names, run) {
  return names.map((_, i) => names[(i + run) % names.length]);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Waits until something accepts TCP connections on 127.0.0.1:port. */
async function waitForPort(port, child, timeoutMs = 15_000) {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before listening`);
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listening on ${port} after ${timeoutMs} ms`);
}

/**
 * The three signaling servers under test. Each runs as its own child process so that the
 * CPU time and RSS read from /proc are that server's alone.
 */
export const SERVERS = {
  ponte: {
    label: 'Ponte (packages/server)',
    args: () => [`${ROOT}packages/server/dist/main.js`],
    env: (port) => ({
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PONTE_RATE_LIMIT: '0',
      PONTE_MAX_CONNECTIONS_PER_IP: '1000000',
      PONTE_MAX_SERVER_PEERS: '1000000',
      PONTE_MAX_ROOMS: '1000000',
    }),
  },
  floor: {
    label: 'floor (bare ws relay)',
    args: () => [`${ROOT}bench/lib/bareRelay.mjs`],
    env: (port) => ({ PORT: String(port) }),
  },
  // The scale-out bench's floor: bare relays sharing their clients through Redis (REDIS_URL, NODE).
  redisFloor: {
    label: 'floor (bare ws relays through Redis PUBLISH)',
    args: () => [`${ROOT}bench/lib/bareRedisRelay.mjs`],
    env: (port) => ({ PORT: String(port) }),
  },
  peerjs: {
    label: 'PeerJS server (peer)',
    args: () => [`${ROOT}bench/lib/peerServer.mjs`],
    env: (port) => ({ PORT: String(port) }),
  },
};

/**
 * With `PONTE_BASELINE_ROOT=<another checkout>` (built), that checkout's Ponte server joins as
 * `baseline`, so a change can be measured against the code before it in the same run,
 * interleaved: e.g. `git worktree add /tmp/before HEAD~3`, build it, then
 * `PONTE_BASELINE_ROOT=/tmp/before npm run bench:relay -- --servers ponte,baseline,floor,peerjs`.
 */
if (process.env.PONTE_BASELINE_ROOT) {
  const root = process.env.PONTE_BASELINE_ROOT.replace(/\/?$/, '/');
  SERVERS.baseline = { ...SERVERS.ponte, label: `Ponte before (${root})`, args: () => [`${root}packages/server/dist/main.js`] };
}

/**
 * Starts server `name` as a child process on a free loopback port: `{ port, pid, stop() }`.
 * `nodeArgs` go to node before the script (e.g. `--cpu-prof`); `env` adds to its environment.
 */
export async function startServer(name, nodeArgs = [], env = {}) {
  const spec = SERVERS[name];
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, ...spec.args(port)], {
    cwd: ROOT,
    env: { ...process.env, ...spec.env(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  try {
    await waitForPort(port, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, port, pid: child.pid, stop };
}
