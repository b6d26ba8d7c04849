// A Redis for the benches: Debian's redis-server as a child process on a free loopback port,
// with no persistence (nothing is written to disk), so its CPU time and RSS can be read from
// /proc/<pid> like a server's. `command()` sends one command over a fresh connection (RESP),
// for the few checks a bench makes on what the servers left in Redis.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort, sleep } from './common.mjs';

const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

/** Encodes a command as a RESP array of bulk strings. */
function encode(args) {
  return Buffer.concat([
    Buffer.from(`*${args.length}\r\n`),
    ...args.map((arg) => {
      const bytes = Buffer.from(String(arg));
      return Buffer.concat([Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n')]);
    }),
  ]);
}

/**
 * Reads one RESP reply from `buffer` at `offset`: `{ value, end }`, or undefined when it is not
 * all there yet. Errors come back as Error objects, arrays as arrays, bulk strings as strings.
 */
function decode(buffer, offset = 0) {
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd < 0) return undefined;
  const kind = String.fromCharCode(buffer[offset]);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  if (kind === '+') return { value: line, end: lineEnd + 2 };
  if (kind === '-') return { value: new Error(line), end: lineEnd + 2 };
  if (kind === ':') return { value: Number(line), end: lineEnd + 2 };
  if (kind === '$') {
    const length = Number(line);
    if (length < 0) return { value: null, end: lineEnd + 2 };
    if (buffer.length < lineEnd + 2 + length + 2) return undefined;
    return { value: buffer.toString('utf8', lineEnd + 2, lineEnd + 2 + length), end: lineEnd + 2 + length + 2 };
  }
  if (kind === '*') {
    const count = Number(line);
    const values = [];
    let end = lineEnd + 2;
    for (let i = 0; i < count; i++) {
      const item = decode(buffer, end);
      if (item === undefined) return undefined;
      values.push(item.value);
      end = item.end;
    }
    return { value: count < 0 ? null : values, end };
  }
  throw new Error(`unexpected RESP reply: ${buffer.toString('utf8', offset, Math.min(buffer.length, offset + 40))}`);
}

/** Sends one command to the Redis on `port` and resolves its reply (rejects on an error reply). */
export function redisCommand(port, ...args) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const reply = decode(received);
      if (reply === undefined) return;
      socket.destroy();
      if (reply.value instanceof Error) reject(reply.value);
      else resolve(reply.value);
    });
    socket.write(encode(args));
  });
}

/**
 * Starts a redis-server on a free loopback port: `{ port, pid, url, stop() }`. It keeps
 * nothing on disk (`--save ''`, no AOF) and runs from /tmp.
 */
export async function startRedis() {
  const port = await freePort();
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', '/tmp'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let spawnError;
  child.once('error', (error) => (spawnError = error));
  const exited = new Promise((resolve) => child.once('close', resolve));
  const stop = async () => {
    if (spawnError !== undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (spawnError !== undefined) throw new Error(`cannot start ${REDIS_SERVER} (apt-get install redis-server): ${spawnError.message}`);
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    try {
      if ((await redisCommand(port, 'PING')) === 'PONG') break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer on ${port}`);
    }
    await sleep(50);
  }
  return { port, pid: child.pid, url: `redis://127.0.0.1:${port}`, stop };
}
