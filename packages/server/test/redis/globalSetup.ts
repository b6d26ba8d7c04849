import type { TestProject } from 'vitest/node';
import type {} from './providedContext.js';
import { startRedis, type RedisServer } from './redisServer.js';

let redis: RedisServer | undefined;

/** Starts one `redis-server` for the whole Vitest run; tests read its URL with `inject('redisUrl')`. */
export async function setup(project: TestProject): Promise<void> {
  redis = await startRedis();
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
}
