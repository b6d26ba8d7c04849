import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { WEB_ROOT } from './fixtures.js';

const MAIN = fileURLToPath(new URL('../../packages/server/dist/main.js', import.meta.url));
/** How long a started server may take to answer /healthz, in ms. */
const START_TIMEOUT_MS = 15_000;

/** The Ponte server as its own process (`npm start`'s entry point), to kill and restart. */
export interface ServerProcess {
  url: string;
  /** Starts it again on the same port, with the same environment. */
  start(): Promise<void>;
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** The `/healthz` counts. */
  health(): Promise<{ rooms: number; peers: number }>;
}

/** A TCP port that is free on loopback right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `node packages/server/dist/main.js` on a free loopback port with `env` added. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const health = async (): Promise<{ rooms: number; peers: number }> => {
    const response = await fetch(`${url}/healthz`);
    return (await response.json()) as { rooms: number; peers: number };
  };
  const handle: ServerProcess = {
    url,
    async start() {
      child = spawn(process.execPath, [MAIN], {
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PONTE_WEB_ROOT: WEB_ROOT, LOG_LEVEL: 'warn', ...env },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      const deadline = Date.now() + START_TIMEOUT_MS;
      // Poll the health route: the process is ready when it answers.
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
        try {
          await health();
          return;
        } catch {
          if (Date.now() > deadline) throw new Error('the server did not start');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    },
    async stop(signal = 'SIGTERM') {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return running?.exitCode ?? null;
      running.kill(signal);
      const [code] = (await once(running, 'exit')) as [number | null];
      return code;
    },
    health,
  };
  await handle.start();
  return handle;
}
