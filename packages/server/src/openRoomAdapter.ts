/**
 * The room adapter `main.ts` runs the server on: the embedded in-memory rooms, or with
 * `REDIS_URL` those of the `@ponte/redis` plug-in. The plug-in depends on this package, so
 * this one names it only in a dynamic import that the compiler does not follow, loaded only
 * when `REDIS_URL` is set; the server core holds no Redis code.
 * @packageDocumentation
 */
import type { RoomsConfig } from './config/config.js';
import type { RoomAdapter } from './rooms/RoomAdapter.js';
import { MemoryRoomAdapter } from './rooms/memory/MemoryRoomAdapter.js';

/** The package that puts the rooms on Redis. */
export const REDIS_PLUGIN = '@ponte/redis';

/** What this server uses of {@link REDIS_PLUGIN}. */
export interface RedisRoomsModule {
  /**
   * Connects to Redis and returns the room seams over it; rejects, within a few seconds, with
   * an Error saying why when Redis cannot be reached.
   */
  connectRedisRooms(options: { url: string; nodeId: string; reconnectGraceMs: number; replayLimit?: number }): Promise<RoomAdapter>;
}

/** Loads a module by its specifier, as `import()` does (tests pass their own). */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

/** The room backend could not be opened; the message is one line, with no password in it. */
export class RoomBackendError extends Error {
  override readonly name = 'RoomBackendError';
}

// A specifier in a variable: the compiler neither resolves nor type-checks the plug-in.
export const importModule: ModuleLoader = (specifier) => import(specifier);

function isRedisRoomsModule(value: unknown): value is RedisRoomsModule {
  return typeof value === 'object' && value !== null && typeof (value as Partial<RedisRoomsModule>).connectRedisRooms === 'function';
}

/** `url` with its password, if any, replaced by `***` (for logs and messages). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}

/** The message of `error` on one line, with `secret` (the raw URL) replaced by `shown`. */
export function reasonOf(error: unknown, secret: string, shown: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replaceAll(secret, shown).replace(/\s*\n\s*/g, ' ');
}

/**
 * Opens the rooms `rooms` describes: a {@link MemoryRoomAdapter} named `rooms.nodeId`, or with
 * `rooms.redisUrl` the adapter of {@link REDIS_PLUGIN}'s `connectRedisRooms`. Rejects with a
 * {@link RoomBackendError} when the plug-in cannot be loaded or Redis cannot be reached.
 */
export async function openRoomAdapter(rooms: RoomsConfig, reconnectGraceMs: number, load: ModuleLoader = importModule): Promise<RoomAdapter> {
  const { redisUrl, nodeId } = rooms;
  if (redisUrl === undefined) return new MemoryRoomAdapter({ nodeId });
  const shown = redactUrl(redisUrl);
  let plugin: unknown;
  try {
    plugin = await load(REDIS_PLUGIN);
  } catch (error) {
    throw new RoomBackendError(
      `REDIS_URL is set, but ${REDIS_PLUGIN} could not be loaded (install it beside @ponte/server): ${reasonOf(error, redisUrl, shown)}`,
    );
  }
  if (!isRedisRoomsModule(plugin)) throw new RoomBackendError(`REDIS_URL is set, but ${REDIS_PLUGIN} has no connectRedisRooms function`);
  try {
    return await plugin.connectRedisRooms({ url: redisUrl, nodeId, reconnectGraceMs });
  } catch (error) {
    throw new RoomBackendError(`cannot reach Redis at ${shown}: ${reasonOf(error, redisUrl, shown)}`);
  }
}
