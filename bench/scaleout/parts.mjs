// The relay and capacity measurements of the scale-out bench, one run of one shape each (see
// run.mjs for the method, cluster.mjs for the shapes); the failover is in failover.mjs.
import { fork } from 'node:child_process';
import { processRssBytes, sleep } from '../lib/common.mjs';
import { openClient, PROTOCOLS } from '../lib/clients.mjs';
import { pingPong } from '../lib/pingPong.mjs';
import { redisCommand } from '../lib/redis.mjs';
import { freeDescriptors, startCluster } from './cluster.mjs';

const PONTE_ENV = { LOG_LEVEL: 'warn' };

/** Redis's INFO commandstats: `{ command: { calls, usec } }` (commands that scripts call are counted too). */
async function redisCommandStats(port) {
  const info = await redisCommand(port, 'INFO', 'commandstats');
  const stats = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm))
    stats[match[1]] = { calls: Number(match[2]), usec: Number(match[3]) };
  return stats;
}

/** What Redis did per relayed frame between two snapshots: `{ command: { calls, usec } }` per frame. */
function commandsPerFrame([before, after], frames) {
  const perFrame = {};
  for (const [command, { calls, usec }] of Object.entries(after)) {
    const callsPerFrame = (calls - (before[command]?.calls ?? 0)) / frames;
    // INFO's own calls, and commands made a few times in a window (lease renewals, sweeps) are left out.
    if (command !== 'info' && callsPerFrame >= 0.01)
      perFrame[command] = { calls: callsPerFrame, usec: (usec - (before[command]?.usec ?? 0)) / frames };
  }
  return perFrame;
}

/**
 * Relay: `pairs` rooms of two, the first peer of pair i on process i mod n and the second on
 * the next (so with two processes every frame crosses Redis, half of the pairs each way), the
 * relay bench's ping-pong over them, CPU of every process of the shape (Redis too) per frame.
 */
export async function measureRelay(shape, { pairs, warmupMs, windowMs, profile }) {
  const cluster = await startCluster(shape, { env: PONTE_ENV, profile });
  const { ports } = cluster;
  const protocol = shape === 'floor' ? 'floor' : 'ponte';
  const opened = [];
  try {
    for (let i = 0; i < pairs; i++) {
      const room = `relay-${i}`;
      const a = await openClient(protocol, ports[i % ports.length], { id: `a${i}`, room });
      const b = await openClient(protocol, ports[(i + 1) % ports.length], { id: `b${i}`, room });
      opened.push({ a, b });
    }
    const snapshot = cluster.redis === undefined ? undefined : () => redisCommandStats(cluster.redis.port);
    const { snapshots, ...result } = await pingPong(opened, PROTOCOLS[protocol], {
      warmupMs,
      windowMs,
      pids: cluster.processes.map((p) => p.pid),
      snapshot,
    });
    const perProcess = Object.fromEntries(cluster.processes.map((p, i) => [p.name, result.perProcessMicrosPerFrame[i]]));
    const redisPerFrame = snapshots === undefined ? undefined : commandsPerFrame(snapshots, result.frames);
    return { ...result, perProcessMicrosPerFrame: perProcess, ...(redisPerFrame === undefined ? {} : { redisPerFrame }) };
  } finally {
    for (const { a, b } of opened) {
      a.socket.terminate();
      b.socket.terminate();
    }
    await cluster.stop();
  }
}

/** Forks a holder (holder.mjs) for rooms firstRoom.. and resolves it once they are all joined. */
function startHolder(ports, firstRoom, rooms, concurrency) {
  const child = fork(new URL('./holder.mjs', import.meta.url), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const close = async () => {
    if (child.connected) child.send({ type: 'close' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const ready = new Promise((resolve, reject) => {
    child.once('message', (message) => (message.type === 'ready' ? resolve(message.count) : reject(new Error(`holder: ${message.message}`))));
    child.once('exit', (code) => reject(new Error(`holder exited with ${code} before its connections were open`)));
  });
  child.send({ type: 'open', ports, firstRoom, rooms, concurrency });
  return { ready, close };
}

/**
 * Capacity: `connections` idle joined connections (rooms of two; with two processes one peer
 * of each room on each), opened by `holders` child processes; after `settleMs`, the RSS of
 * every process of the shape (Redis too) less its RSS before the first connection, per
 * connection. One process cannot hold more sockets than its descriptor limit allows: the
 * single shape opens as many as fit (a multiple of 100), and says how many.
 */
export async function measureCapacity(shape, { connections, settleMs, holders, concurrency }) {
  const cluster = await startCluster(shape, { env: PONTE_ENV });
  const started = [];
  try {
    await sleep(settleMs);
    const fit = cluster.servers.reduce((sum, server) => sum + freeDescriptors(server.pid) - 64, 0);
    const count = Math.min(connections, Math.floor(fit / 100) * 100);
    const before = cluster.processes.map((p) => processRssBytes(p.pid));
    const rooms = count / 2;
    const t0 = performance.now();
    for (let h = 0, first = 0; h < holders; h++) {
      const share = Math.floor(rooms / holders) + (h < rooms % holders ? 1 : 0);
      started.push(startHolder(cluster.ports, first, share, concurrency));
      first += share;
    }
    const opened = (await Promise.all(started.map((holder) => holder.ready))).reduce((sum, n) => sum + n, 0);
    if (opened !== count) throw new Error(`opened ${opened} connections, not ${count}`);
    const openSeconds = (performance.now() - t0) / 1000;
    await sleep(settleMs);
    const after = cluster.processes.map((p) => processRssBytes(p.pid));
    const perProcess = Object.fromEntries(
      cluster.processes.map((p, i) => [
        p.name,
        { rssBeforeBytes: before[i], rssAfterBytes: after[i], bytesPerConnection: (after[i] - before[i]) / count },
      ]),
    );
    const sum = (values) => values.reduce((total, value) => total + value, 0);
    return {
      connections: count,
      openSeconds,
      bytesPerConnection: (sum(after) - sum(before)) / count,
      // With the processes' own RSS before any connection (a second Node process, and Redis).
      totalBytesPerConnection: sum(after) / count,
      rssBeforeBytes: sum(before),
      perProcess,
    };
  } finally {
    await Promise.all(started.map((holder) => holder.close()));
    await cluster.stop();
  }
}
