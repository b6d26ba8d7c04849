// Hostile attacks (issue #12): each attack kind alone against a fresh server process —
// RSS growth (peak minus baseline, sampled every 100 ms over a fixed window) and the time
// until the server closed the attacking sockets, or that it died — for Ponte and for
// PeerJS's server (`peer`) under the same attack, beside the floor: the same server idle
// over the same window (RSS) and its fastest close, an upgrade refused at an unknown path
// (time). Then the honest pair's relay round trip p50/p99 alone vs under every attack at
// once. Medians of several runs, servers interleaved; ratios beside each figure.
//
//   npm run bench:hostile [-- --runs 3 --seconds 15 --sockets 8 --relay-seconds 10]
//   npm run bench:hostile -- --ponte-root=/tmp/ponte-before --label=before
//
// --ponte-root runs Ponte's built server (packages/server/dist/main.js) of another checkout,
// e.g. the code before the fixes; the attacks, the peer and the floor are this checkout's.
// Ponte runs with its defaults except PONTE_MAX_CONNECTIONS_PER_IP=1000 (the mixed load
// opens 64+ sockets from 127.0.0.1) and LOG_LEVEL=error.
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';
import { ROOT, median, percentile, printTable, rotated, writeResult } from '../lib/common.mjs';

// The attack library is the test's TypeScript; tsx loads it (workspace imports resolve to dist).
register();
const { ATTACK_DESCRIPTIONS, ATTACK_KINDS } = await import('../../packages/server/test/hostile/attacks.ts');
const { peerjsServer, ponteFromDist } = await import('../../packages/server/test/hostile/serverProcess.ts');
const { summarize } = await import('../../packages/server/test/hostile/hostileLoad.ts');
const { measureAttack, measureFloor, measureRelay } = await import('./measure.mjs');

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    // The bound of each attack and the RSS window; 15 s shows Ponte's 10 s default timeouts.
    seconds: { type: 'string', default: '15' },
    sockets: { type: 'string', default: '8' },
    'relay-seconds': { type: 'string', default: '10' },
    'ceiling-mb': { type: 'string', default: '1536' },
    'ponte-root': { type: 'string', default: ROOT },
    label: { type: 'string', default: '' },
    attacks: { type: 'string', default: ATTACK_KINDS.join(',') },
    servers: { type: 'string', default: 'ponte,peerjs' },
  },
});
const RUNS = Number(args.runs);
const BOUND_MS = Number(args.seconds) * 1000;
const SOCKETS = Number(args.sockets);
const RELAY_MS = Number(args['relay-seconds']) * 1000;
const CEILING = Number(args['ceiling-mb']) * 1024 * 1024;
const PONTE_ROOT = resolve(args['ponte-root']);
const KINDS = args.attacks.split(',').filter((kind) => ATTACK_KINDS.includes(kind));
const COMMANDS = {
  ponte: ponteFromDist(PONTE_ROOT, { PONTE_MAX_CONNECTIONS_PER_IP: '1000' }),
  peerjs: peerjsServer(),
};
const NAMES = args.servers.split(',').filter((name) => name in COMMANDS);
const LABELS = { ponte: `Ponte (${PONTE_ROOT === resolve(ROOT) ? 'this checkout' : PONTE_ROOT})`, peerjs: 'PeerJS server (peer)' };
const bounds = { sockets: SOCKETS, boundMs: BOUND_MS, ceilingBytes: CEILING };

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const ms = (value) => (value === undefined || Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(1) : value.toFixed(0));
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '–');
const medianOrNaN = (values) => (values.length === 0 ? NaN : median(values));
/** A figure of a server that died under the attack is not comparable: NaN then. */
const alive = (name, kind, key) => (summary[name]?.[kind]?.exits > 0 ? NaN : summary[name]?.[kind]?.[key]);
let summary;

