import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

/** Where Debian's `janus` package puts its plugins and transports. */
const LIB_DIR = '/usr/lib/x86_64-linux-gnu/janus';

/** A real `janus` (Debian's) on a loopback port, started for tests. */
export interface JanusServer {
  /** `ws://127.0.0.1:<port>` (WebSocket subprotocol `janus-protocol`). */
  readonly url: string;
  readonly port: number;
  /** The VideoRoom plugin's `admin_key` (needed to create rooms). */
  readonly adminKey: string;
  /** Stops it (SIGKILL: as abrupt as a crash); idempotent. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the same configuration (after {@link stop}). */
  start(): Promise<void>;
  /** Freezes it (SIGSTOP): its sockets stay open but nothing is answered. */
  freeze(): void;
  /** Lets a frozen Janus run again (SIGCONT). */
  thaw(): void;
  /** Stops it and removes its configuration folder. */
  dispose(): Promise<void>;
}

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The `.so` names in one of Janus's module folders, but `keep`. */
async function othersThan(folder: string, keep: string): Promise<string> {
  const names = await readdir(join(LIB_DIR, folder)).catch(() => [] as string[]);
  return [...new Set(names.filter((name) => name.endsWith('.so') && name !== keep))].join(',');
}

/**
 * Writes the smallest configuration that runs the VideoRoom plugin over the WebSocket
 * transport on loopback: every other plugin, transport, event handler and logger disabled,
 * ICE on `lo` only, a small RTP port range, string ids and an admin key.
 */
async function writeConfig(dir: string, port: number, adminKey: string): Promise<void> {
  // A range of 300 ports somewhere in 20000-59999, so parallel Janus instances rarely overlap.
  const first = 20_000 + Math.floor(Math.random() * 133) * 300;
  const janus = `general: {
  configs_folder = "${dir}"
  plugins_folder = "${LIB_DIR}/plugins"
  transports_folder = "${LIB_DIR}/transports"
  events_folder = "${LIB_DIR}/events"
  loggers_folder = "${LIB_DIR}/loggers"
  debug_level = 3
  session_timeout = 60
  server_name = "ponte-test"
}
media: {
  rtp_port_range = "${first}-${first + 299}"
}
nat: {
  ice_enforce_list = "lo"
  ignore_mdns = true
}
plugins: {
  disable = "${await othersThan('plugins', 'libjanus_videoroom.so')}"
}
transports: {
  disable = "${await othersThan('transports', 'libjanus_websockets.so')}"
}
events: {
  broadcast = false
  disable = "${await othersThan('events', '')}"
}
loggers: {
  disable = "${await othersThan('loggers', '')}"
}
`;
  const websockets = `general: {
  json = "compact"
  ws = true
  ws_port = ${port}
  ws_ip = "127.0.0.1"
  wss = false
}
admin: {
  admin_ws = false
  admin_wss = false
}
`;
  const videoroom = `general: {
  admin_key = "${adminKey}"
  string_ids = true
  events = false
}
`;
  await writeFile(join(dir, 'janus.jcfg'), janus);
  await writeFile(join(dir, 'janus.transport.websockets.jcfg'), websockets);
  await writeFile(join(dir, 'janus.plugin.videoroom.jcfg'), videoroom);
}

/** Resolves once Janus answers an `info` request on its WebSocket; rejects after `timeoutMs`. */
async function waitForInfo(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`janus exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    const answered = await new Promise<boolean>((resolve) => {
      const socket = new WebSocket(url, 'janus-protocol');
      const done = (ok: boolean): void => {
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        resolve(ok);
      };
      socket.once('open', () => socket.send(JSON.stringify({ janus: 'info', transaction: 'ready' })));
      socket.once('message', () => done(true));
      socket.once('error', () => done(false));
      socket.once('close', () => done(false));
    });
    if (answered) return;
    if (Date.now() > deadline) throw new Error(`janus did not answer on ${url} within ${timeoutMs} ms:\n${output()}`);
    // Janus is still loading its plugins: try again on the next connection attempt.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function launch(dir: string, url: string): Promise<ChildProcess> {
  const child = spawn('janus', ['-F', dir, '-o', '-L', join(dir, 'janus.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.once('error', (error) => {
    output += `\n${error.message}`;
  });
  try {
    await waitForInfo(url, child, () => output, 15_000);
  } catch (error) {
    await kill(child);
    throw error;
  }
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Starts `janus` on a free loopback port (or `port`) with a fresh configuration folder. */
export async function startJanus(options: { port?: number; adminKey?: string } = {}): Promise<JanusServer> {
  const port = options.port ?? (await freePort());
  const adminKey = options.adminKey ?? 'ponte-test-admin-key';
  const dir = await mkdtemp(join(tmpdir(), 'ponte-janus-'));
  await writeConfig(dir, port, adminKey);
  const url = `ws://127.0.0.1:${port}`;
  let child: ChildProcess | undefined = await launch(dir, url);
  return {
    url,
    port,
    adminKey,
    async stop() {
      if (child) await kill(child);
      child = undefined;
    },
    async start() {
      if (child) return;
      child = await launch(dir, url);
    },
    freeze() {
      child?.kill('SIGSTOP');
    },
    thaw() {
      child?.kill('SIGCONT');
    },
    async dispose() {
      if (child) await kill(child);
      child = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
