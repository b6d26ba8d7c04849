import { describe, expect, it } from 'vitest';
import { RawClient } from '../RawClient.js';
import { useConformanceServer } from './echo.js';
import { expectNothingMore, upgradeStatusLine } from './wire.js';

/**
 * RFC 6455 §4.2.1 opening handshake: the request must be HTTP/1.1 or later, a GET of a valid
 * request target; anything else gets `400 Bad Request` and no WebSocket, and the server goes on
 * serving others.
 */
const server = useConformanceServer();

/** An upgrade request for `target` in HTTP version `version`, otherwise valid. */
function upgradeRequest(target: string, version: string): string {
  return RawClient.upgradeRequest(new URL(server.url).host, { path: target }).replace(/ HTTP\/1\.1\r\n/, ` HTTP/${version}\r\n`);
}

describe('the opening handshake', () => {
  it('a valid HTTP/1.1 upgrade of /ws: 101 (the control for the refusals below)', async () => {
    expect(await upgradeStatusLine(server.url, upgradeRequest('/ws', '1.1'))).toMatch(/^HTTP\/1\.1 101 /);
  });

  it('the same upgrade in HTTP/1.0: 400', async () => {
    expect(await upgradeStatusLine(server.url, upgradeRequest('/ws', '1.0'))).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('an upgrade whose request target is "//": 400, and the server still accepts others', async () => {
    expect(await upgradeStatusLine(server.url, upgradeRequest('//', '1.1'))).toMatch(/^HTTP\/1\.1 400 /);
    const client = await server.raw();
    await expectNothingMore(client);
  });
});
