import { defineConfig } from 'drizzle-kit';

// `npm run db:generate -w @catalyst/api -- --name <change>` writes the next SQL migration; no database needed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/**/*.schema.ts',
  out: './drizzle',
});
