// ESLint for every TypeScript and JavaScript file in the repository: typescript-eslint's
// recommended type-checked rules; Prettier owns formatting, so no stylistic rules here.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: [
          'packages/protocol/tsconfig.test.json',
          'packages/server/tsconfig.test.json',
          'packages/redis/tsconfig.test.json',
          'packages/janus/tsconfig.test.json',
          'packages/client/tsconfig.test.json',
          'apps/web/tsconfig.json',
          'tests/e2e/tsconfig.json',
          'tsconfig.tools.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    rules: {
      // Async without await is how in-memory stores and test fakes satisfy a Promise-returning
      // seam: a throw inside them still becomes a rejection, as it would in Redis's.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.test.ts'],
    rules: {
      // Vitest types its asymmetric matchers (expect.any, expect.stringContaining...) as any.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: { ...globals.node } } },
  {
    // Pages, and the functions the benchmarks hand to page.evaluate, run in the browser.
    files: ['bench/lib/callPage.js', 'bench/transfer/page.js', 'bench/lib/browsers.mjs', 'bench/transfer/run.mjs', 'bench/sfu/run.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
