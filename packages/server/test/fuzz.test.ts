import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PROTOCOL_VERSION, parseClientFrame, parseServerFrame, type ServerFrame } from '@ponte/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startHarness, type Harness } from './harness.js';
import { messageText } from './messageText.js';
import type { TestClient } from './TestClient.js';

/**
 * Hostile traffic against a real server: ≥100,000 frames from several connections (random
 * bytes and text, mutated valid frames, deeply nested JSON, wrong types, unknown targets,
 * signals into another room, forged ids), plus oversized and invalid-UTF-8 frames on
 * throwaway sockets. Every frame's answer is checked against a model of the protocol built
 * on the same parser; meanwhile two honest peers in another room keep completing
 * offer/answer/candidate exchanges, and the heap must stay bounded.
 */

const SEED = 0x5eed_2026;
const CONNECTIONS = 8;
/** Connections (of {@link CONNECTIONS}) that join a room of their own; the rest never join. */
const JOINED = 6;
const FRAMES_PER_CONNECTION = 12_600;
const BATCH = 100;
const MAX_PAYLOAD = 65_536;
const MAX_HEAP_GROWTH = 48 * 1024 * 1024;

/** mulberry32: a small, fast, seeded PRNG. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const random = prng(SEED);
const int = (n: number): number => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

/** A random BMP character, never a lone surrogate (so the text survives UTF-8 unchanged). */
function randomChar(): string {
  const roll = random();
  if (roll < 0.6) return String.fromCharCode(32 + int(95));
  if (roll < 0.75) return String.fromCharCode(int(32));
  const code = 0x80 + int(0xd800 - 0x80);
  return String.fromCharCode(code);
}

function randomText(max: number): string {
  let text = '';
  const length = int(max);
  for (let i = 0; i < length; i += 1) text += randomChar();
  return text;
}

function mutate(text: string): string {
  let out = text;
  const steps = 1 + int(3);
  for (let i = 0; i < steps; i += 1) {
    const at = int(out.length + 1);
    switch (int(5)) {
      case 0:
        out = out.slice(0, at) + randomChar() + out.slice(at + 1);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + 1 + int(4));
        break;
      case 2:
        out = out.slice(0, at) + randomChar() + out.slice(at);
        break;
      case 3:
        out = out.slice(0, at) + out.slice(at, at + 1 + int(16)) + out.slice(at);
        break;
      default:
        out = out.replace(
          pick(['"signal"', '"join"', '"update"', '"leave"', 'true', '1', '"offer"']),
          pick(['"signal"', '"join"', 'null', '"x"', '[]', '{}', '2', '"answer"', '-1']),
        );
    }
  }
  return out;
}

function nested(depth: number): string {
  return pick([
    () => '['.repeat(depth) + ']'.repeat(depth),
    () => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
    () => JSON.stringify({ type: 'signal', to: 'x', data: JSON.parse('['.repeat(200) + ']'.repeat(200)) as unknown }),
  ])();
}

interface FuzzContext {
  room: string;
  self: string;
  /** Ids of peers in another room, for signals that must not cross rooms. */
  strangers: string[];
}

