import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IceRestartPolicy } from './IceRestartPolicy.js';

function startPolicy(polite: boolean): { policy: IceRestartPolicy; restarts: () => number; setConnected: (connected: boolean) => void } {
  let restarts = 0;
  let connected = false;
  const policy = new IceRestartPolicy({
    polite,
    restart: () => {
      restarts += 1;
    },
    isConnected: () => connected,
  });
  return { policy, restarts: () => restarts, setConnected: (value) => (connected = value) };
}

describe('IceRestartPolicy', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('uses the default timings: 4000 ms of disconnected, then a retry every 5000 ms', async () => {
    const { policy, restarts } = startPolicy(false);
    policy.onConnectionState('disconnected');
    await vi.advanceTimersByTimeAsync(3_999);
    expect(restarts()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(restarts()).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(restarts()).toBe(2);
    policy.close();
  });

  it('restarts at once after failed on the impolite side, and not again once connected', async () => {
    const { policy, restarts, setConnected } = startPolicy(false);
    policy.onConnectionState('failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(restarts()).toBe(1);
    setConnected(true);
    policy.onConnectionState('connected');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(restarts()).toBe(1);
  });

  it('does nothing once closed, whatever was pending or comes later', async () => {
    const { policy, restarts } = startPolicy(false);
    policy.onConnectionState('disconnected');
    policy.close();
    policy.onConnectionState('failed');
    policy.restartNow();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(restarts()).toBe(0);
  });
});
