// The two shapes the scale-out bench compares: one Ponte process with its rooms in memory
// (the default), and two Ponte processes sharing their rooms through a Redis (REDIS_URL),
// each process its own child so that /proc gives each one's CPU time and RSS.
import { readdirSync, readFileSync } from 'node:fs';
import { ROOT, startServer } from '../lib/common.mjs';
import { startRedis } from '../lib/redis.mjs';

export const SHAPES = {
  single: 'one Ponte process, rooms in memory',
  scaleout: 'two Ponte processes + Redis (REDIS_URL)',
  floor: 'floor: two bare ws relays + Redis, one PUBLISH per frame',
};

/** Both processes must verify each other's resume tokens. */
const SECRET = 'scale-out-bench-secret-0123456789abcdef';

/**
 * Starts `shape` ('single', 'scaleout' or, for the relay, 'floor'): `{ shape, ports, servers, processes, stop() }`.
 * `ports` are the Ponte processes' ports (one or two); `processes` are `{ name, pid }` of
 * every process that serves the load (the Ponte processes, and Redis), whose CPU and RSS the
 * bench adds up. `env` goes to every Ponte process; with `profile`, each writes a V8 CPU
 * profile to bench/results/profiles/scaleout/<node>/ when it exits (node: single, a or b).
 */
export async function startCluster(shape, { env = {}, profile = false } = {}) {
  const nodeArgs = (node) => (profile ? ['--cpu-prof', `--cpu-prof-dir=${ROOT}bench/results/profiles/scaleout/${node}`] : []);
  // Clients are gone before a stop, so a drain has nothing to wait for; bounded all the same.
  const common = { PONTE_SECRET: SECRET, PONTE_DRAIN_TIMEOUT_MS: '1000', ...env };
  if (shape === 'single') {
    const server = await startServer('ponte', nodeArgs('single'), common);
    return { shape, ports: [server.port], servers: [server], processes: [{ name: 'ponte', pid: server.pid }], stop: () => server.stop() };
  }
  const redis = await startRedis();
  const started = [];
  try {
    for (const node of ['a', 'b'])
      started.push(
        shape === 'floor'
          ? await startServer('redisFloor', [], { REDIS_URL: redis.url, NODE: node })
          : await startServer('ponte', nodeArgs(node), { ...common, REDIS_URL: redis.url, PONTE_NODE_ID: node }),
      );
  } catch (error) {
    for (const server of started) await server.stop();
    await redis.stop();
    throw error;
  }
  const [a, b] = started;
  return {
    shape,
    ports: [a.port, b.port],
    servers: [a, b],
    redis,
    processes: [
      { name: 'a', pid: a.pid },
      { name: 'b', pid: b.pid },
      { name: 'redis', pid: redis.pid },
    ],
    stop: async () => {
      await Promise.all([a.stop(), b.stop()]);
      await redis.stop();
    },
  };
}

/** How many more sockets process `pid` can open: its soft RLIMIT_NOFILE less the descriptors it has open. */
export function freeDescriptors(pid) {
  const limit = Number(/Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1] ?? Infinity);
  return limit - readdirSync(`/proc/${pid}/fd`).length;
}
