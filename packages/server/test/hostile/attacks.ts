/**
 * The hostile attacks of issue #12, one function per kind, shared by the hostile-load test
 * (`packages/server/test/hostileLoad.test.ts`) and the attack bench (`bench/hostile/run.mjs`).
 * Each attack opens one connection to a server on 127.0.0.1, runs until the server closes
 * it or its bound (time, bytes, an abort) is reached, then ends, and says how it ended.
 * @packageDocumentation
 */
import { clientFrame } from '../clientFrame.js';
import { RawClient } from '../RawClient.js';
import { AttackSocket } from './attackSocket.js';
import type { AttackTarget } from './targets.js';

/** Every kind of attack, in the order reports list them. */
export const ATTACK_KINDS = [
  'empty-fragments',
  'ping-flood',
  'held-fragments',
  'never-ending',
  'trickled-headers',
  'garbage-json',
  'oversized',
  'bad-target',
] as const;

/** One kind of attack; see {@link ATTACK_KINDS} and {@link ATTACK_DESCRIPTIONS}. */
export type AttackKind = (typeof ATTACK_KINDS)[number];

/** What each attack does, for reports. */
export const ATTACK_DESCRIPTIONS: Record<AttackKind, string> = {
  'empty-fragments': 'a text frame with fin=0, then empty continuation frames as fast as possible',
  'ping-flood': '125-byte pings as fast as possible, never reading the socket',
  'held-fragments': 'a message of 65,535 one-byte fragments, then held open, never finished',
  'never-ending': 'a text message that never ends: 4 KB continuation frames as fast as possible',
  'trickled-headers': 'an upgrade request sent one byte every 100-500 ms, never finished',
  'garbage-json': 'invalid JSON text frames as fast as possible (every other socket joined a room first)',
  oversized: 'a frame header claiming 2^40 bytes, then bytes as fast as possible',
  'bad-target': 'an upgrade request whose target is `//`',
};

/** Bounds of one attack. */
export interface AttackOptions {
  /** The attack ends this long after its connect, whatever the server did. */
  durationMs: number;
  /** Most bytes the attack sends; it then waits for the server until its time is up. Default 256 MiB. */
  maxBytes?: number;
  /** Ends the attack early (e.g. when the server's RSS passes a ceiling). */
  signal?: AbortSignal;
  /** The attack's number among its kind's: unique PeerJS ids, and which garbage sockets join. */
  index?: number;
}

/** How one attack ended. */
export interface AttackOutcome {
  kind: AttackKind;
  /** Whether the WebSocket handshake completed. */
  upgraded: boolean;
  /** The status line the server answered the upgrade request with, if it answered. */
  status: string | undefined;
  /**
   * From the connect to the first sign of the server closing (close frame, end, reset,
   * refusal) seen within the attack's bound; undefined if none was. A close frame that an
   * attack which does not read (ping-flood) finds only when it reads at its bound is in
   * {@link closeCode} but not here: the connection was still open.
   */
  closedAfterMs: number | undefined;
  /** From the connect to the end of the TCP connection, when the server ended it; undefined if the attack had to. */
  endedAfterMs: number | undefined;
  /** The code of the server's close frame, if one was read. */
  closeCode: number | undefined;
  bytesSent: number;
  framesSent: number;
  /** Why the attack could not run (e.g. the connection was refused: the server is gone). */
  error: string | undefined;
}

const TEXT = 0x1;
const BINARY = 0x2;
const CONTINUATION = 0x0;
const PING = 0x9;
const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
/** Fragments of the held message: the most a 16-bit counter of fragments would allow. */
const HELD_FRAGMENTS = 65_535;

/** `frame` repeated `count` times in one buffer (one write puts many frames on the wire). */
function repeated(frame: Buffer, count: number): Buffer {
  return Buffer.concat(Array.from({ length: count }, () => frame));
}

/** Batches built once per process: every attacking socket writes the same bytes. */
const batches = {
  emptyContinuations: repeated(clientFrame(CONTINUATION, '', { fin: false }), 8_192),
  pings: repeated(clientFrame(PING, Buffer.alloc(125, 0x70)), 512),
  continuations4k: repeated(clientFrame(CONTINUATION, Buffer.alloc(4_096, 0x61), { fin: false }), 16),
  zeros: Buffer.alloc(65_536),
  garbage: Buffer.concat(
    ['{"type":"signal","to":', '{{{{', 'null,', '[1,2', '"\\u12"', '{"type":"join","version":1,"room":', 'tru', '}]'].flatMap((text) =>
      Array.from({ length: 8 }, () => clientFrame(TEXT, text)),
    ),
  ),
  held: undefined as Buffer | undefined,
};
const GARBAGE_FRAMES = 64;

