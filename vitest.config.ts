import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit and integration tests run from source: workspace packages resolve to their `src`.
export default defineConfig({
  resolve: {
    alias: {
      '@ponte/protocol': fileURLToPath(new URL('./packages/protocol/src/index.ts', import.meta.url)),
      '@ponte/client': fileURLToPath(new URL('./packages/client/src/index.ts', import.meta.url)),
      '@ponte/server': fileURLToPath(new URL('./packages/server/src/index.ts', import.meta.url)),
      '@ponte/redis': fileURLToPath(new URL('./packages/redis/src/index.ts', import.meta.url)),
      '@ponte/janus': fileURLToPath(new URL('./packages/janus/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    environment: 'node',
    // One real redis-server for the run (the Redis room seams' contract suite and the scale-out
    // tests) and one real janus (the SFU bridge's tests).
    globalSetup: ['packages/server/test/redis/globalSetup.ts', 'packages/janus/test/globalSetup.ts'],
    testTimeout: 15_000,
  },
});
