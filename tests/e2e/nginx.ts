import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './serverProcess.js';

/** Debian's nginx (`scripts/ensure-system-deps.sh` installs it). */
const NGINX = process.env.PONTE_NGINX ?? '/usr/sbin/nginx';
/** The load-balancer example that docs/scaling.md shows: the tests run this very file. */
export const SCALE_OUT_EXAMPLE = fileURLToPath(new URL('../../docs/examples/nginx-scale-out.conf', import.meta.url));
/** How long nginx may take to accept connections, in ms. */
const START_TIMEOUT_MS = 10_000;
/** How long nginx may take to exit on SIGTERM before it is killed, in ms. */
const STOP_TIMEOUT_MS = 5_000;

/** A running nginx, started by {@link startNginx}. */
export interface RunningNginx {
  /** `http://127.0.0.1:<port>`: where browsers open pages and WebSockets. */
  url: string;
  /** What nginx wrote to its error log so far (level `warn` and up: failed upstreams among them). */
  errorLog(): Promise<string>;
  /** Stops it (SIGTERM, then SIGKILL) and removes its scratch folder; idempotent. */
  stop(): Promise<void>;
}

/** Where {@link adaptConfig} points the example. */
export interface ConfigTarget {
  /** The port nginx listens on, on loopback. */
  listenPort: number;
  /** The loopback ports of the upstream's servers, in order: one for each `server` line. */
  upstreamPorts: readonly number[];
  /** A scratch folder for the access log and nginx's temporary files. */
  dir: string;
}

/**
 * `config` (the example's text) with the test's addresses: the `server host:port` lines of its
 * upstream take `upstreamPorts` in order (keeping their parameters), its `listen` takes the
 * loopback port, and the access log and temporary files go to `dir` (the distribution's
 * defaults are folders a test should not write to). Every other line is kept as written, so
 * the test exercises the documented configuration. Throws when the example no longer has the
 * shape this relies on.
 */
export function adaptConfig(config: string, { listenPort, upstreamPorts, dir }: ConfigTarget): string {
  let upstreams = 0;
  let adapted = config.replace(/^(\s*server\s+)[\w.-]+:\d+(\s[^;\n]*)?;/gm, (_line, head: string, parameters: string | undefined) => {
    const port = upstreamPorts[upstreams++];
    return port === undefined ? '' : `${head}127.0.0.1:${port}${parameters ?? ''};`;
  });
  if (upstreams !== upstreamPorts.length) {
    throw new Error(`the nginx example has ${upstreams} upstream servers; the test runs ${upstreamPorts.length}`);
  }
  let listens = 0;
  adapted = adapted.replace(/^(\s*listen\s+)[^;\n]+;/gm, (_line, head: string) => {
    listens += 1;
    return `${head}127.0.0.1:${listenPort};`;
  });
  if (listens !== 1) throw new Error(`the nginx example has ${listens} listen lines; the test expects one`);
  const scratch = [
    `access_log ${dir}/access.log;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${kind}_temp_path ${dir}/${kind};`),
  ];
  let https = 0;
  adapted = adapted.replace(/^(\s*)http\s*\{/m, (opening, indent: string) => {
    https += 1;
    return `${opening}\n${scratch.map((line) => `${indent}  ${line}`).join('\n')}`;
  });
  if (https !== 1) throw new Error('the nginx example has no http block');
  return adapted;
}

/** Whether something accepts TCP connections on loopback `port`. */
async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts nginx in the foreground on the load-balancer example ({@link SCALE_OUT_EXAMPLE}, or
 * `example`) in front of the loopback `upstreamPorts`, on a free loopback port; resolves once
 * it accepts connections.
 */
export async function startNginx(upstreamPorts: readonly number[], example = SCALE_OUT_EXAMPLE): Promise<RunningNginx> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ponte-nginx-'));
  // nginx's workers drop root's privileges: they must reach their temporary files in here.
  await chmod(dir, 0o755);
  await mkdir(path.join(dir, 'logs'));
  const listenPort = await freePort();
  const configFile = path.join(dir, 'nginx.conf');
  await writeFile(configFile, adaptConfig(await readFile(example, 'utf8'), { listenPort, upstreamPorts, dir }));

  let output = '';
  const child: ChildProcess = spawn(
    NGINX,
    ['-p', `${dir}/`, '-c', configFile, '-g', `daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await accepting(listenPort))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = await readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
      await stop();
      throw new Error(`nginx did not start (exit code ${child.exitCode}):\n${output}${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `http://127.0.0.1:${listenPort}`, errorLog: () => readFile(path.join(dir, 'error.log'), 'utf8'), stop };
}
