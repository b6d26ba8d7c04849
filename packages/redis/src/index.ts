/**
 * Ponte's room seams over Redis: several server processes share rooms. The server loads it
 * when `REDIS_URL` is set; `connectRedisRooms` gives the `RoomAdapter` to pass to `createServer`.
 * @packageDocumentation
 */
export { connectRedisRooms, RedisRoomAdapter, type RedisRoomsOptions } from './RedisRoomAdapter.js';
export { RedisLink, type RedisLinkOptions } from './RedisLink.js';
export { RedisRoomStore } from './RedisRoomStore.js';
export { RedisPeerBus } from './RedisPeerBus.js';
export { RedisSessionStore, type RedisSessionStoreOptions } from './RedisSessionStore.js';
export { RedisPasswordFailures } from './RedisPasswordFailures.js';
export { RedisKeys } from './keys.js';
