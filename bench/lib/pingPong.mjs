// The relay load: P pairs of clients ping-pong signaling-sized frames through the server(s) —
// A sends B a 4 KB SDP offer, B answers with a 300 B candidates frame, A sends the next offer
// when it arrives (one frame in flight per pair) — for a fixed window after a warm-up. Used by
// the relay bench (one server process) and the scale-out bench (the CPU of every process that
// serves the load, added up).
import { percentile, processCpuMicros, sleep } from './common.mjs';

/**
 * Runs the ping-pong over `pairs` (`{ a, b }` from `openClient`, speaking `protocol`), and
 * reads the CPU time of the processes `pids` over the measured window. Resolves frames/s, RTT
 * p50/p99 (offer out → candidates back, ms), CPU µs per relayed frame (all `pids` together;
 * user, system and per process beside it), the frames and the CPU µs. Leaves the sockets open.
 * With `snapshot` (an async function), it is called just before and just after the window and
 * its two results come back as `snapshots`.
 */
export async function pingPong(pairs, protocol, { warmupMs, windowMs, pids, snapshot }) {
  let running = true;
  let counting = false;
  let frames = 0;
  let inFlight = 0;
  const rtts = [];
  const starts = [];
  for (const { a, b } of pairs) {
    const offer = protocol.offer(b.id);
    const candidates = protocol.candidates(a.id);
    let sentAt = 0;
    const sendOffer = () => {
      sentAt = performance.now();
      inFlight++;
      a.socket.send(offer);
    };
    b.socket.on('message', (data) => {
      if (protocol.kindOf(JSON.parse(data.toString())) !== 'offer') return;
      if (counting) frames++;
      b.socket.send(candidates);
    });
    a.socket.on('message', (data) => {
      if (protocol.kindOf(JSON.parse(data.toString())) !== 'candidates') return;
      inFlight--;
      if (counting) {
        frames++;
        rtts.push(performance.now() - sentAt);
      }
      if (running) sendOffer();
    });
    starts.push(sendOffer);
  }
  for (const start of starts) start();
  await sleep(warmupMs);
  const before = await snapshot?.();
  const cpu0 = pids.map((pid) => processCpuMicros(pid));
  const t0 = performance.now();
  counting = true;
  await sleep(windowMs);
  counting = false;
  const cpu1 = pids.map((pid) => processCpuMicros(pid));
  const elapsed = (performance.now() - t0) / 1000;
  const after = await snapshot?.();
  running = false;
  for (let i = 0; i < 100 && inFlight > 0; i++) await sleep(10);
  const delta = (key) => pids.reduce((sum, _, i) => sum + cpu1[i][key] - cpu0[i][key], 0);
  return {
    framesPerSecond: frames / elapsed,
    rttP50Ms: percentile(rtts, 50),
    rttP99Ms: percentile(rtts, 99),
    cpuMicrosPerFrame: delta('total') / frames,
    userMicrosPerFrame: delta('user') / frames,
    systemMicrosPerFrame: delta('system') / frames,
    perProcessMicrosPerFrame: pids.map((_, i) => (cpu1[i].total - cpu0[i].total) / frames),
    frames,
    cpuMicros: delta('total'),
    ...(snapshot === undefined ? {} : { snapshots: [before, after] }),
  };
}
