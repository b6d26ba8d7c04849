// Failover: two Ponte processes on one Redis, `peers` rooms of two with one peer on each
// process (beside it, as a floor, the same resume storm on one process in memory after the
// clients' sockets all broke at once); process A is killed with SIGKILL, and each of its peers, as soon as its socket
// closes, opens a socket to process B and sends `resume` with the resume token of its
// `joined` and the number of relayed frames it got (docs/protocol.md, "resume"). At the same
// moment its partner on B sends it one signal, which reaches nobody live (its owner is dead)
// and must come back in the replay after `resumed`.
//
// Measured per peer: kill → its socket closed, kill → `resumed`. Checked: every `resumed`
// carries the peer's id from `joined`; nobody (on either side) is told `peer-left`, watched
// until A's lease has lapsed and B's sweep has taken A out of the cluster; Redis then holds
// no grace hold (so no `peer-left` can come later) and no peer is left on A's node; each
// signal sent during the failover arrived exactly once.
import WebSocket from 'ws';
import { percentile, sleep } from '../lib/common.mjs';
import { PROTOCOLS } from '../lib/clients.mjs';
import { redisCommand } from '../lib/redis.mjs';
import { startCluster } from './cluster.mjs';

const STATE = { audio: true, video: true, screen: false };
/** Frames a client counts for replay (docs/protocol.md, "Replay"). */
const COUNTED = new Set(['peer-joined', 'peer-left', 'peer-updated', 'signal']);

/**
 * A Ponte client that keeps what a resume needs: its id, latest resume token and count of
 * relayed frames; it counts the `peer-left` and `signal` frames it gets.
 */
class Peer {
  constructor(name, room) {
    this.name = name;
    this.room = room;
    this.id = undefined;
    this.token = undefined;
    this.received = 0;
    this.peerLeft = 0;
    this.signals = 0;
    this.errors = [];
    this.socket = undefined;
  }

  /** Opens a socket to `port`, sends `first`, resolves the answer (`joined`, `resumed` or `error`). */
  #open(port, first) {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(PROTOCOLS.ponte.url(port), { perMessageDeflate: false });
      this.socket = socket;
      let answered = false;
      socket.on('message', (data) => {
        const m = JSON.parse(data.toString());
        if (COUNTED.has(m.type)) this.received++;
        if (m.type === 'peer-left') this.peerLeft++;
        if (m.type === 'signal') this.signals++;
        if (m.type === 'refresh') this.token = m.resumeToken;
        if (m.type === 'error' && answered) this.errors.push(m.code);
        if (!answered && (m.type === 'joined' || m.type === 'resumed' || m.type === 'error')) {
          answered = true;
          if (m.type !== 'error') this.token = m.resumeToken;
          if (m.type === 'resumed') this.received = m.replayFrom;
          resolve(m);
        }
      });
      socket.once('open', () => socket.send(JSON.stringify(first)));
      socket.on('error', (error) => {
        if (!answered) reject(error);
      });
    });
  }

  async join(port) {
    const m = await this.#open(port, { type: 'join', version: 1, room: this.room, name: this.name, state: STATE });
    if (m.type !== 'joined') throw new Error(`join answered ${JSON.stringify(m)}`);
    this.id = m.self;
  }

  resume(port) {
    return this.#open(port, { type: 'resume', version: 1, token: this.token, name: this.name, state: STATE, received: this.received });
  }
}

/** Opens `count` rooms of two, the first peer joining on `portA` and the second on `portB`, `concurrency` rooms at a time. */
async function openRooms(count, portA, portB, concurrency) {
  const rooms = [];
  for (let start = 0; start < count; start += concurrency) {
    const batch = [];
    for (let k = start; k < Math.min(count, start + concurrency); k++) {
      const pair = { a: new Peer(`a${k}`, `failover-${k}`), b: new Peer(`b${k}`, `failover-${k}`) };
      rooms.push(pair);
      batch.push(pair.a.join(portA).then(() => pair.b.join(portB)));
    }
    await Promise.all(batch);
  }
  return rooms;
}

/**
 * One failover run on a fresh cluster (see the top of this file). The 'single' shape is the
 * floor: one process in memory, whose 1,000 peers' sockets are all broken from the client side
 * at once (the server holds them) and resume on the same process. `graceMs` is the servers'
 * PONTE_RECONNECT_GRACE_MS; `leaseMs` the Redis lease the servers use (5,000 by default),
 * after which the watch goes on until B's sweep has removed A from the cluster.
 */
