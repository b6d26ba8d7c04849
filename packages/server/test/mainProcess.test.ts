import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PROTOCOL_MINOR, PROTOCOL_VERSION } from '@ponte/protocol';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type {} from '../../janus/test/providedContext.js';
import type { HealthStatus } from '../src/http/httpRoutes.js';
import { RawClient } from './RawClient.js';
import { TestClient } from './TestClient.js';

const root = new URL('../../../', import.meta.url);
/** How long the process may take to start listening (tsx compiles the sources first). */
const START_MS = 20_000;

interface Running {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code (null when killed by a signal) and what the process wrote to stderr. */
  exited: Promise<{ code: number | null; stderr: string }>;
}

let children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children = [];
});

/** Runs `main.ts` with `env` added to a quiet environment of port 0 on 127.0.0.1. */
function runMain(env: Record<string, string>): { child: ChildProcess; exited: Running['exited'] } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', PONTE_SECRET: 'a-secret-for-this-test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  return { child, exited };
}

/** Starts `main.ts` and resolves once it logged where it listens. */
async function startMain(env: Record<string, string>): Promise<Running> {
  const { child, exited } = runMain(env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start listening')), START_MS);
    void exited.then(({ code, stderr }) => reject(new Error(`the server exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'ponte server listening' && entry.url !== undefined) {
        clearTimeout(timer);
        resolve(entry.url);
      }
    });
  });
  return { child, url, exited };
}

describe('main.ts', () => {
  it('drains on SIGTERM: its clients are closed with 1012, and it exits 0 once they are gone', async () => {
    const server = await startMain({ PONTE_NODE_ID: 'web-9', PONTE_DRAIN_TIMEOUT_MS: '60000' });
    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      node: 'web-9',
      store: { kind: 'memory', connected: true },
    } satisfies Partial<HealthStatus>);
    const client = await TestClient.connect(server.url);
    await client.join('room1', 'Ana');
    server.child.kill('SIGTERM');
    expect(await client.closed).toMatchObject({ code: 1012 });
    // Well within the 60 s drain timeout: the process goes as soon as its last client did.
    expect((await server.exited).code).toBe(0);
  });

  it('exits 0 after PONTE_DRAIN_TIMEOUT_MS when a client does not go', async () => {
    const server = await startMain({ PONTE_DRAIN_TIMEOUT_MS: '500' });
    const stubborn = await RawClient.connect(server.url);
    const started = performance.now();
    server.child.kill('SIGTERM');
    const { code } = await server.exited;
    const tookMs = performance.now() - started;
    expect(code).toBe(0);
    expect((await stubborn.closed).code).toBe(1012);
    expect(tookMs).toBeGreaterThanOrEqual(500);
    // The drain timeout, then close() with no socket left.
    expect(tookMs).toBeLessThan(10_000);
  });

  it('exits 1 with one line, and no password, when REDIS_URL cannot be used', async () => {
    const { exited } = runMain({ REDIS_URL: 'redis://:hunter2-password@127.0.0.1:1' });
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/^ponte-server: [^\n]*redis[^\n]*\n$/i);
    expect(stderr).not.toContain('hunter2');
  });

  it('carries large rooms through the Janus of PONTE_JANUS_URL: joined lists sfu, rooms take 50', async () => {
    const server = await startMain({ PONTE_JANUS_URL: inject('janusUrl'), PONTE_JANUS_ADMIN_KEY: inject('janusAdminKey'), PONTE_SFU_FROM: '3' });
    const client = await TestClient.connect(server.url);
    client.send({ type: 'join', version: PROTOCOL_VERSION, minor: PROTOCOL_MINOR, features: ['resume', 'sfu'], room: 'main-sfu', name: 'Ana' });
    expect(await client.next('joined')).toMatchObject({ features: ['resume', 'sfu'], topology: 'mesh', maxPeers: 50 });
    await client.close();
    server.child.kill('SIGINT');
    expect((await server.exited).code).toBe(0);
  });

  it('exits 1 with one line when PONTE_JANUS_URL cannot be reached', async () => {
    const { exited } = runMain({ PONTE_JANUS_URL: 'ws://127.0.0.1:1' });
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/^ponte-server: cannot reach Janus at ws:\/\/127\.0\.0\.1:1[^\n]*\n$/);
  });
});