/** One attack's runs on one server, summed up. */
function attackSummary(runs) {
  const outcomes = runs.flatMap((run) => run.outcomes);
  const closed = outcomes.filter((outcome) => outcome.closedAfterMs !== undefined);
  const exits = runs.filter((run) => run.exited);
  const [summary] = summarize(outcomes);
  return {
    growthMb: median(runs.map((run) => run.growthBytes)) / 1024 / 1024,
    atCeiling: runs.filter((run) => run.stoppedAtCeiling).length,
    // The median over runs of each run's median close time (runs where at least one closed).
    closeMs: medianOrNaN(
      runs.flatMap((run) => {
        const times = run.outcomes.flatMap((outcome) => (outcome.closedAfterMs === undefined ? [] : [outcome.closedAfterMs]));
        return times.length === 0 ? [] : [median(times)];
      }),
    ),
    closed: `${closed.length}/${outcomes.length}`,
    endings: summary?.endings ?? '',
    runs: runs.length,
    exits: exits.length,
    exitReason: exits[0]?.reason,
    exitAfterMs: exits[0]?.afterMs,
  };
}

function closeCell(s) {
  if (s.exits > 0) return `server died ${s.exits}/${s.runs} after ${ms(s.exitAfterMs)} ms: ${s.exitReason}`;
  return `${ms(s.closeMs)} ms (${s.closed} closed; ${s.endings})`;
}

async function main() {
  console.log(
    `${SOCKETS} sockets per attack, each bounded by ${BOUND_MS / 1000} s (RSS window the same; attacks stop early past ${mb(CEILING)} MB), ${RUNS} runs, servers interleaved`,
  );
  for (const name of NAMES) console.log(`  ${name}: ${LABELS[name]}`);
  for (const kind of KINDS) console.log(`  ${kind}: ${ATTACK_DESCRIPTIONS[kind]}`);
  const floors = Object.fromEntries(NAMES.map((name) => [name, []]));
  const attacks = Object.fromEntries(NAMES.map((name) => [name, Object.fromEntries(KINDS.map((kind) => [kind, []]))]));
  for (let run = 0; run < RUNS; run++) {
    for (const name of rotated(NAMES, run)) {
      const floor = await measureFloor(COMMANDS[name], bounds);
      floors[name].push(floor);
      console.log(`run ${run + 1} ${name} idle: RSS +${mb(floor.growthBytes)} MB, refused upgrade closed in ${ms(medianOrNaN(floor.closesMs))} ms`);
      for (const kind of KINDS) {
        const result = await measureAttack(COMMANDS[name], name, kind, bounds);
        attacks[name][kind].push(result);
        const s = attackSummary([result]);
        console.log(
          `run ${run + 1} ${name} ${kind}: RSS +${mb(result.growthBytes)} MB${result.stoppedAtCeiling ? ' (ceiling)' : ''}, ${closeCell(s)}`,
        );
      }
    }
  }
  const floor = Object.fromEntries(
    NAMES.map((name) => [
      name,
      {
        growthMb: median(floors[name].map((f) => f.growthBytes)) / 1024 / 1024,
        closeMs: medianOrNaN(floors[name].map((f) => medianOrNaN(f.closesMs))),
      },
    ]),
  );
  summary = Object.fromEntries(NAMES.map((name) => [name, Object.fromEntries(KINDS.map((kind) => [kind, attackSummary(attacks[name][kind])]))]));
  const cell = (name, kind, key) => summary[name]?.[kind]?.[key];

  console.log(
    `\nRSS growth in MB (peak minus baseline over ${BOUND_MS / 1000} s), medians of ${RUNS} runs; floor = the same server idle over the same window:\n`,
  );
  const growth = (name, kind) =>
    `${cell(name, kind, 'growthMb').toFixed(1)}${cell(name, kind, 'atCeiling') > 0 ? ` (ceiling ${cell(name, kind, 'atCeiling')}/${RUNS})` : ''}${cell(name, kind, 'exits') > 0 ? ` (died ${cell(name, kind, 'exits')}/${RUNS})` : ''}`;
  printTable(
    ['attack', 'Ponte', 'Ponte floor', 'Ponte vs floor', 'PeerJS', 'PeerJS floor', 'PeerJS vs floor', 'Ponte vs PeerJS'],
    KINDS.map((kind) => [
      kind,
      NAMES.includes('ponte') ? growth('ponte', kind) : '–',
      floor.ponte ? floor.ponte.growthMb.toFixed(1) : '–',
      ratio(alive('ponte', kind, 'growthMb'), floor.ponte?.growthMb),
      NAMES.includes('peerjs') ? growth('peerjs', kind) : '–',
      floor.peerjs ? floor.peerjs.growthMb.toFixed(1) : '–',
      ratio(alive('peerjs', kind, 'growthMb'), floor.peerjs?.growthMb),
      ratio(alive('ponte', kind, 'growthMb'), alive('peerjs', kind, 'growthMb')),
    ]),
  );

  console.log(
    `\n"ceiling n/${RUNS}": in n runs the attack was stopped once the server's RSS passed ${mb(CEILING)} MB, so the figure is a lower bound. "died": the server process exited under the attack (the growth is up to its death).`,
  );
  console.log(
    `\nTime from connect until the server closed the attacking socket (median over runs of each run's median; first sign: close frame, end, reset or refusal), within ${BOUND_MS / 1000} s; floor = the same server refusing an upgrade at an unknown path:\n`,
  );
  const closes = (name, kind) => (summary[name] ? closeCell(summary[name][kind]) : '–');
  printTable(
    ['attack', 'Ponte', 'Ponte vs floor', 'PeerJS', 'PeerJS vs floor', 'Ponte vs PeerJS'],
    [
      [
        'floor (refused upgrade)',
        floor.ponte ? `${ms(floor.ponte.closeMs)} ms` : '–',
        '1.00x',
        floor.peerjs ? `${ms(floor.peerjs.closeMs)} ms` : '–',
        '1.00x',
        ratio(floor.ponte?.closeMs, floor.peerjs?.closeMs),
      ],
      ...KINDS.map((kind) => [
        kind,
        closes('ponte', kind),
        ratio(alive('ponte', kind, 'closeMs'), floor.ponte?.closeMs),
        closes('peerjs', kind),
        ratio(alive('peerjs', kind, 'closeMs'), floor.peerjs?.closeMs),
        ratio(alive('ponte', kind, 'closeMs'), alive('peerjs', kind, 'closeMs')),
      ]),
    ],
  );

  const relay = await relayRuns(summary);
  writeResult(args.label ? `hostile-${basename(args.label)}` : 'hostile', {
    config: {
      runs: RUNS,
      boundSeconds: BOUND_MS / 1000,
      socketsPerAttack: SOCKETS,
      relaySeconds: RELAY_MS / 1000,
      ceilingMb: CEILING / 1024 / 1024,
      ponteRoot: PONTE_ROOT,
      attacks: KINDS,
    },
    floor,
    summary,
    relay: { own: relay.own, common: relay.common, table: relay.table },
    runs: { floors, attacks, relay: relay.runs },
  });
}

