import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './serverProcess.js';

/** A loopback coturn with TURN REST API credentials (`use-auth-secret`). */
export interface Coturn {
  /** `turn:127.0.0.1:<port>?transport=udp` */
  url: string;
  stop(): Promise<void>;
}

/** How long coturn may take to answer STUN after it starts, in ms. */
const START_TIMEOUT_MS = 10_000;

/** Resolves once a STUN Binding request to `port` gets an answer: coturn is listening. */
async function stunAnswers(port: number, gone: () => boolean): Promise<void> {
  const socket = dgram.createSocket('udp4');
  // A STUN Binding request: type 0x0001, length 0, the magic cookie, a transaction id.
  const request = Buffer.concat([Buffer.from([0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42]), randomBytes(12)]);
  const answered = once(socket, 'message');
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    while (Date.now() < deadline && !gone()) {
      socket.send(request, port, '127.0.0.1');
      const tick = new Promise((resolve) => setTimeout(resolve, 100));
      if ((await Promise.race([answered.then(() => true), tick.then(() => false)])) === true) return;
    }
    throw new Error(gone() ? 'coturn exited at start' : 'coturn did not answer STUN');
  } finally {
    socket.close();
  }
}

/** Starts `turnserver` (Debian's coturn) on a free loopback port with `secret`. */
export async function startCoturn(secret: string): Promise<Coturn> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ponte-coturn-'));
  const child: ChildProcess = spawn(
    'turnserver',
    [
      '-n',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=ponte',
      '--allow-loopback-peers',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--log-file=stdout',
      '--simple-log',
      `--pidfile=${join(dir, 'turnserver.pid')}`,
    ],
    { stdio: 'ignore' },
  );
  let exited = false;
  child.once('exit', () => (exited = true));
  await stunAnswers(port, () => exited);
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
