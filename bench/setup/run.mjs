// Call setup time between Chromium processes (one per participant, fake camera and
// microphone): the Ponte SDK beside the floor (a bare RTCPeerConnection per pair over the bare
// relay) and PeerJS, in a two-person room and a four-person mesh. The first N-1 participants
// are in the call, connected and showing each other's video; every stream is acquired before
// t0, the start of the last participant's join. Measured on that newcomer, from t0: when the
// last of its connections is `connected`, and when the last of the other participants' videos
// shows its first frame. Methods interleaved, their order rotated from run to run.
//
//   npm run bench:setup [-- --runs 5 --trace]
//
// Prints a table of medians and ratios and writes bench/results/setup.json.
import { parseArgs } from 'node:util';
import { mediansBySizeAndMethod, METHODS, runCallRounds } from '../lib/browsers.mjs';
import { machine, printTable, writeResult } from '../lib/common.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    // Prints the timeline (WebSocket frames, connection events) of both pages of every two-person call.
    trace: { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const SIZES = [2, 4];
const NAMES = Object.keys(METHODS);
/** The pause after the first N-1 are all connected, before the newcomer joins. */
const SETTLE_MS = 1000;

const format = (ms) => ms.toFixed(0);
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

async function main() {
  const runs = await runCallRounds(
    { label: 'Call setup', runs: RUNS, sizes: SIZES, callOptions: () => ({ beforeLastMs: SETTLE_MS }) },
    (call, { run, size, method }) => {
      const connectedMs = Math.max(...call.newcomer.connected);
      const firstFrameMs = Math.max(...call.newcomer.firstFrame);
      console.log(`  run ${run}, ${size} persons, ${method}: connected ${format(connectedMs)} ms, first frame ${format(firstFrameMs)} ms`);
      if (args.trace && size === 2)
        for (const { ms, who, what } of call.timeline) console.log(`      ${ms.toFixed(1).padStart(7)} ms  ${who}  ${what}`);
      return { connectedMs, firstFrameMs, perPeer: call.newcomer };
    },
  );
  const medians = mediansBySizeAndMethod(runs, SIZES, ['connectedMs', 'firstFrameMs']);
  const ratios = {};
  const rows = [];
  for (const size of SIZES) {
    const { floor, peerjs } = medians[size];
    ratios[size] = {};
    for (const method of NAMES) {
      const m = medians[size][method];
      ratios[size][method] = {
        connectedVsFloor: m.connectedMs / floor.connectedMs,
        firstFrameVsFloor: m.firstFrameMs / floor.firstFrameMs,
        connectedVsPeerjs: m.connectedMs / peerjs.connectedMs,
        firstFrameVsPeerjs: m.firstFrameMs / peerjs.firstFrameMs,
      };
      const runsOf = (key) =>
        runs
          .filter((r) => r.size === size && r.method === method)
          .map((r) => format(r[key]))
          .join(', ');
      rows.push([
        `${size} persons`,
        METHODS[method],
        format(m.connectedMs),
        ratio(m.connectedMs, floor.connectedMs),
        ratio(m.connectedMs, peerjs.connectedMs),
        format(m.firstFrameMs),
        ratio(m.firstFrameMs, floor.firstFrameMs),
        ratio(m.firstFrameMs, peerjs.firstFrameMs),
        `${runsOf('connectedMs')} / ${runsOf('firstFrameMs')}`,
      ]);
    }
  }
  console.log('');
  printTable(
    ['call', 'method', 'connected ms', 'vs floor', 'vs PeerJS', 'first frame ms', 'vs floor', 'vs PeerJS', 'runs: connected / first frame (ms)'],
    rows,
  );
  const target = ratios[2].ponte;
  const met = target.connectedVsFloor <= 1.15 && target.firstFrameVsFloor <= 1.15;
  console.log(
    `\nTarget: Ponte two-person setup <= 1.15x the floor: connected ${target.connectedVsFloor.toFixed(2)}x, first frame ${target.firstFrameVsFloor.toFixed(2)}x: ${met ? 'met' : 'MISSED'}`,
  );

  writeResult('setup', {
    machine: machine({ browser: true }),
    config: {
      runs: RUNS,
      sizes: SIZES,
      methods: METHODS,
      settleBeforeNewcomerMs: SETTLE_MS,
      unit: 'ms from t0 (the start of the newcomer join) on the newcomer page, median of the runs',
    },
    runs,
    medians,
    ratios,
    target: { ponteTwoPersonVsFloor: 1.15, met },
  });
}

await main();