/** Runs one attack of `kind` against `target`; never throws, the outcome says what happened. */
export async function runAttack(kind: AttackKind, target: AttackTarget, options: AttackOptions): Promise<AttackOutcome> {
  const deadline = performance.now() + options.durationMs;
  const index = options.index ?? 0;
  let attack: AttackSocket;
  try {
    attack = await AttackSocket.open(target.baseUrl);
  } catch (error) {
    return failed(kind, error);
  }
  const bound: Bound = { deadline, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES, signal: options.signal };
  let upgraded = false;
  try {
    if (kind === 'trickled-headers') await trickleHeaders(attack, bound);
    else if (kind === 'bad-target') upgraded = await attack.upgrade('//');
    else {
      upgraded = await attack.upgrade(target.wsPath(index));
      if (upgraded) await FLOODS[kind](attack, bound, target, index);
    }
    await attack.hold(deadline, options.signal);
  } catch (error) {
    attack.destroy();
    await attack.ended;
    return { ...outcomeOf(kind, attack, upgraded, deadline), error: (error as Error).message };
  }
  attack.destroy();
  // 'close' follows a destroy (ours or Node's, once both ends finished) on a later tick.
  await attack.ended;
  return outcomeOf(kind, attack, upgraded, deadline);
}

interface Bound {
  deadline: number;
  maxBytes: number;
  signal: AbortSignal | undefined;
}

type Flood = (attack: AttackSocket, bound: Bound, target: AttackTarget, index: number) => Promise<void>;

/** Stops a flood at its byte bound or on abort (the time bound is the flood's deadline). */
function stopper(attack: AttackSocket, bound: Bound): () => boolean {
  return () => attack.bytesSent >= bound.maxBytes || bound.signal?.aborted === true;
}

/** The attacks that run on an upgraded connection. */
const FLOODS: Record<Exclude<AttackKind, 'trickled-headers' | 'bad-target'>, Flood> = {
  async 'empty-fragments'(attack, bound) {
    attack.write(clientFrame(TEXT, 'x', { fin: false }), 1);
    await attack.flood(batches.emptyContinuations, 8_192, bound.deadline, stopper(attack, bound));
  },

  async 'ping-flood'(attack, bound) {
    // Never reading: the server's pongs pile up on its side. A dropped connection shows as a
    // failed write; once the flood is over the socket is read again to see the server's end.
    attack.socket.pause();
    await attack.flood(batches.pings, 512, bound.deadline, stopper(attack, bound));
    attack.socket.resume();
  },

  async 'held-fragments'(attack) {
    batches.held ??= Buffer.concat([
      clientFrame(TEXT, 'x', { fin: false }),
      repeated(clientFrame(CONTINUATION, 'x', { fin: false }), HELD_FRAGMENTS - 1),
    ]);
    attack.write(batches.held, HELD_FRAGMENTS);
  },

  async 'never-ending'(attack, bound) {
    attack.write(clientFrame(TEXT, Buffer.alloc(4_096, 0x61), { fin: false }), 1);
    await attack.flood(batches.continuations4k, 16, bound.deadline, stopper(attack, bound));
  },

  async 'garbage-json'(attack, bound, target, index) {
    if (target.join !== undefined && index % 2 === 0) {
      const join = target.join;
      const joined = new Promise<void>((resolve) => {
        attack.onText = (text) => {
          if (join.isJoined(text)) resolve();
        };
      });
      attack.write(clientFrame(TEXT, join.frame(index)), 1);
      await Promise.race([joined, attack.hold(bound.deadline, bound.signal)]);
      attack.onText = undefined;
    }
    await attack.flood(batches.garbage, GARBAGE_FRAMES, bound.deadline, stopper(attack, bound));
  },

  async oversized(attack, bound) {
    attack.write(clientFrame(BINARY, '', { claimedLength: 2 ** 40, lengthBytes: 8 }), 1);
    await attack.flood(batches.zeros, 0, bound.deadline, stopper(attack, bound));
  },
};

/**
 * Sends an upgrade request one byte every 100-500 ms; its head never ends (past the real
 * headers come padding headers, never the blank line).
 */
async function trickleHeaders(attack: AttackSocket, bound: Bound): Promise<void> {
  attack.readHttpAnswer();
  const head = RawClient.upgradeRequest(`127.0.0.1:${attack.socket.remotePort}`).replace(/\r\n$/, '');
  let pad = 0;
  let text = head;
  for (let i = 0; !attack.isEnded && !bound.signal?.aborted && performance.now() < bound.deadline; i++) {
    if (i === text.length) text += `X-Pad-${pad++}: ${'a'.repeat(16)}\r\n`;
    attack.write(text[i]!);
    const pause = 100 + Math.floor(Math.random() * 401);
    await attack.hold(Math.min(performance.now() + pause, bound.deadline), bound.signal);
  }
}

function outcomeOf(kind: AttackKind, attack: AttackSocket, upgraded: boolean, deadline: number): AttackOutcome {
  const closedInTime = attack.closedAt !== undefined && attack.closedAt <= deadline;
  return {
    kind,
    upgraded,
    status: attack.status,
    closedAfterMs: closedInTime ? attack.closedAfterMs : undefined,
    endedAfterMs: attack.endedAfterMs,
    closeCode: attack.closeCode,
    bytesSent: attack.bytesSent,
    framesSent: attack.framesSent,
    error: undefined,
  };
}

function failed(kind: AttackKind, error: unknown): AttackOutcome {
  const message = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return {
    kind,
    upgraded: false,
    status: undefined,
    closedAfterMs: undefined,
    endedAfterMs: undefined,
    closeCode: undefined,
    bytesSent: 0,
    framesSent: 0,
    error: message,
  };
}
