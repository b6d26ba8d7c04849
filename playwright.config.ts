import { defineConfig } from '@playwright/test';

// Each participant is its own Chromium process and video is CPU-heavy on two cores, so
// end-to-end files run one at a time; a test waits for states, never for guessed sleeps.
export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  // A whole scenario (up to four video browsers on two cores) may take this long on a busy
  // machine; each wait inside it is bounded by the expect timeout below.
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: 'list',
  use: { trace: 'off' },
});
