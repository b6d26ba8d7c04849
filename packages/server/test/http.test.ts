import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/index.js';
import { startHarness, type Harness } from './harness.js';
import { TestClient } from './TestClient.js';

const INDEX = '<!doctype html><title>Ponte</title><div id="root"></div>';
let webRoot: string;
let h: Harness | undefined;

beforeAll(() => {
  webRoot = mkdtempSync(join(tmpdir(), 'ponte-web-'));
  writeFileSync(join(webRoot, 'index.html'), INDEX);
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log("ponte")');
});
afterAll(() => rmSync(webRoot, { recursive: true, force: true }));
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('HTTP', () => {
  it('reports health', async () => {
    h = await startHarness();
    const response = await fetch(`${h.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', node: 'local', store: { kind: 'memory', connected: true }, rooms: 0, peers: 0 });
  });

  it('serves the web app with a fallback to index.html for page routes', async () => {
    h = await startHarness({ webRoot });
    const root = await fetch(`${h.url}/`, { headers: html });
    expect(root.status).toBe(200);
    expect(await root.text()).toBe(INDEX);
    for (const path of ['/r/xyz', '/manual']) {
      const page = await fetch(`${h.url}${path}`, { headers: html });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toBe(INDEX);
    }
    const asset = await fetch(`${h.url}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe('console.log("ponte")');
  });

  it('answers an unknown asset, or a non-page request, with a plain 404', async () => {
    h = await startHarness({ webRoot });
    const asset = await fetch(`${h.url}/assets/missing.js`, { headers: html });
    expect(asset.status).toBe(404);
    expect(await asset.text()).not.toContain('<title>Ponte');
    const json = await fetch(`${h.url}/r/xyz`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
  });

  it('serves no files without a webRoot, or with one that does not exist', async () => {
    h = await startHarness();
    expect((await fetch(`${h.url}/r/xyz`, { headers: html })).status).toBe(404);
    const missing = createServer({ logger: false, webRoot: join(webRoot, 'nope') });
    const response = await missing.app.inject({ method: 'GET', url: '/r/xyz', headers: html });
    expect(response.statusCode).toBe(404);
    await missing.close();
  });

  it('refuses WebSocket upgrades on any path but /ws', async () => {
    h = await startHarness();
    await expect(TestClient.connect(h.url, { path: '/socket' })).rejects.toThrow(/404/);
    // A raw upgrade gets a 404 status line and a closed socket.
    const port = new URL(h.url).port;
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'GET /nope HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        );
      });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 404 /);
    // /ws itself still works.
    const client = await TestClient.connect(h.url);
    expect((await client.join('room1')).room).toBe('room1');
    await client.close();
  });

  it('closes open sockets with 1001 on close()', async () => {
    const server = createServer({ logger: false });
    const { url } = await server.listen(0);
    const client = await TestClient.connect(url);
    await client.join('room1');
    await server.close();
    expect((await client.closed).code).toBe(1001);
  });
});
