// Signaling per call: the WebSocket frames and bytes that go through the signaling server to
// set up a two-person call and a four-person room, with the Ponte SDK, with PeerJS, and with
// the floor (a bare RTCPeerConnection per pair over the bare relay) for reference. Counted in
// each page by wrapping `WebSocket` (bench/lib/callPage.js), summed over the participants,
// from the opening of each participant's socket until everyone is connected to everyone and
// has shown a frame of everyone's video, plus a 2 s settle (late trickled candidates count).
//
//   npm run bench:signaling [-- --runs 3]
//
// Prints a table of medians and writes bench/results/signaling.json.
import { parseArgs } from 'node:util';
import { mediansBySizeAndMethod, METHODS, runCallRounds } from '../lib/browsers.mjs';
import { machine, printTable, writeResult } from '../lib/common.mjs';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const RUNS = Number(args.runs);
const SIZES = [2, 4];
const NAMES = Object.keys(METHODS);
/** How long frames are still counted after everyone is connected and has video. */
const SETTLE_MS = 2000;
const METRICS = ['framesToServer', 'framesFromServer', 'bytesToServer', 'bytesFromServer', 'frames', 'bytes'];

/** Sums the pages' counts (callPage.js `signaling()`) into one call's totals. */
function total(pages) {
  const sum = { framesToServer: 0, framesFromServer: 0, bytesToServer: 0, bytesFromServer: 0, types: {} };
  for (const page of pages) {
    sum.framesToServer += page.out.frames;
    sum.bytesToServer += page.out.bytes;
    sum.framesFromServer += page.in.frames;
    sum.bytesFromServer += page.in.bytes;
    for (const [type, count] of Object.entries(page.types)) sum.types[type] = (sum.types[type] ?? 0) + count;
  }
  return { ...sum, frames: sum.framesToServer + sum.framesFromServer, bytes: sum.bytesToServer + sum.bytesFromServer };
}

async function main() {
  const runs = await runCallRounds(
    { label: 'Signaling per call', runs: RUNS, sizes: SIZES, callOptions: () => ({ afterMs: SETTLE_MS }) },
    (call, { run, size, method }) => {
      const counts = total(call.signaling);
      console.log(`  run ${run}, ${size} persons, ${method}: ${counts.frames} frames, ${counts.bytes} bytes`);
      return counts;
    },
  );
  const medians = mediansBySizeAndMethod(runs, SIZES, METRICS);
  const rows = [];
  for (const size of SIZES) {
    for (const method of NAMES) {
      const m = medians[size][method];
      const { peerjs } = medians[size];
      rows.push([
        `${size} persons`,
        METHODS[method],
        ...METRICS.map((key) => m[key].toLocaleString('en-US')),
        `${(m.frames / peerjs.frames).toFixed(2)}x`,
        `${(m.bytes / peerjs.bytes).toFixed(2)}x`,
      ]);
    }
  }
  console.log('');
  printTable(
    [
      'call',
      'method',
      'frames to server',
      'frames from server',
      'bytes to server',
      'bytes from server',
      'frames',
      'bytes',
      'frames vs PeerJS',
      'bytes vs PeerJS',
    ],
    rows,
  );
  const ratios = Object.fromEntries(
    SIZES.map((size) => {
      const { ponte, peerjs, floor } = medians[size];
      return [
        size,
        {
          framesPonteVsPeerjs: ponte.frames / peerjs.frames,
          bytesPonteVsPeerjs: ponte.bytes / peerjs.bytes,
          framesPonteVsFloor: ponte.frames / floor.frames,
          bytesPonteVsFloor: ponte.bytes / floor.bytes,
        },
      ];
    }),
  );

  writeResult('signaling', {
    machine: machine({ browser: true }),
    config: {
      runs: RUNS,
      sizes: SIZES,
      methods: METHODS,
      settleMs: SETTLE_MS,
      counted:
        'WebSocket data frames each page sent and received (payload bytes, UTF-8), summed over the participants, from each socket opening until everyone is connected and has video everywhere, plus settleMs',
    },
    runs,
    medians,
    ratios,
  });
}

await main();
