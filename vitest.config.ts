import { defineConfig } from 'vitest/config';

// One run over every workspace and the repository-level tests of charts/ and infra/; each project keeps its own
// environment and setup.
export default defineConfig({
  test: {
    projects: ['libs/contracts', 'apps/api', 'apps/web', 'charts', 'infra'],
  },
});
