import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The chart tests (charts/test): charts/*, the bootstrap kit of clusters/_template, rendered with helm offline.
export default defineConfig({
  resolve: {
    // Against the contracts' source, as the api's tests, so a contract change needs no rebuild to be tested.
    alias: {
      '@catalyst/contracts': fileURLToPath(new URL('../libs/contracts/src/index.ts', import.meta.url)),
    },
  },
  test: {
    name: 'charts',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // The first run unzips helm from the installed layer package.
    hookTimeout: 180_000,
  },
});