export async function measureFailover(shape, { peers, graceMs, leaseMs = 5_000, concurrency = 50, timeoutMs = 30_000 }) {
  const cluster = await startCluster(shape, { env: { LOG_LEVEL: 'warn', PONTE_RECONNECT_GRACE_MS: String(graceMs) } });
  const scaled = shape === 'scaleout';
  const [portA, portB = portA] = cluster.ports;
  const [serverA] = cluster.servers;
  let rooms = [];
  try {
    rooms = await openRooms(peers, portA, portB, concurrency);
    await sleep(1_000);
    const closedMs = [];
    const resumedMs = [];
    const resumeTookMs = [];
    const failures = [];
    let sameIds = 0;
    let t0 = 0;
    const allDone = new Promise((resolve) => {
      let done = 0;
      const finish = () => {
        if (++done === rooms.length) resolve();
      };
      for (const { a, b } of rooms) {
        const id = a.id;
        a.socket.once('close', () => {
          const closedAt = performance.now() - t0;
          closedMs.push(closedAt);
          a.closedMs = closedAt;
          // A frame for a peer that is away: it must wait in the replay log.
          b.socket.send(PROTOCOLS.ponte.candidates(id));
          a.resume(portB).then(
            (m) => {
              if (m.type === 'resumed') {
                a.resumedMs = performance.now() - t0;
                resumedMs.push(a.resumedMs);
                resumeTookMs.push(a.resumedMs - closedAt);
                if (m.self === id) sameIds++;
              } else failures.push(m.code ?? m.type);
              finish();
            },
            (error) => {
              failures.push(error.message);
              finish();
            },
          );
        });
      }
    });
    t0 = performance.now();
    if (scaled) process.kill(serverA.pid, 'SIGKILL');
    // One process: the same storm of resumes, after the clients' sockets broke (1006) at once.
    else for (const { a } of rooms) a.socket.terminate();
    await Promise.race([allDone, sleep(timeoutMs)]);
    const lastResumeMs = performance.now() - t0;
    // Watch on until B's sweep has seen A's lease lapse and removed A from the cluster.
    const deadline = performance.now() + (scaled ? leaseMs + 10_000 : 2_000);
    let sweptMs = NaN;
    while (scaled && performance.now() < deadline) {
      if (performance.now() - t0 > leaseMs && (await redisCommand(cluster.redis.port, 'SISMEMBER', 'ponte:nodes', 'a')) === 0) {
        sweptMs = performance.now() - t0;
        break;
      }
      await sleep(200);
    }
    await sleep(scaled ? 1_000 : 2_000);
    const holds = scaled ? await redisCommand(cluster.redis.port, 'ZCARD', 'ponte:holds') : 0;
    const leftOnA = scaled ? await redisCommand(cluster.redis.port, 'SCARD', 'ponte:node:a:peers') : 0;
    const all = rooms.flatMap(({ a, b }) => [a, b]);
    return {
      peers: rooms.length,
      resumed: resumedMs.length,
      failures,
      sameIds,
      closedP50Ms: percentile(closedMs, 50),
      closedMaxMs: Math.max(...closedMs),
      resumedP50Ms: percentile(resumedMs, 50),
      resumedP99Ms: percentile(resumedMs, 99),
      resumedMaxMs: Math.max(...resumedMs),
      resumeTookP50Ms: percentile(resumeTookMs, 50),
      resumeTookP99Ms: percentile(resumeTookMs, 99),
      lastResumeMs,
      sweptMs,
      watchedMs: performance.now() - t0,
      peerLeft: all.reduce((sum, peer) => sum + peer.peerLeft, 0),
      signalsDeliveredOnce: rooms.filter(({ a }) => a.signals === 1).length,
      signalsLost: rooms.filter(({ a }) => a.signals === 0).length,
      signalsDuplicated: rooms.filter(({ a }) => a.signals > 1).length,
      // For each lost signal: when its peer's socket closed and when it resumed (ms from the kill).
      lostSignals: rooms.filter(({ a }) => a.signals === 0).map(({ a }) => ({ closedMs: a.closedMs, resumedMs: a.resumedMs })),
      errors: all.flatMap((peer) => peer.errors),
      holdsInRedis: holds,
      peersLeftOnDeadNode: leftOnA,
    };
  } finally {
    for (const { a, b } of rooms) {
      a.socket?.terminate();
      b.socket?.terminate();
    }
    await cluster.stop();
  }
}
