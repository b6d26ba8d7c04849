import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakePlatform, nthSocket } from '../../test/fakePlatform.js';
import type { PonteError } from '../errors/PonteError.js';
import { SignalClient } from './SignalClient.js';

const URL = 'ws://signal.test/ws';

/** The settled outcome of `promise`, or 'pending', without waiting. */
function watch<T>(promise: Promise<T>): () => T | PonteError | 'pending' {
  let outcome: T | PonteError | 'pending' = 'pending';
  promise.then(
    (value) => (outcome = value),
    (error: PonteError) => (outcome = error),
  );
  return () => outcome;
}

describe('SignalClient connect timeout', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fails a socket that does not open within connectTimeoutMs with CONNECTION_FAILED (reason timeout), and closes it', async () => {
    const fake = fakePlatform();
    const client = new SignalClient(URL, { platform: fake.platform, connectTimeoutMs: 2_000 });
    const outcome = watch(client.connect());
    await vi.advanceTimersByTimeAsync(1_999);
    expect(outcome()).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome()).toMatchObject({ code: 'CONNECTION_FAILED', reason: 'timeout' });
    expect(fake.sockets[0]?.closedWith).toBe(1000);
    expect(client.connected).toBe(false);
  });

  it('waits 10 s by default', async () => {
    const fake = fakePlatform();
    const outcome = watch(new SignalClient(URL, { platform: fake.platform }).connect());
    await vi.advanceTimersByTimeAsync(9_999);
    expect(outcome()).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome()).toMatchObject({ code: 'CONNECTION_FAILED', reason: 'timeout' });
  });

  it('does not fail a socket that opened in time', async () => {
    const fake = fakePlatform();
    const client = new SignalClient(URL, { platform: fake.platform, connectTimeoutMs: 2_000 });
    const outcome = watch(client.connect());
    (await nthSocket(fake)).open();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(outcome()).toBeUndefined();
    expect(client.connected).toBe(true);
    client.close();
  });

  it('gives up on a reconnect attempt that hangs and tries again', async () => {
    const fake = fakePlatform();
    const client = new SignalClient(URL, { platform: fake.platform, connectTimeoutMs: 2_000, reconnect: { initialDelayMs: 100, maxDelayMs: 100 } });
    const attempts: number[] = [];
    client.on('reconnecting', ({ attempt }) => attempts.push(attempt));
    const connecting = client.connect();
    (await nthSocket(fake)).open();
    await connecting;
    fake.sockets[0]?.drop(1006);
    await vi.advanceTimersByTimeAsync(100);
    expect(fake.sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fake.sockets[1]?.closedWith).toBe(1000);
    expect(attempts).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(100);
    expect(fake.sockets).toHaveLength(3);
    fake.sockets[2]?.open();
    expect(client.connected).toBe(true);
    client.close();
  });
});
