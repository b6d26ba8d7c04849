import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CloseCode, Opcode } from './frame.js';
import { handshakeResponse } from './handshake.js';
import { SendWatch } from './SendWatch.js';
import { ReadyState, ServerSocket, type SocketEvents } from './ServerSocket.js';
import { clientFrame } from '../../test/clientFrame.js';

/** Everything the server side saw, in order. */
type Seen = ['message', string, boolean] | ['pong'] | ['error', number] | ['close', number];

interface Fixture {
  url: string;
  port: number;
  seen: Seen[];
  /** The next server-side socket to be accepted. */
  accepted: () => Promise<ServerSocket>;
  /** Resolves with the close code once the server side reports a socket closed. */
  closed: () => Promise<number>;
  /** Resolves once the server side sees a pong. */
  ponged: () => Promise<void>;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  if (server?.listening) await new Promise((resolve) => server!.close(resolve));
});

let watch: SendWatch | undefined;
afterEach(() => watch?.stop());

/** Options of the fixture's sockets, and what its events do. */
interface FixtureOptions {
  maxPayload?: number;
  maxBufferedBytes?: number;
  maxQueuedControlFrames?: number;
  closeTimeoutMs?: number;
  stallMs?: number;
  /** What the `ping` event answers (whether to pong). Default `true`. */
  answerPings?: boolean;
  /** Makes the `message` event throw. */
  throwOnMessage?: boolean;
}