const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } };
const candidates = {
  kind: 'candidates',
  candidates: [{ candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host', sdpMid: '0', sdpMLineIndex: 0 }],
};

function validTemplates(context: FuzzContext): string[] {
  return [
    JSON.stringify({ type: 'signal', to: 'ghost-peer-000000', data: offer }),
    JSON.stringify({ type: 'signal', to: 'ghost-peer-000000', data: candidates }),
    JSON.stringify({ type: 'update', state: { audio: true } }),
    JSON.stringify({ type: 'update', name: 'Fuzzy Name' }),
    JSON.stringify({
      type: 'join',
      version: PROTOCOL_VERSION,
      room: context.room,
      name: 'Fuzz',
      state: { audio: true, video: false, screen: false },
    }),
    JSON.stringify({ type: 'message', data: { text: 'hi', n: [1, 2] } }),
    JSON.stringify({ type: 'message', to: ['ghost-peer-000000'], data: 'psst' }),
    JSON.stringify({ type: 'sfu-publish', description: offer.description }),
    JSON.stringify({ type: 'sfu-configure', streams: [{ mid: '0', layer: 1, paused: false }] }),
    JSON.stringify({ type: 'sfu-candidates', leg: 'publisher', candidates: candidates.candidates }),
  ];
}

/** One hostile text frame of a random class. */
function hostileText(context: FuzzContext): string {
  switch (int(10)) {
    case 0:
      return randomText(200);
    case 1:
    case 2:
    case 3:
      return mutate(pick(validTemplates(context)));
    case 4:
      // 2 to 4,096 levels (up to 20 KB), spread on a log scale.
      return nested(2 ** (1 + int(12)));
    case 5:
      return pick([
        JSON.stringify({ type: 'join', version: '1', room: context.room, name: 'x' }),
        JSON.stringify({ type: 'join', version: 1, room: 42, name: 'x' }),
        JSON.stringify({ type: 'signal', to: ['a'], data: offer }),
        JSON.stringify({ type: 'signal', to: 'a', data: { kind: 'candidates', candidates: 'all' } }),
        JSON.stringify({ type: 'update', state: { audio: 'yes' } }),
        JSON.stringify({ type: 7 }),
        JSON.stringify([{ type: 'leave' }]),
        'null',
        '"leave"',
        JSON.stringify({ type: 'join', version: 1, room: context.room, name: 'x', password: 5 }),
        JSON.stringify({ type: 'join', version: 1, room: context.room, name: 'x', token: '' }),
      ]);
    case 6:
      // Unknown targets, and peers of another room.
      return JSON.stringify({
        type: 'signal',
        to: random() < 0.5 ? pick(context.strangers) : `peer-${int(1e9)}`,
        data: random() < 0.5 ? offer : candidates,
      });
    case 7:
      // Forged ids: a client-supplied `from`, or signalling oneself.
      return random() < 0.5
        ? JSON.stringify({ type: 'signal', to: pick(context.strangers), from: pick(context.strangers), data: offer })
        : JSON.stringify({ type: 'signal', to: context.self || 'self', data: offer });
    case 8:
      return JSON.stringify({
        type: pick(['resume', 'joined', 'error', 'peer-left', '__proto__', 'constructor']),
        version: 1,
        token: 'x',
        name: 'a',
        state: { audio: true, video: true, screen: true },
      });
    default:
      return JSON.stringify({
        type: 'signal',
        to: 'x'.repeat(int(100)),
        data: { kind: 'description', description: { type: 'offer', sdp: 'x'.repeat(int(20_000)) } },
      });
  }
}

/** What the server must answer to one frame, per the protocol spec. */
type Expected = { kind: 'none' } | { kind: 'joined' } | { kind: 'error'; codes: readonly string[] };

interface ModelState {
  joined: boolean;
}

function expectedAnswer(text: string, state: ModelState): Expected {
  const parsed = parseClientFrame(text);
  if (!parsed.ok) return { kind: 'error', codes: ['BAD_MESSAGE'] };
  const frame = parsed.frame;
  switch (frame.type) {
    case 'join':
      if (state.joined) return { kind: 'error', codes: ['ALREADY_JOINED'] };
      if (frame.version !== PROTOCOL_VERSION) return { kind: 'error', codes: ['UNSUPPORTED_VERSION'] };
      state.joined = true;
      return { kind: 'joined' };
    case 'resume':
      return { kind: 'error', codes: ['ALREADY_JOINED', 'UNSUPPORTED_VERSION', 'RESUME_FAILED'] };
    case 'signal':
      // Every fuzz connection is alone in its room: no target can be reached.
      return { kind: 'error', codes: [state.joined ? 'UNKNOWN_PEER' : 'NOT_IN_ROOM'] };
    case 'update':
      return state.joined ? { kind: 'none' } : { kind: 'error', codes: ['NOT_IN_ROOM'] };
    case 'leave':
      if (!state.joined) return { kind: 'error', codes: ['NOT_IN_ROOM'] };
      state.joined = false;
      return { kind: 'none' };
    case 'message':
      // Alone in its room: to everyone is to nobody; any named peer is unknown.
      if (!state.joined) return { kind: 'error', codes: ['NOT_IN_ROOM'] };
      return frame.to === undefined ? { kind: 'none' } : { kind: 'error', codes: ['UNKNOWN_PEER'] };
    case 'sfu-publish':
    case 'sfu-subscribe':
    case 'sfu-answer':
    case 'sfu-configure':
    case 'sfu-candidates':
      // This server has no SFU: SFU_FAILED, which the fuzz clients (minor 0) are told as INTERNAL.
      return { kind: 'error', codes: [state.joined ? 'INTERNAL' : 'NOT_IN_ROOM'] };
  }
}

/** A raw fuzzing connection that keeps only the answers of the current batch. */
class FuzzConnection {
  readonly ws: WebSocket;
  readonly state: ModelState = { joined: false };
  answers: ServerFrame[] = [];
  sent = 0;
  self = '';

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const parsed = parseServerFrame(messageText(data));
      if (!parsed.ok) throw new Error(`invalid server frame: ${parsed.message}`);
      this.answers.push(parsed.frame);
    });
    ws.on('close', (code) => {
      this.closeCode = code;
    });
  }

  /** Set when the socket closed. */
  closeCode: number | undefined;

  static async open(url: string): Promise<FuzzConnection> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new FuzzConnection(ws);
  }

  /** Resolves true once `count` answers are in, false after 20 s or a close. */
  waitForAnswers(count: number): Promise<boolean> {
    if (this.answers.length >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (result: boolean): void => {
        clearTimeout(timer);
        this.ws.off('message', onMessage);
        this.ws.off('close', onClose);
        resolve(result);
      };
      // Registered after the constructor's listener, so `answers` already holds the frame.
      const onMessage = (): void => {
        if (this.answers.length >= count) done(true);
      };
      const onClose = (): void => done(false);
      const timer = setTimeout(() => done(false), 20_000);
      this.ws.on('message', onMessage);
      this.ws.on('close', onClose);
    });
  }

  /** Resolves once the server answered a ping: every frame it wrote before has arrived. */
  barrier(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closeCode !== undefined) {
        reject(new Error(`the server closed a fuzz connection (${this.closeCode})`));
        return;
      }
      const timer = setTimeout(() => reject(new Error(`no pong within 10 s (close code ${this.closeCode})`)), 10_000);
      this.ws.once('pong', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.ping();
    });
  }
}

