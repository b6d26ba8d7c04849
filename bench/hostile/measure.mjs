// The measurements of the hostile bench, each against a fresh server process: one attack
// kind alone (RSS growth, time to close, whether the process survived), the idle floor (RSS
// growth with nothing happening, and the time to refuse an upgrade at an unknown path: the
// server's fastest close), and the honest pair's relay round trip with or without the mixed
// hostile load. The attacks, the honest pair and the process handling are the test's own
// modules (packages/server/test/hostile/), loaded through tsx by run.mjs.
import { setMaxListeners } from 'node:events';
import { runAttack } from '../../packages/server/test/hostile/attacks.ts';
import { AttackSocket } from '../../packages/server/test/hostile/attackSocket.ts';
import { HonestPair } from '../../packages/server/test/hostile/honestPair.ts';
import { runHostileLoad } from '../../packages/server/test/hostile/hostileLoad.ts';
import { RssSampler, ServerProcess } from '../../packages/server/test/hostile/serverProcess.ts';
import { attackTarget, HONEST_PROTOCOLS } from '../../packages/server/test/hostile/targets.ts';

/** An attack is not bounded by bytes here: time and the RSS ceiling bound it. */
const NO_BYTE_BOUND = 2 ** 40;
/** The honest pair's pace: 20 signals per second per peer, under Ponte's default rate limit of 50. */
const HONEST_INTERVAL_MS = 50;

/** The first line of a crashed server's stderr that names what killed it. */
export function crashReason(stderr) {
  const line = stderr.split('\n').find((text) => /^\s*(\w*Error\b|FATAL ERROR)|out of memory/.test(text));
  return (line ?? stderr.trim().split('\n').at(-1) ?? '').trim().slice(0, 120);
}

/** Resolves at `deadline` (performance.now()), on abort, or when the server exits. */
function until(deadline, signal, server) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, deadline - performance.now()));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
    void server.exited.then(done);
  });
}

/** Starts `command`, samples its RSS every 100 ms and aborts the work past `ceilingBytes`. */
async function startWatched(command, ceilingBytes) {
  const server = await ServerProcess.start(command);
  const controller = new AbortController();
  // Every attack of a mixed load waits on this one signal at once.
  setMaxListeners(0, controller.signal);
  const rss = new RssSampler(server.pid, 100, (bytes) => {
    if (bytes > ceilingBytes) controller.abort();
  });
  return { server, rss, controller };
}

/** What happened to the process: `{ exited, reason, afterMs }`. */
async function fate(server, startedAt) {
  // An exit races with the last attack's close: give a dying process its 'exit' event.
  if (server.exit === undefined) await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 200))]);
  if (server.exit === undefined) return { exited: false };
  return { exited: true, reason: crashReason(server.stderr), afterMs: server.exitedAt - startedAt };
}

/**
 * `sockets` attacks of `kind` at once against a fresh `command` process, each bounded by
 * `boundMs`; RSS is sampled over the whole bound (the same window as the idle floor).
 */
export async function measureAttack(command, serverKind, kind, { sockets, boundMs, ceilingBytes }) {
  const { server, rss, controller } = await startWatched(command, ceilingBytes);
  const startedAt = performance.now();
  try {
    const target = attackTarget(serverKind, server.url);
    const options = (index) => ({ durationMs: boundMs, signal: controller.signal, index, maxBytes: NO_BYTE_BOUND });
    const outcomes = await Promise.all(Array.from({ length: sockets }, (_, index) => runAttack(kind, target, options(index))));
    await until(startedAt + boundMs, controller.signal, server);
    rss.stop();
    return { outcomes, growthBytes: rss.growth, stoppedAtCeiling: controller.signal.aborted, ...(await fate(server, startedAt)) };
  } finally {
    rss.stop();
    await server.stop();
  }
}

/**
 * The floor of a fresh `command` process: its RSS growth over `boundMs` with nothing to do,
 * then the time to close `sockets` upgrades at an unknown path (the fastest close it makes).
 */
export async function measureFloor(command, { sockets, boundMs, ceilingBytes }) {
  const { server, rss, controller } = await startWatched(command, ceilingBytes);
  try {
    await until(performance.now() + boundMs, controller.signal, server);
    rss.stop();
    const closes = await Promise.all(
      Array.from({ length: sockets }, async () => {
        const attack = await AttackSocket.open(server.url);
        await attack.upgrade('/no-such-path');
        await attack.hold(performance.now() + boundMs);
        attack.destroy();
        return attack.closedAfterMs;
      }),
    );
    return { growthBytes: rss.growth, closesMs: closes.filter((ms) => ms !== undefined) };
  } finally {
    rss.stop();
    await server.stop();
  }
}

/**
 * The honest pair's relay round trips on a fresh `command` process for `windowMs`, alone or
 * (with `kinds`) under the mixed hostile load: `perKind` connections of each kind at once.
 */
export async function measureRelay(command, serverKind, { windowMs, boundMs, ceilingBytes, kinds, perKind }) {
  const { server, rss, controller } = await startWatched(command, ceilingBytes);
  const startedAt = performance.now();
  try {
    const pair = await HonestPair.open(server.url, HONEST_PROTOCOLS[serverKind], 'honest');
    pair.start(HONEST_INTERVAL_MS);
    let attacks = 0;
    if (kinds === undefined || kinds.length === 0) await until(performance.now() + windowMs, controller.signal, server);
    else {
      const target = attackTarget(serverKind, server.url);
      const load = await runHostileLoad({ target, kinds, perKind, windowMs, attackMs: Math.min(boundMs, windowMs), signal: controller.signal });
      attacks = load.outcomes.length;
    }
    const report = await pair.stop();
    await pair.close();
    rss.stop();
    return { report, attacks, growthBytes: rss.growth, stoppedAtCeiling: controller.signal.aborted, ...(await fate(server, startedAt)) };
  } finally {
    rss.stop();
    await server.stop();
  }
}
