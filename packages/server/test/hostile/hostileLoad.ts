import { ATTACK_KINDS, runAttack, type AttackKind, type AttackOutcome } from './attacks.js';
import type { AttackTarget } from './targets.js';

/** Options of {@link runHostileLoad}. */
export interface HostileLoadOptions {
  target: AttackTarget;
  /** The kinds to run; default every kind. */
  kinds?: readonly AttackKind[];
  /** Connections of each kind open at once. */
  perKind: number;
  /** New attacks start until this long after the load began. */
  windowMs: number;
  /** The bound of each attack (from its connect): it ends then, closed by the server or not. */
  attackMs: number;
  /** Attacks one slot makes at most (an attack the server ends at once is followed by another). */
  maxAttacksPerSlot?: number;
  /** Ends every attack early. */
  signal?: AbortSignal;
}

/** What {@link runHostileLoad} did. */
export interface HostileLoadResult {
  outcomes: AttackOutcome[];
  /** How long the load ran, until its last attack ended, in ms. */
  elapsedMs: number;
}

/**
 * Hostile load: `perKind` connections of every kind at once, for `windowMs`. Each slot runs
 * one attack after another: when the server has closed an attack (or its bound ended it),
 * the slot starts a new one, so the pressure lasts the whole window. A slot whose connect
 * fails stops (the server is gone). Resolves when every attack has ended, at the latest
 * `windowMs + attackMs` after the start.
 */
export async function runHostileLoad(options: HostileLoadOptions): Promise<HostileLoadResult> {
  const { target, perKind, windowMs, attackMs, signal } = options;
  const kinds = options.kinds ?? ATTACK_KINDS;
  const maxAttacks = options.maxAttacksPerSlot ?? 1_000;
  const started = performance.now();
  const windowEnd = started + windowMs;
  const outcomes: AttackOutcome[] = [];
  let next = 0;
  const slot = async (kind: AttackKind): Promise<void> => {
    for (let i = 0; i < maxAttacks && performance.now() < windowEnd && !signal?.aborted; i++) {
      // Every attack gets its own number: PeerJS ids must differ, and garbage sockets alternate joining.
      const index = next++;
      const outcome = await runAttack(kind, target, { durationMs: attackMs, signal, index });
      outcomes.push(outcome);
      if (outcome.error !== undefined && outcome.bytesSent === 0) return;
    }
  };
  await Promise.all(kinds.flatMap((kind) => Array.from({ length: perKind }, () => slot(kind))));
  return { outcomes, elapsedMs: performance.now() - started };
}

/**
 * How an attack ended, in a word: the error, the close code (`1008 unread`: the server's
 * close frame was found only when the attack read at its bound), the HTTP refusal, `dropped`
 * (the connection ended with neither) or `open` (still open at the bound).
 */
function ending(outcome: AttackOutcome): string {
  if (outcome.error !== undefined) return outcome.error;
  if (outcome.closeCode !== undefined) return outcome.closedAfterMs === undefined ? `${outcome.closeCode} unread` : String(outcome.closeCode);
  if (!outcome.upgraded && outcome.status !== undefined) return outcome.status.replace(/^HTTP\/1\.1 /, '');
  return outcome.closedAfterMs === undefined ? 'open' : 'dropped';
}

/** Count, closed-by-server count and close times (median, max, whole ms) of the outcomes of one kind. */
export interface KindSummary {
  kind: AttackKind;
  attacks: number;
  closedByServer: number;
  medianCloseMs: number | undefined;
  maxCloseMs: number | undefined;
  /** Close codes and HTTP statuses seen, with their counts, e.g. `1009×8`. */
  endings: string;
}

/** Sums up `outcomes` per kind, in {@link ATTACK_KINDS} order. */
export function summarize(outcomes: readonly AttackOutcome[]): KindSummary[] {
  return ATTACK_KINDS.flatMap((kind) => {
    const mine = outcomes.filter((outcome) => outcome.kind === kind);
    if (mine.length === 0) return [];
    const closes = mine.flatMap((outcome) => (outcome.closedAfterMs === undefined ? [] : [outcome.closedAfterMs])).sort((a, b) => a - b);
    const endings = new Map<string, number>();
    for (const outcome of mine) endings.set(ending(outcome), (endings.get(ending(outcome)) ?? 0) + 1);
    return [
      {
        kind,
        attacks: mine.length,
        closedByServer: closes.length,
        medianCloseMs: closes.length === 0 ? undefined : Math.round(closes[Math.floor((closes.length - 1) / 2)]!),
        maxCloseMs: closes.length === 0 ? undefined : Math.round(closes.at(-1)!),
        endings: [...endings].map(([label, count]) => `${label}×${count}`).join(' '),
      },
    ];
  });
}
