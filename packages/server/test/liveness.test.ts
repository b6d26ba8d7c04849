import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
});

describe('ping/pong liveness', () => {
  it('terminates a peer that stops answering pings and tells its room "timeout"', async () => {
    h = await startHarness({ pingTimeoutMs: 300 });
    const alive = await h.joined('room1', 'Ana');
    // The server cannot declare a socket dead before a full pingTimeoutMs after it opened.
    const started = Date.now();
    const dead = await h.connect({ autoPong: false });
    const joined = await dead.join('room1', 'Dead');
    expect(await alive.client.waitFor((f) => f.type === 'peer-left')).toEqual({
      type: 'peer-left',
      peer: joined.self,
      reason: 'timeout',
    });
    // Terminated, not closed with a handshake: the client sees an abnormal closure.
    expect((await dead.closed).code).toBe(1006);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    // The answering peer has been pinged several times and is still in the room.
    const health = await h.server.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toMatchObject({ status: 'ok', rooms: 1, peers: 1 });
    expect(alive.client.ws.readyState).toBe(alive.client.ws.OPEN);
  });
});
