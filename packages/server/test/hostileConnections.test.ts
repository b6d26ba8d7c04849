import { PROTOCOL_VERSION } from '@ponte/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientSession } from '../src/dialects/session/ClientSession.js';
import { CloseCode, Opcode } from '../src/transport/frame.js';
import { clientFrame } from './clientFrame.js';
import { collectingLogger } from './logLines.js';
import { startHarness, type Harness } from './harness.js';
import { RawClient, readResponseHead } from './RawClient.js';

/**
 * The limits of issue 12 against the real server, one at a time: connections that have not
 * finished their request head, a handler that throws, a ping flood, and a burst toward a
 * client that reads slowly. (The RFC 6455 cases are in conformance/, all attacks at once in
 * hostileLoad.test.ts.)
 */

let h: Harness | undefined;
const raws: RawClient[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const raw of raws.splice(0)) raw.destroy();
  await h?.stop();
  h = undefined;
});

async function rawClient(url: string): Promise<RawClient> {
  const client = await RawClient.connect(url);
  raws.push(client);
  return client;
}

/** Joins `room` over a raw client; resolves with the peer id. */
async function rawJoin(client: RawClient, room: string, name: string): Promise<string> {
  client.sendFrame(Opcode.text, JSON.stringify({ type: 'join', version: PROTOCOL_VERSION, room, name }));
  const joined = JSON.parse((await client.nextFrame()).payload.toString()) as { type: string; self: string };
  expect(joined.type).toBe('joined');
  return joined.self;
}

/** A counter's value in the server's Prometheus text. */
async function metric(harness: Harness, line: string): Promise<number> {
  const text = (await harness.server.app.inject({ url: '/metrics' })).body;
  const found = text.split('\n').find((entry) => entry.startsWith(`${line} `));
  return Number(found?.split(' ')[1] ?? NaN);
}

describe('connections before their upgrade', () => {
  it('count toward maxConnectionsPerIp until their request head is complete', async () => {
    h = await startHarness({ maxConnectionsPerIp: 3 });
    const silent = await Promise.all([1, 2, 3].map(() => RawClient.open(h!.url)));
    try {
      // A fourth connection from the same address is refused before it can send anything.
      const refused = await RawClient.open(h.url);
      refused.write(RawClient.upgradeRequest(new URL(h.url).host));
      await expect(readResponseHead(refused)).rejects.toThrow(/^HTTP\/1\.1 429 /);
      // One silent socket finishes a plain request: it no longer counts, a WebSocket gets its seat.
      const answered = new Promise((resolve) => silent[0]!.once('data', resolve));
      silent[0]!.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      await answered;
      await expect(rawClient(h.url)).resolves.toBeInstanceOf(RawClient);
    } finally {
      for (const socket of silent) socket.destroy();
    }
  });

  it('are answered 408 and closed when their request head does not arrive in handshakeTimeoutMs', async () => {
    h = await startHarness({ handshakeTimeoutMs: 300 });
    const socket = await RawClient.open(h.url);
    const trickler = new RawClient(socket);
    const request = RawClient.upgradeRequest(new URL(h.url).host);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    // One byte of the request head at a time, never the whole of it.
    let sent = 0;
    const drip = setInterval(() => socket.write(request[sent++ % (request.length - 4)]!), 20);
    const { afterMs } = await trickler.waitClosed();
    clearInterval(drip);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    // Closed near the limit (the check runs every handshakeTimeoutMs / 4), far below Node's 60 s.
    expect(afterMs).toBeLessThan(2_000);
    expect(afterMs).toBeGreaterThanOrEqual(290);
  });
});

describe('a connection whose handling throws', () => {
  it('is closed with 1011, logged and counted; the others go on', async () => {
    const { logger, lines } = collectingLogger('info');
    h = await startHarness({ logger });
    const bystander = await h.joined('calm', 'Ana');
    const victim = await rawClient(h.url);
    vi.spyOn(ClientSession.prototype, 'receive').mockImplementationOnce(() => {
      throw new TypeError('a bug in a frame handler');
    });
    victim.sendFrame(Opcode.text, '{"type":"leave"}');
    expect((await victim.waitClosed()).code).toBe(CloseCode.internalError);
    expect(lines.join('')).toContain('a bug in a frame handler');
    expect(await metric(h, 'ponte_errors_total{code="CLOSED_1011"}')).toBe(1);
    // The process, the server and the other room are untouched.
    const newcomer = await h.joined('calm', 'Bo');
    expect(await bystander.client.next('peer-joined')).toMatchObject({ peer: { id: newcomer.id } });
    expect(bystander.client.frames.filter((frame) => frame.type === 'error')).toEqual([]);
  });
});

describe('pings', () => {
  it('past the rate limit go unanswered, and a flood closes the socket with 1008', async () => {
    h = await startHarness({ rateLimit: { burst: 20, closeAfter: 10 } });
    const client = await rawClient(h.url);
    // 20 within the burst, 10 tolerated over it, the 11th over it closes.
    const pings = (from: number, count: number): Buffer =>
      Buffer.concat(Array.from({ length: count }, (_, i) => clientFrame(Opcode.ping, `p${from + i}`)));
    // The pings of one chunk are answered with one pong, for the last of them.
    client.send(pings(0, 5));
    const pong = await client.nextFrame();
    expect([pong.opcode, pong.payload.toString()]).toEqual([Opcode.pong, 'p4']);
    // 15 more within the burst, 10 tolerated over it, the 11th over it closes: no pong after that.
    client.send(pings(5, 40));
    const close = await client.nextFrame();
    expect([close.opcode, close.payload.readUInt16BE(0)]).toEqual([Opcode.close, CloseCode.policyViolation]);
    expect(await metric(h, 'ponte_errors_total{code="CLOSED_1008"}')).toBe(1);
  });
});

describe('a burst toward a client that reads slowly', () => {
  it('is delivered whole, more than the old 16 MiB limit of it, when the client keeps reading', async () => {
    h = await startHarness();
    const receiver = await rawClient(h.url);
    const receiverId = await rawJoin(receiver, 'burst', 'Slow');
    const senders = await Promise.all([1, 2, 3, 4, 5].map((n) => h!.joined('burst', `Sender ${n}`)));
    // A slow reader: after each chunk it looks away for a moment.
    receiver.socket.on('data', () => {
      receiver.socket.pause();
      setTimeout(() => receiver.socket.resume(), 5);
    });
    const sdp = 'x'.repeat(32_000);
    const perSender = 200; // the rate limit's burst
    for (const { client } of senders) {
      for (let i = 0; i < perSender; i++)
        client.send({ type: 'signal', to: receiverId, data: { kind: 'description', description: { type: 'offer', sdp } } });
    }
    const expected = senders.length * perSender;
    let signals = 0;
    let bytes = 0;
    while (signals < expected) {
      const frame = await receiver.nextFrame();
      const type = (JSON.parse(frame.payload.toString()) as { type: string }).type;
      if (type === 'signal') {
        signals += 1;
        bytes += frame.payload.length;
      }
    }
    expect(bytes).toBeGreaterThan(16 * 1024 * 1024);
    for (const { client } of senders) expect(client.frames.filter((frame) => frame.type === 'error')).toEqual([]);
    expect(await metric(h, 'ponte_errors_total{code="CLOSED_1008"}')).toBe(0);
  });
});