function describeAnswer(frame: ServerFrame | undefined): string {
  if (frame === undefined) return 'nothing';
  return frame.type === 'error' ? `error ${frame.code}` : frame.type;
}

async function fuzzOne(connection: FuzzConnection, context: FuzzContext, mismatches: string[]): Promise<void> {
  while (connection.sent < FRAMES_PER_CONNECTION) {
    const expected: Expected[] = [];
    for (let i = 0; i < BATCH && connection.sent < FRAMES_PER_CONNECTION; i += 1) {
      connection.sent += 1;
      if (random() < 0.05) {
        const bytes = Buffer.alloc(int(512));
        for (let b = 0; b < bytes.length; b += 1) bytes[b] = int(256);
        connection.ws.send(bytes, { binary: true });
        expected.push({ kind: 'error', codes: ['BAD_MESSAGE'] });
        continue;
      }
      // What the server will decode: the UTF-8 round trip of the string.
      const text = Buffer.from(hostileText(context), 'utf8').toString('utf8');
      connection.ws.send(text);
      expected.push(expectedAnswer(text, connection.state));
    }
    // A sentinel whose answer comes last (answers keep the order of the frames): once it is
    // in, every answer to the batch is. (A ping would not do: ws answers it on arrival,
    // before the session has handled the frames queued ahead of it.)
    connection.ws.send(JSON.stringify({ type: 'signal', to: 'sentinel', data: offer }));
    const sentinel = connection.state.joined ? 'UNKNOWN_PEER' : 'NOT_IN_ROOM';
    const wanted = expected.filter((entry) => entry.kind !== 'none');
    const arrived = await connection.waitForAnswers(wanted.length + 1);
    const answers = connection.answers;
    connection.answers = [];
    const last = answers.pop();
    if (!arrived || answers.length !== wanted.length || last?.type !== 'error' || last.code !== sentinel) {
      mismatches.push(`${context.room}: ${wanted.length} answers and a ${sentinel} expected, got ${answers.length} and ${describeAnswer(last)}`);
      continue;
    }
    wanted.forEach((entry, index) => {
      const answer = answers[index];
      const ok =
        entry.kind === 'joined' ? answer?.type === 'joined' : answer?.type === 'error' && entry.kind === 'error' && entry.codes.includes(answer.code);
      if (!ok && mismatches.length < 20) mismatches.push(`${context.room}: expected ${JSON.stringify(entry)}, got ${describeAnswer(answer)}`);
      if (answer?.type === 'joined') context.self = answer.self;
    });
  }
}

