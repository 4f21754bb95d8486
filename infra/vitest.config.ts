import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The contract tests of infra/hetzner (infra/test): its variables against what the api writes, its cloud-init
// against the Flux tree of clusters/_template.
export default defineConfig({
  resolve: {
    // Against the contracts' source, as the api's tests, so a contract change needs no rebuild to be tested.
    alias: {
      '@catalyst/contracts': fileURLToPath(new URL('../libs/contracts/src/index.ts', import.meta.url)),
    },
  },
  test: { name: 'infra', include: ['test/**/*.test.ts'] },
});
