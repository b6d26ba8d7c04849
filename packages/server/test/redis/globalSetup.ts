import type { TestProject } from 'vitest/node';
import { startRedis, type RedisServer } from './redisServer.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The URL of the one `redis-server` the test run shares (tests keep apart by key prefix). */
    redisUrl: string;
  }
}

let redis: RedisServer | undefined;

/** Starts one `redis-server` for the whole Vitest run; tests read its URL with `inject('redisUrl')`. */
export async function setup(project: TestProject): Promise<void> {
  redis = await startRedis();
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
}