/** Opens a throwaway socket, sends `payload` as text, and resolves with the close code. */
async function closeCodeFor(url: string, payload: Buffer): Promise<number> {
  const connection = await FuzzConnection.open(url);
  const closed = new Promise<number>((resolve) => connection.ws.once('close', (code) => resolve(code)));
  connection.ws.send(payload, { binary: false });
  return closed;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('fuzz', () => {
  let h: Harness;
  let gc: () => void;

  beforeAll(async () => {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
    // A high rate limit: the limiter has its own tests; here every frame must be answered.
    h = await startHarness({ rateLimit: false, maxPayload: MAX_PAYLOAD, maxConnectionsPerIp: 1_000 });
  });

  afterAll(async () => {
    await h.stop();
  });

  it('answers 100,000 hostile frames as documented while honest peers keep signaling', async () => {
    const ana = await h.joined('honest-room', 'Ana');
    const bo = await h.joined('honest-room', 'Bo');
    await ana.client.next('peer-joined');
    const strangers = [ana.id, bo.id];

    const connections: FuzzConnection[] = [];
    const contexts: FuzzContext[] = [];
    for (let i = 0; i < CONNECTIONS; i += 1) {
      const connection = await FuzzConnection.open(h.url);
      const context: FuzzContext = { room: `fuzz-${i}-${random().toString(36).slice(2, 12)}`, self: '', strangers };
      if (i < JOINED) {
        connection.ws.send(JSON.stringify({ type: 'join', version: PROTOCOL_VERSION, room: context.room, name: `Fuzz ${i}` }));
        connection.state.joined = true;
        await connection.barrier();
        const joined = connection.answers.shift();
        expect(joined?.type).toBe('joined');
        if (joined?.type === 'joined') context.self = joined.self;
      }
      connections.push(connection);
      contexts.push(context);
    }

    // Warm up, then take the baseline heap.
    const baseline = heapAfterGc(gc);
    const heapSamples: number[] = [];
    const sampler = setInterval(() => heapSamples.push(process.memoryUsage().heapUsed), 250);

    let fuzzing = true;
    let exchanges = 0;
    const honest = (async () => {
      while (fuzzing) {
        await exchange(ana, bo, exchanges);
        exchanges += 1;
      }
    })();

    const mismatches: string[] = [];
    const started = performance.now();
    await Promise.all(connections.map((connection, i) => fuzzOne(connection, contexts[i]!, mismatches)));
    const fuzzMs = performance.now() - started;
    fuzzing = false;
    await honest;
    clearInterval(sampler);

    // Frames that close the socket: oversized (1009) and invalid UTF-8 text (1007).
    const closes: number[] = [];
    for (let i = 0; i < 10; i += 1) closes.push(await closeCodeFor(h.url, Buffer.alloc(MAX_PAYLOAD + 1 + int(10_000), 0x61)));
    for (let i = 0; i < 10; i += 1) closes.push(await closeCodeFor(h.url, Buffer.from([0x7b, 0xff, 0xfe, 0x80 + int(64)])));

    const sent = connections.reduce((sum, connection) => sum + connection.sent, 0) + closes.length;
    const growth = heapAfterGc(gc) - baseline;
    console.info(
      `fuzz: ${sent} frames in ${Math.round(fuzzMs)} ms, ${exchanges} honest exchanges, heap growth ${(growth / 1048576).toFixed(1)} MiB, peak ${(Math.max(...heapSamples) / 1048576).toFixed(0)} MiB`,
    );

    expect(mismatches).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(100_000);
    expect(closes).toEqual([...Array<number>(10).fill(1009), ...Array<number>(10).fill(1007)]);
    expect(exchanges).toBeGreaterThanOrEqual(20);
    expect(growth).toBeLessThan(MAX_HEAP_GROWTH);
    // The honest peers heard only each other; the server is alive and its rooms intact.
    const stray = [...ana.client.frames, ...bo.client.frames].filter(
      (frame) =>
        !(frame.type === 'signal' && (frame.from === ana.id || frame.from === bo.id)) && frame.type !== 'peer-joined' && frame.type !== 'joined',
    );
    expect(stray).toEqual([]);
    const health = (await (await fetch(`${h.url}/healthz`)).json()) as { rooms: number; peers: number };
    expect(health.rooms).toBeGreaterThanOrEqual(1);
    await exchange(ana, bo, exchanges);
    for (const connection of connections) connection.ws.terminate();
  }, 120_000);
});

/** One offer/answer/candidates round between two honest peers; fails if any step is lost. */
async function exchange(a: { client: TestClient; id: string }, b: { client: TestClient; id: string }, round: number): Promise<void> {
  const sdp = `v=0\r\no=- ${round} 2 IN IP4 127.0.0.1\r\n`;
  a.client.send({ type: 'signal', to: b.id, data: { kind: 'description', description: { type: 'offer', sdp } } });
  const got = await b.client.waitFor((frame) => frame.type === 'signal', 10_000);
  expect(got).toEqual({ type: 'signal', from: a.id, data: { kind: 'description', description: { type: 'offer', sdp } } });
  b.client.send({ type: 'signal', to: a.id, data: { kind: 'description', description: { type: 'answer', sdp } } });
  await a.client.waitFor((frame) => frame.type === 'signal' && frame.data.kind === 'description' && frame.data.description.sdp === sdp, 10_000);
  a.client.send({ type: 'signal', to: b.id, data: candidates });
  await b.client.waitFor((frame) => frame.type === 'signal' && frame.data.kind === 'candidates', 10_000);
}
