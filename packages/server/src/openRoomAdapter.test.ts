import { describe, expect, it } from 'vitest';
import { MemoryRoomAdapter } from './rooms/memory/MemoryRoomAdapter.js';
import { openRoomAdapter, redactUrl, REDIS_PLUGIN, RoomBackendError, type ModuleLoader, type RedisRoomsModule } from './openRoomAdapter.js';

const URL_WITH_PASSWORD = 'redis://:s3cret-pw@redis.internal:6379/2';

function refusingLoader(): ModuleLoader {
  return () => Promise.reject(new Error('no module loader expected'));
}

/** A loader that gives a plug-in whose connectRedisRooms does `connect`, and records its calls. */
function plugin(connect: RedisRoomsModule['connectRedisRooms']): { load: ModuleLoader; loaded: string[]; calls: unknown[] } {
  const loaded: string[] = [];
  const calls: unknown[] = [];
  const module: RedisRoomsModule = {
    connectRedisRooms(options) {
      calls.push(options);
      return connect(options);
    },
  };
  return { load: (specifier) => (loaded.push(specifier), Promise.resolve(module)), loaded, calls };
}

describe('openRoomAdapter', () => {
  it('runs the rooms in memory, named by nodeId, without loading anything, when no Redis URL is set', async () => {
    const adapter = await openRoomAdapter({ nodeId: 'web-1' }, 15_000, refusingLoader());
    expect(adapter).toBeInstanceOf(MemoryRoomAdapter);
    expect(adapter.status()).toEqual({ kind: 'memory', node: 'web-1', connected: true });
    await adapter.close();
  });

  it('loads @ponte/redis and returns the adapter of its connectRedisRooms', async () => {
    const shared = new MemoryRoomAdapter({ nodeId: 'web-2' });
    const { load, loaded, calls } = plugin(() => Promise.resolve(shared));
    expect(await openRoomAdapter({ redisUrl: URL_WITH_PASSWORD, nodeId: 'web-2' }, 9_000, load)).toBe(shared);
    expect(loaded).toEqual([REDIS_PLUGIN]);
    expect(calls).toEqual([{ url: URL_WITH_PASSWORD, nodeId: 'web-2', reconnectGraceMs: 9_000 }]);
  });

  it('says Redis cannot be reached, on one line and without the password, when connectRedisRooms rejects', async () => {
    const { load } = plugin(() => Promise.reject(new Error(`connect ECONNREFUSED\n  while dialing ${URL_WITH_PASSWORD}`)));
    const failure = openRoomAdapter({ redisUrl: URL_WITH_PASSWORD, nodeId: 'n' }, 0, load);
    await expect(failure).rejects.toBeInstanceOf(RoomBackendError);
    await expect(failure).rejects.toThrow(
      'cannot reach Redis at redis://:***@redis.internal:6379/2: connect ECONNREFUSED while dialing redis://:***@redis.internal:6379/2',
    );
  });

  it('says @ponte/redis could not be loaded, or lacks connectRedisRooms', async () => {
    const missing: ModuleLoader = () => Promise.reject(new Error("Cannot find package '@ponte/redis'"));
    await expect(openRoomAdapter({ redisUrl: 'redis://localhost', nodeId: 'n' }, 0, missing)).rejects.toThrow(
      "REDIS_URL is set, but @ponte/redis could not be loaded (install it beside @ponte/server): Cannot find package '@ponte/redis'",
    );
    const empty: ModuleLoader = () => Promise.resolve({});
    await expect(openRoomAdapter({ redisUrl: 'redis://localhost', nodeId: 'n' }, 0, empty)).rejects.toThrow(
      'REDIS_URL is set, but @ponte/redis has no connectRedisRooms function',
    );
  });
});

describe('redactUrl', () => {
  it('hides a password and leaves the rest', () => {
    expect(redactUrl('rediss://app:pw@redis.internal:6380/0')).toBe('rediss://app:***@redis.internal:6380/0');
    expect(redactUrl('redis://redis.internal:6379')).toBe('redis://redis.internal:6379');
    expect(redactUrl('not a url')).toBe('the configured URL');
  });
});
