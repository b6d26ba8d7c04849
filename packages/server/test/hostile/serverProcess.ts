import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** The checkout this file belongs to. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** How long a started server may take to accept connections, in ms. */
const START_TIMEOUT_MS = 20_000;
/** How much of the server's stderr is kept for the report (the tail: a crash's stack is there). */
const STDERR_KEPT = 8_192;

/** How a server process is started: the node arguments (script first) and its environment. */
export interface ServerCommand {
  /** Shown in reports, e.g. `Ponte (source)`. */
  label: string;
  /** Arguments of `node`, e.g. `['--import', 'tsx', 'packages/server/src/main.ts']`. */
  args: readonly string[];
  cwd: string;
  /** Added to the inherited environment; `PORT` is added by {@link ServerProcess.start}. */
  env: Readonly<Record<string, string>>;
}

/** How a server process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Ponte's server from this checkout's source, through `tsx`. The workspace import
 * `@ponte/protocol` resolves to the protocol's source too (the `paths` of
 * `tsconfig.source.json`), so nothing has to be built first.
 */
export function ponteFromSource(env: Record<string, string>): ServerCommand {
  return {
    label: 'Ponte (source)',
    args: ['--import', 'tsx', 'packages/server/src/main.ts'],
    cwd: REPO_ROOT,
    env: { TSX_TSCONFIG_PATH: fileURLToPath(new URL('./tsconfig.source.json', import.meta.url)), ...ponteEnv(), ...env },
  };
}

/** Ponte's built server (`packages/server/dist/main.js`) of the checkout at `root`. */
export function ponteFromDist(root: string, env: Record<string, string> = {}): ServerCommand {
  return { label: 'Ponte', args: [`${root.replace(/\/?$/, '/')}packages/server/dist/main.js`], cwd: root, env: { ...ponteEnv(), ...env } };
}

/** PeerJS's own server (the `peer` package) as the benches run it. */
export function peerjsServer(): ServerCommand {
  return { label: 'PeerJS server (peer)', args: [`${REPO_ROOT}bench/lib/peerServer.mjs`], cwd: REPO_ROOT, env: {} };
}

/** What every Ponte process gets: loopback only, quiet logs, no static files. */
function ponteEnv(): Record<string, string> {
  return { HOST: '127.0.0.1', LOG_LEVEL: 'error', PONTE_WEB_ROOT: '/nonexistent-ponte-web-root' };
}

/** A TCP port that is free on loopback right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resident memory of process `pid` in bytes (VmRSS of /proc/<pid>/status), or undefined once it is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * A signaling server running as its own child process on a free loopback port, so that its
 * RSS is its own and a crash is seen as an exit rather than taking the caller down.
 */
export class ServerProcess {
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<ProcessExit>;
  #exit: ProcessExit | undefined;
  #exitedAt: number | undefined;
  #stderr = '';

  private constructor(
    readonly command: ServerCommand,
    readonly port: number,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        this.#exitedAt = performance.now();
        resolve(this.#exit);
      });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-STDERR_KEPT);
    });
  }

  /** Starts `command` and resolves once it accepts TCP connections; rejects if it exits first. */
  static async start(command: ServerCommand): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [...command.args], {
      cwd: command.cwd,
      env: { ...process.env, ...command.env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const server = new ServerProcess(command, port, child);
    // A server must not outlive the test or bench that started it, however that ends.
    const kill = (): void => void child.kill('SIGKILL');
    process.once('exit', kill);
    void server.exited.then(() => process.off('exit', kill));
    const deadline = performance.now() + START_TIMEOUT_MS;
    // Ready means accepting connections; the same test works for every server under test.
    while (!(await accepts(port))) {
      if (server.exit !== undefined) throw new Error(`${command.label} exited (${describeExit(server.exit)}) before listening: ${server.stderr}`);
      if (performance.now() > deadline) {
        await server.stop();
        throw new Error(`${command.label} did not listen within ${START_TIMEOUT_MS} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return server;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** How the process ended, or undefined while it runs. */
  get exit(): ProcessExit | undefined {
    return this.#exit;
  }

  /** When the process exited (performance.now()), or undefined while it runs. */
  get exitedAt(): number | undefined {
    return this.#exitedAt;
  }

  /** The last few KB the process wrote to stderr. */
  get stderr(): string {
    return this.#stderr;
  }

  /** Resident memory now, in bytes; undefined once the process is gone. */
  rss(): number | undefined {
    return this.#exit === undefined ? rssBytes(this.pid) : undefined;
  }

  /** Stops the process (SIGTERM, SIGKILL after 3 s) and resolves once it has exited. */
  async stop(): Promise<ProcessExit> {
    if (this.#exit !== undefined) return this.#exit;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    this.child.kill('SIGTERM');
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

/** `code 1`, `signal SIGABRT`. */
export function describeExit(exit: ProcessExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `code ${exit.code}`;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Samples a process's RSS every `intervalMs` from the moment it is made: the first sample is
 * the baseline. `onSample` sees each reading (e.g. to stop an attack past a ceiling).
 */
export class RssSampler {
  readonly baseline: number;
  #peak: number;
  #samples = 1;
  readonly #timer: NodeJS.Timeout;

  constructor(
    readonly pid: number,
    intervalMs = 100,
    onSample?: (rss: number) => void,
  ) {
    this.baseline = rssBytes(pid) ?? 0;
    this.#peak = this.baseline;
    this.#timer = setInterval(() => {
      const rss = rssBytes(pid);
      if (rss === undefined) return;
      this.#samples += 1;
      if (rss > this.#peak) this.#peak = rss;
      onSample?.(rss);
    }, intervalMs);
  }

  /** The highest reading so far. */
  get peak(): number {
    return this.#peak;
  }

  /** Peak minus baseline. */
  get growth(): number {
    return this.#peak - this.baseline;
  }

  get samples(): number {
    return this.#samples;
  }

  /** Takes one last reading and stops. */
  stop(): void {
    clearInterval(this.#timer);
    const rss = rssBytes(this.pid);
    if (rss !== undefined && rss > this.#peak) this.#peak = rss;
  }
}