/** `all`, `none`, or `all but …` of {@link KINDS}. */
function describeMix(kinds) {
  if (kinds.length === KINDS.length) return 'all';
  if (kinds.length === 0) return 'none';
  return `all but ${KINDS.filter((kind) => !kinds.includes(kind)).join(', ')}`;
}

/**
 * The honest pair alone, under every attack at once that did not kill that server alone
 * ("own" mix), and, where that differs, under the mix every server survives ("common"), so
 * that Ponte and PeerJS are compared under the same attacks.
 */
async function relayRuns(summary) {
  const own = Object.fromEntries(NAMES.map((name) => [name, KINDS.filter((kind) => summary[name][kind].exits === 0)]));
  const common = KINDS.filter((kind) => NAMES.every((name) => own[name].includes(kind)));
  // common is a subset of each own mix: the same length means the same kinds.
  const mixes = (name) => [['alone', []], ['own', own[name]], ...(common.length > 0 && common.length < own[name].length ? [['common', common]] : [])];
  const runs = Object.fromEntries(NAMES.map((name) => [name, { alone: [], own: [], common: [] }]));
  console.log(`\nHonest pair, ${RELAY_MS / 1000} s alone and ${RELAY_MS / 1000} s under ${SOCKETS} sockets of each attack of a mix at once:`);
  for (let run = 0; run < RUNS; run++) {
    for (const name of rotated(NAMES, run)) {
      for (const [mode, kinds] of mixes(name)) {
        const result = await measureRelay(COMMANDS[name], name, {
          windowMs: RELAY_MS,
          boundMs: BOUND_MS,
          ceilingBytes: CEILING,
          kinds,
          perKind: SOCKETS,
        }).catch((error) => ({ failed: error.message }));
        runs[name][mode].push(result);
        const r = result.report;
        console.log(
          `run ${run + 1} ${name} ${mode === 'alone' ? 'alone' : `under ${describeMix(kinds)}`}: ${result.failed ?? `${r.roundTrips} round trips, p50 ${ms(percentile(r.rttsMs, 50))} ms, p99 ${ms(percentile(r.rttsMs, 99))} ms, ${r.offersSent - r.answersReceived} lost, ${r.errors.length} errors, ${r.closes.length} closes${result.exited ? `; server died: ${result.reason}` : ''}`}`,
        );
      }
    }
  }
  const stats = (results) => {
    const ok = results.filter((result) => result.report !== undefined && !result.exited);
    return {
      p50: medianOrNaN(ok.map((result) => percentile(result.report.rttsMs, 50))),
      p99: medianOrNaN(ok.map((result) => percentile(result.report.rttsMs, 99))),
      lost: results.reduce((sum, result) => sum + (result.report ? result.report.offersSent - result.report.answersReceived : 0), 0),
      died: results.filter((result) => result.report === undefined || result.exited).length,
      ceiling: results.filter((result) => result.stoppedAtCeiling).length,
    };
  };
  const table = Object.fromEntries(
    NAMES.map((name) => [name, Object.fromEntries(mixes(name).map(([mode, kinds]) => [mode, { kinds, ...stats(runs[name][mode]) }]))]),
  );
  console.log(
    `\nHonest relay round trip (offer out → answer back), medians of ${RUNS} runs, alone and under a mix of attacks (a mix leaves out what killed that server alone):\n`,
  );
  printTable(
    [
      'server',
      'attacks in the mix',
      'p50 alone ms',
      'p50 under attack ms',
      'ratio',
      'p99 alone ms',
      'p99 under attack ms',
      'ratio',
      'lost signals (alone / attacked)',
      'server died',
      'stopped at RSS ceiling',
    ],
    NAMES.flatMap((name) =>
      mixes(name)
        .filter(([mode]) => mode !== 'alone')
        .map(([mode]) => {
          const { alone } = table[name];
          const attacked = table[name][mode];
          return [
            LABELS[name],
            describeMix(attacked.kinds),
            ms(alone.p50),
            ms(attacked.p50),
            ratio(attacked.p50, alone.p50),
            ms(alone.p99),
            ms(attacked.p99),
            ratio(attacked.p99, alone.p99),
            `${alone.lost} / ${attacked.lost}`,
            `${attacked.died} of ${RUNS}`,
            `${attacked.ceiling} of ${RUNS}`,
          ];
        }),
    ),
  );
  if (table.ponte && table.peerjs && common.length > 0) {
    const same = (name) => table[name].common ?? table[name].own;
    console.log(
      `\nUnder the same mix (${describeMix(common)}), Ponte vs PeerJS: p50 ${ratio(same('ponte').p50, same('peerjs').p50)}, p99 ${ratio(same('ponte').p99, same('peerjs').p99)}; alone: p50 ${ratio(table.ponte.alone.p50, table.peerjs.alone.p50)}, p99 ${ratio(table.ponte.alone.p99, table.peerjs.alone.p99)}`,
    );
  }
  // Every run, without the round-trip samples themselves.
  const brief = (result) =>
    result.report === undefined
      ? result
      : {
          ...result,
          report: { ...result.report, rttsMs: undefined, p50: percentile(result.report.rttsMs, 50), p99: percentile(result.report.rttsMs, 99) },
        };
  const everyRun = Object.fromEntries(
    NAMES.map((name) => [name, Object.fromEntries(Object.entries(runs[name]).map(([mode, results]) => [mode, results.map(brief)]))]),
  );
  return { own, common, table, runs: everyRun };
}

await main();
process.exit(0);
