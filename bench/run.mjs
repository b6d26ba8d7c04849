// Runs the benchmarks: all of them, or those named on the command line.
//
//   npm run bench                 # every bench
//   npm run bench -- transfer     # one (extra flags after the names go to each bench)
//
// A bench is a folder bench/<name>/ with a run.mjs that prints its table and writes
// bench/results/<name>.json. Add one by adding the folder and a line to BENCHES.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES = {
  transfer: 'File transfer: Ponte SDK vs raw RTCDataChannel vs PeerJS, two Chromium processes',
  relay: 'Relay cost: signaling frames through Ponte vs a bare ws relay (floor) vs PeerJS server, CPU per frame',
  capacity: 'Capacity: server RSS per idle connection at 5,000 and 10,000 connections, Ponte vs floor vs PeerJS server',
  signaling: 'Signaling per call: frames and bytes through the server for a 2-person call and a 4-person room, Ponte vs PeerJS (floor beside)',
  setup: 'Call setup: join to connected and to first remote video frame, 2 and 4 Chromium processes, Ponte vs floor vs PeerJS',
  hostile:
    'Hostile attacks: RSS growth and time to close per attack alone, and the honest relay RTT under all of them, Ponte vs idle floor vs PeerJS server',
  sfu: 'Rooms beyond a mesh: uplink and browser CPU per participant at 2-8 people, mesh vs Janus SFU vs a mesh without budget; Janus CPU per stream; switch time',
  scaleout:
    'Scale-out over Redis: relay RTT and CPU per frame across two processes, RSS per idle connection, failover by resume after a SIGKILL, vs one process in memory',
};

/** Node flags a bench needs: the SFU bench starts Janus with the tests' harness, a TypeScript module. */
const NODE_ARGS = { sfu: ['--import', 'tsx'] };

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
// Bench names come before the first flag; a flag's value may follow it as its own argument
// (`--parts relay`, `--ponte-root /tmp/x`), so nothing after the first flag is a name.
const firstFlag = argv.findIndex((arg) => arg.startsWith('-'));
const named = firstFlag < 0 ? argv : argv.slice(0, firstFlag);
const names = named.filter((arg) => arg in BENCHES);
const flags = firstFlag < 0 ? [] : argv.slice(firstFlag);
const unknown = named.filter((arg) => !(arg in BENCHES));
if (unknown.length > 0) {
  console.error(`Unknown bench: ${unknown.join(', ')}. Known: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(1);
}

// Benches measure the built SDK and server, so build first (incremental, quick when fresh).
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let failed = false;
for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
  console.log(`\n=== ${name}: ${BENCHES[name]} ===`);
  const run = spawnSync(process.execPath, [...(NODE_ARGS[name] ?? []), `bench/${name}/run.mjs`, ...flags], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
