import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where the signaling server listens during development (`npm run dev` at the root). */
const SERVER_ORIGIN = 'http://localhost:3000';

// The app builds from the SDK's source, so a change in packages/client needs no separate build.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      '@ponte/client': fileURLToPath(new URL('../../packages/client/src/index.ts', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/ws': { target: SERVER_ORIGIN, ws: true },
      '/healthz': { target: SERVER_ORIGIN },
    },
  },
});
