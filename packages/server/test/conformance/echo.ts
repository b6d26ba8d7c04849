/**
 * The server of the RFC 6455 conformance suite, and its echo. Ponte is not an echo server, but
 * a `signal` from peer A to peer B is relayed with its `data` text byte for byte: a case puts
 * the text it tests in the SDP (or pads the message with JSON white space to a given size) and
 * checks that B receives it intact.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION } from '@ponte/protocol';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ServerOptions } from '../../src/index.js';
import { Opcode } from '../../src/transport/frame.js';
import { startHarness, type Harness } from '../harness.js';
import { RawClient } from '../RawClient.js';
import { describeFrame, expectErrorAnswer } from './wire.js';

/** Server options of the suite: no rate limit or connection caps, so that only RFC 6455 decides. */
export const CONFORMANCE_SERVER_OPTIONS: ServerOptions = {
  rateLimit: false,
  maxConnectionsPerIp: 10_000,
  maxRooms: 10_000,
  maxPeers: 20_000,
  // A raw client is destroyed after each case: its room is told at once, nothing is held.
  reconnectGraceMs: 0,
};

/** The server of one test file, and raw clients for its cases. */
export interface ConformanceServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** A raw client that completed the handshake and joined no room (destroyed after the case). */
  raw(): Promise<RawClient>;
  /** Two raw clients joined to a fresh room, A to send and B to receive the echo. */
  pair(): Promise<EchoPair>;
}

/**
 * Starts one server for the calling test file (in `beforeAll`), destroys each case's clients
 * after it and stops the server after the file. Call it at the top of a test file.
 */
export function useConformanceServer(options: ServerOptions = {}): ConformanceServer {
  let harness: Harness | undefined;
  const clients: RawClient[] = [];
  let rooms = 0;
  beforeAll(async () => {
    harness = await startHarness({ ...CONFORMANCE_SERVER_OPTIONS, ...options });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });
  afterAll(async () => {
    await harness?.stop();
  });
  const server: ConformanceServer = {
    get url() {
      if (harness === undefined) throw new Error('the conformance server is not started yet');
      return harness.url;
    },
    async raw() {
      const client = await RawClient.connect(server.url);
      clients.push(client);
      return client;
    },
    async pair() {
      const room = `conformance-${++rooms}-${randomBytes(4).toString('hex')}`;
      const a = await server.raw();
      const aId = (await join(a, room, 'A')).self;
      const b = await server.raw();
      const bId = (await join(b, room, 'B')).self;
      await nextJson(a, 'peer-joined');
      return new EchoPair(a, aId, b, bId);
    },
  };
  return server;
}

/** Reads the next frame of `client`, which must be a text frame holding JSON of `type`. */
async function nextJson(client: RawClient, type: string): Promise<Record<string, unknown>> {
  const frame = await client.nextFrame();
  expect(describeFrame(frame)).toMatch(new RegExp(`^text \\{"type":"${type}"`));
  return JSON.parse(frame.payload.toString('utf8')) as Record<string, unknown>;
}

async function join(client: RawClient, room: string, name: string): Promise<{ self: string }> {
  client.sendFrame(Opcode.text, JSON.stringify({ type: 'join', version: PROTOCOL_VERSION, room, name }));
  const joined = await nextJson(client, 'joined');
  if (typeof joined.self !== 'string') throw new Error(`joined without a self id: ${JSON.stringify(joined)}`);
  return { self: joined.self };
}

const SDP_OPEN = '{"kind":"description","description":{"type":"offer","sdp":"';
const SDP_CLOSE = '"}';

/**
 * Peers A and B in a room of their own. A sends what a case tests, inside a `signal` to B
 * ({@link signal}); {@link expectEcho} checks that B got exactly the relay of it.
 */
