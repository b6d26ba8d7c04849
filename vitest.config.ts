import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit and integration tests run from source: workspace packages resolve to their `src`.
export default defineConfig({
  resolve: {
    alias: {
      '@ponte/protocol': fileURLToPath(new URL('./packages/protocol/src/index.ts', import.meta.url)),
      '@ponte/client': fileURLToPath(new URL('./packages/client/src/index.ts', import.meta.url)),
      '@ponte/server': fileURLToPath(new URL('./packages/server/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
  },
});
