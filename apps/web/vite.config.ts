import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/** Where the dev server forwards api calls: the api serves the built SPA on the same origin in production. */
const apiUrl = process.env.CATALYST_API_URL ?? 'http://localhost:8080';

/** Path prefixes that belong to the api (see apps/api/src/web/spa.ts). */
const apiPrefixes = ['/api', '/auth', '/billing', '/healthz', '/readyz'];

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(apiPrefixes.map((prefix) => [prefix, { target: apiUrl }])),
  },
  preview: { port: 4173 },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    name: 'web',
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