export class EchoPair {
  /** Where the SDP text starts in every {@link signal} of this pair. */
  readonly sdpOffset: number;
  /** The bytes of a signal to B up to its `data` value. */
  readonly #toB: Buffer;
  /** The bytes of the relayed signal from A up to its `data` value. */
  readonly #fromA: Buffer;

  constructor(
    /** The sender. */
    readonly a: RawClient,
    /** A's peer id. */
    readonly aId: string,
    /** The receiver of A's signals. */
    readonly b: RawClient,
    /** B's peer id. */
    readonly bId: string,
  ) {
    this.#toB = Buffer.from(`{"type":"signal","to":${JSON.stringify(bId)},"data":`);
    this.#fromA = Buffer.from(`{"type":"signal","from":${JSON.stringify(aId)},"data":`);
    this.sdpOffset = this.#toB.length + Buffer.byteLength(SDP_OPEN);
  }

  /** The size of the shortest {@link signal}: one with an empty SDP and no padding. */
  get minSize(): number {
    return this.signal('').length;
  }

  /**
   * A `signal` from A to B whose SDP is `sdp`, its bytes placed as they are inside the JSON
   * string (so they must not hold `"`, `\` or control characters). With `size`, spaces before
   * the closing brace of `data` make the message exactly `size` bytes.
   */
  signal(sdp: Buffer | string = 'v=0', size?: number): Buffer {
    const head = Buffer.concat([this.#toB, Buffer.from(SDP_OPEN), Buffer.from(sdp), Buffer.from(SDP_CLOSE)]);
    const padding = size === undefined ? 0 : size - head.length - 2;
    if (padding < 0) throw new Error(`a signal cannot be as short as ${size} bytes (at least ${head.length + 2})`);
    return Buffer.concat([head, Buffer.alloc(padding, ' '), Buffer.from('}}')]);
  }

  /**
   * Expects A's binary message (which the protocol does not use) to have been taken whole and
   * answered with one `BAD_MESSAGE` error, and A to still be usable.
   */
  async expectBinaryRefused(): Promise<void> {
    await expectErrorAnswer(this.a);
    await this.expectStillOpen();
  }

  /** Expects A to still be usable: a fresh signal from it reaches B. */
  async expectStillOpen(): Promise<void> {
    const message = this.signal('still open');
    this.a.sendFrame(Opcode.text, message);
    await this.expectEcho(message);
  }

  /** Expects B's next frame to be A's `peer-left`: nothing A sent was relayed before it went. */
  async expectALeft(): Promise<void> {
    const frame = await this.b.nextFrame();
    expect(describeFrame(frame)).toMatch(/^text \{"type":"peer-left"/);
    expect(JSON.parse(frame.payload.toString('utf8'))).toMatchObject({ type: 'peer-left', peer: this.aId });
  }

  /**
   * Expects B's next frame to be the relay of `message` (a {@link signal} A sent, in whatever
   * frames and chunks): one final text frame carrying A's `data` byte for byte.
   */
  async expectEcho(message: Buffer): Promise<void> {
    if (!message.subarray(0, this.#toB.length).equals(this.#toB)) throw new Error('not a signal of this pair');
    const expected = Buffer.concat([this.#fromA, message.subarray(this.#toB.length)]);
    const frame = await this.b.nextFrame();
    expect(describeFrame(frame).slice(0, 5), describeFrame(frame)).toBe('text ');
    expect(firstDifference(frame.payload, expected), 'the echo differs from the message sent').toBe('');
  }
}

/** Where `actual` first differs from `expected`, or '' when they are equal. */
function firstDifference(actual: Buffer, expected: Buffer): string {
  if (actual.equals(expected)) return '';
  let at = 0;
  while (at < actual.length && at < expected.length && actual[at] === expected[at]) at += 1;
  const around = (bytes: Buffer): string => bytes.subarray(Math.max(0, at - 8), at + 8).toString('hex');
  return `${actual.length} bytes instead of ${expected.length}; first difference at byte ${at}: ${around(actual)} instead of ${around(expected)}`;
}
