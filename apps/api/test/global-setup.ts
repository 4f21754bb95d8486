import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the test cluster's `catalyst` database; tests create databases of their own beside it. */
    postgresUrl: string;
  }
}

/** One real PostgreSQL (embedded-postgres) for the whole run; every test file gets its own database in it. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-test-pg-'));
  const postgres = await startEmbeddedPostgres(dir, pino({ level: 'silent' }));
  project.provide('postgresUrl', postgres.url);
  return async () => {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