/** An HTTP server that upgrades every request the way attachWebSocket does. */
async function start(options: FixtureOptions = {}): Promise<Fixture> {
  const seen: Seen[] = [];
  const waiting: ((socket: ServerSocket) => void)[] = [];
  let onClosed: ((code: number) => void) | undefined;
  let onPong: (() => void) | undefined;
  const events: SocketEvents = {
    message: (_socket, data, binary) => {
      if (options.throwOnMessage) throw new Error('handler bug');
      seen.push(['message', data.toString(), binary]);
    },
    ping: () => options.answerPings ?? true,
    pong: () => {
      seen.push(['pong']);
      onPong?.();
    },
    error: (_socket, error) => seen.push(['error', error.closeCode]),
    close: (_socket, code) => {
      seen.push(['close', code]);
      onClosed?.(code);
    },
  };
  const accepted: ServerSocket[] = [];
  const stallMs = options.stallMs ?? 60_000;
  watch = new SendWatch(stallMs, (socket) => socket.stalled(stallMs));
  const sendWatch = watch;
  server = createServer();
  server.on('upgrade', (request, socket: Socket, head: Buffer) => {
    const handshake = handshakeResponse(request);
    if (!handshake.ok) {
      socket.end(handshake.response);
      return;
    }
    socket.write(handshake.response);
    const ws = new ServerSocket(socket, {
      maxPayload: options.maxPayload ?? 1024,
      maxFragments: 16,
      maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
      maxQueuedControlFrames: options.maxQueuedControlFrames ?? 32,
      closeTimeoutMs: options.closeTimeoutMs ?? 5_000,
      sendWatch,
      events,
    });
    const waiter = waiting.shift();
    if (waiter) waiter(ws);
    else accepted.push(ws);
    if (head.length > 0) ws.receive(head);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    port,
    seen,
    accepted: () => (accepted.length > 0 ? Promise.resolve(accepted.shift()!) : new Promise((resolve) => waiting.push(resolve))),
    closed: () => new Promise((resolve) => (onClosed = resolve)),
    ponged: () => new Promise((resolve) => (onPong = resolve)),
  };
}

async function open(url: string): Promise<WebSocket> {
  const client = new WebSocket(url);
  await once(client, 'open');
  return client;
}

const UPGRADE = (port: number, extra = 'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n') =>
  `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${extra}\r\n`;

/** Sends raw bytes to the fixture and collects what comes back until the server ends. */
async function raw(port: number, ...writes: (string | Buffer)[]): Promise<Buffer> {
  const socket = connect(port, '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  await once(socket, 'connect');
  for (const bytes of writes) socket.write(bytes);
  await once(socket, 'close');
  return Buffer.concat(received);
}

describe('ServerSocket with a ws client', () => {
  it('exchanges text both ways, keeps binary apart and answers pings', async () => {
    const f = await start();
    const client = await open(f.url);
    const ws = await f.accepted();
    const received = once(client, 'message');
    ws.send(Buffer.from('{"type":"hello"}'));
    const [data, isBinary] = (await received) as [Buffer, boolean];
    expect([String(data), isBinary]).toEqual(['{"type":"hello"}', false]);
    client.send('from client');
    client.send(Buffer.from([1, 2]), { binary: true });
    const pong = once(client, 'pong');
    client.ping('probe');
    expect(String((await pong)[0])).toBe('probe');
    expect(f.seen).toEqual([
      ['message', 'from client', false],
      ['message', '\u0001\u0002', true],
    ]);
    // The server's ping is answered by the client.
    const answered = f.ponged();
    ws.ping();
    await answered;
    expect(f.seen.at(-1)).toEqual(['pong']);
    client.terminate();
  });

  it('closes with a handshake started by either side, and reports the code', async () => {
    const f = await start();
    const client = await open(f.url);
    const ws = await f.accepted();
    const clientClosed = once(client, 'close');
    const serverClosed = f.closed();
    ws.close(CloseCode.goingAway, 'shutting down');
    expect((await clientClosed).map(String)).toEqual(['1001', 'shutting down']);
    expect(await serverClosed).toBe(CloseCode.goingAway);

    const second = await open(f.url);
    await f.accepted();
    const secondClosed = f.closed();
    const echoed = once(second, 'close');
    second.close(4000, 'leaving');
    expect(await secondClosed).toBe(4000);
    expect(Number((await echoed)[0])).toBe(4000);
  });

  it('reports 1006 when the client vanishes without a close frame', async () => {
    const f = await start();
    const client = await open(f.url);
    await f.accepted();
    const closed = f.closed();
    client.terminate();
    expect(await closed).toBe(CloseCode.abnormal);
  });

  it('closes with 1009 when a message is over maxPayload', async () => {
    const f = await start({ maxPayload: 100 });
    const client = await open(f.url);
    await f.accepted();
    const clientClosed = once(client, 'close');
    client.send('x'.repeat(101));
    expect(Number((await clientClosed)[0])).toBe(CloseCode.messageTooBig);
    expect(f.seen[0]).toEqual(['error', CloseCode.messageTooBig]);
  });
});

describe('ServerSocket with raw bytes', () => {
  it('answers a valid upgrade with the accept value of RFC 6455 §1.3', async () => {
    const f = await start();
    const socket = connect(f.port, '127.0.0.1');
    socket.write(UPGRADE(f.port));
    const [head] = (await once(socket, 'data')) as [Buffer];
    expect(head.toString()).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n');
    socket.destroy();
  });

  it('refuses a bad key with 400 and another version with 426', async () => {
    const f = await start();
    const noKey = await raw(f.port, UPGRADE(f.port, 'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n'));
    expect(noKey.toString()).toMatch(/^HTTP\/1.1 400 /);
    const oldVersion = await raw(f.port, UPGRADE(f.port, 'Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'));
    expect(oldVersion.toString()).toMatch(/^HTTP\/1.1 426 [^]*Sec-WebSocket-Version: 13\r\n/);
  });

  it('reads frames sent right behind the upgrade request, and fails a protocol error with 1002', async () => {
    const f = await start();
    const serverClosed = f.closed();
    const bytes = await raw(
      f.port,
      Buffer.concat([Buffer.from(UPGRADE(f.port)), clientFrame(Opcode.text, 'early')]),
      clientFrame(Opcode.text, 'unmasked', { masked: false }),
    );
    await serverClosed;
    expect(f.seen).toEqual([
      ['message', 'early', false],
      ['error', CloseCode.protocolError],
      ['close', CloseCode.abnormal],
    ]);
    // The 101, then a close frame carrying 1002.
    const closeFrame = bytes.subarray(bytes.indexOf('\r\n\r\n') + 4);
    expect([...closeFrame]).toEqual([0x88, 2, 0x03, 0xea]);
  });

  it('drops a client that stops reading once more than maxBufferedBytes wait for it', async () => {
    const f = await start({ maxBufferedBytes: 256 * 1024 });
    const socket = connect(f.port, '127.0.0.1');
    socket.write(UPGRADE(f.port));
    const ws = await f.accepted();
    // The client reads nothing more: the kernel's buffers fill, then the server's queue.
    socket.pause();
    const closed = f.closed();
    const frame = Buffer.alloc(60_000, 0x61);
    let sent = 0;
    while (ws.readyState === ReadyState.open) {
      ws.send(frame);
      sent += frame.length;
    }
    expect(await closed).toBe(CloseCode.abnormal);
    expect(f.seen).toEqual([
      ['error', CloseCode.policyViolation],
      ['close', CloseCode.abnormal],
    ]);
    // It took the kernel's buffers plus the limit, not less.
    expect(sent).toBeGreaterThan(256 * 1024);
    socket.destroy();
  });

  it('destroys a socket whose client never answers the close handshake', async () => {
    const f = await start({ closeTimeoutMs: 50 });
    const socket = connect(f.port, '127.0.0.1');
    socket.on('data', () => {});
    socket.write(UPGRADE(f.port));
    const ws = await f.accepted();
    const closed = f.closed();
    ws.close(CloseCode.normal);
    expect(await closed).toBe(CloseCode.abnormal);
    socket.destroy();
  });
  /** A client that has stopped reading, and a server socket whose queue to it is backed up. */
  async function backedUp(f: Fixture): Promise<{ socket: Socket; ws: ServerSocket }> {
    const socket = connect(f.port, '127.0.0.1');
    socket.write(UPGRADE(f.port));
    const ws = await f.accepted();
    socket.pause();
    // Fill the kernel's buffers: what is written after this waits in the server's queue.
    while (ws.socket.writableLength === 0) ws.send(Buffer.alloc(60_000, 0x61));
    return { socket, ws };
  }

  it('drops a client whose queue stops moving for the stall time, well below maxBufferedBytes', async () => {
    const f = await start({ stallMs: 200 });
    const closed = f.closed();
    const { socket, ws } = await backedUp(f);
    expect(ws.socket.writableLength).toBeLessThan(1024 * 1024);
    expect(await closed).toBe(CloseCode.abnormal);
    expect(f.seen).toEqual([
      ['error', CloseCode.policyViolation],
      ['close', CloseCode.abnormal],
    ]);
    socket.destroy();
  });

  it('delivers a burst to a client that reads it slowly, however long that takes', async () => {
    const f = await start({ stallMs: 300, maxBufferedBytes: 32 * 1024 * 1024 });
    const socket = connect(f.port, '127.0.0.1');
    socket.write(UPGRADE(f.port));
    const ws = await f.accepted();
    const burst = 200;
    const frame = Buffer.alloc(60_000, 0x62);
    let received = 0;
    const all = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        // A slow reader: after each chunk it looks away for a moment, as a busy phone would.
        socket.pause();
        setTimeout(() => socket.resume(), 5);
        if (received >= burst * (frame.length + 4)) resolve();
      });
    });
    const started = performance.now();
    for (let i = 0; i < burst; i++) ws.send(frame);
    expect(ws.socket.writableLength).toBeGreaterThan(0);
    await all;
    // It took the client longer than the stall time to drain the whole burst.
    expect(performance.now() - started).toBeGreaterThan(300);
    expect(ws.readyState).toBe(ReadyState.open);
    expect(f.seen).toEqual([]);
    socket.destroy();
  });

  it('answers the pings of one chunk with one pong, and none that the rate limit drops', async () => {
    const f = await start();
    const client = await open(f.url);
    const ws = await f.accepted();
    const pongs: string[] = [];
    client.on('pong', (data: Buffer) => pongs.push(data.toString()));
    ws.receive(Buffer.concat(['a', 'b', 'c'].map((payload) => clientFrame(Opcode.ping, payload))));
    ws.receive(clientFrame(Opcode.ping, 'd'));
    // A message after the pings, echoed by nobody: its arrival orders the wait below.
    const echoed = once(client, 'message');
    ws.send(Buffer.from('after'));
    await echoed;
    expect(pongs).toEqual(['c', 'd']);
    client.terminate();

    const limited = await start({ answerPings: false });
    const quiet = await open(limited.url);
    const quietWs = await limited.accepted();
    let ponged = false;
    quiet.on('pong', () => (ponged = true));
    quietWs.receive(clientFrame(Opcode.ping, 'x'));
    const after = once(quiet, 'message');
    quietWs.send(Buffer.from('after'));
    await after;
    expect(ponged).toBe(false);
    quiet.terminate();
  });

  it('drops a client that pings but leaves more than maxQueuedControlFrames pongs unread', async () => {
    const f = await start({ maxQueuedControlFrames: 3 });
    const closed = f.closed();
    const { socket, ws } = await backedUp(f);
    for (let i = 0; i < 4; i++) ws.receive(clientFrame(Opcode.ping, `p${i}`));
    expect(await closed).toBe(CloseCode.abnormal);
    expect(f.seen).toEqual([
      ['error', CloseCode.policyViolation],
      ['close', CloseCode.abnormal],
    ]);
    socket.destroy();
  });

  it('closes with 1011 when handling a message throws, and reads no further', async () => {
    const f = await start({ throwOnMessage: true });
    const client = await open(f.url);
    await f.accepted();
    const clientClosed = once(client, 'close');
    client.send('boom');
    expect(Number((await clientClosed)[0])).toBe(CloseCode.internalError);
    expect(f.seen[0]).toEqual(['error', CloseCode.internalError]);
  });
});
