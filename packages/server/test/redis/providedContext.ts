// What the Vitest global setup (globalSetup.ts) provides to tests; a test that calls
// `inject('redisUrl')` imports this file's type so the name is known.
declare module 'vitest' {
  export interface ProvidedContext {
    /** The URL of the one `redis-server` the test run shares (tests keep apart by key prefix). */
    redisUrl: string;
  }
}

export {};
