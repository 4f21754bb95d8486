import type { Logger } from 'pino';
import type { Runtime } from './app.module.js';
import type { Config } from './config/config.js';
import { deriveKeys } from './crypto/keys.js';
import { resolveSecretKey } from './crypto/secret-key.js';
import { connectDatabase } from './database/database.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres.js';
import { runMigrations } from './database/migrate.js';

export interface PreparedRuntime extends Runtime {
  /** Closes the pool and stops the embedded database, in that order. */
  close(): Promise<void>;
}

/** Start-up before Nest: secret key → database (external or embedded) → migrations. */
export async function prepareRuntime(config: Config, logger: Logger): Promise<PreparedRuntime> {
  const keys = deriveKeys(resolveSecretKey(config.secretKey, config.dataDir, logger));
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    logger.info({ dataDir: config.dataDir }, 'DATABASE_URL is unset: starting the embedded PostgreSQL');
    embedded = await startEmbeddedPostgres(config.dataDir, logger);
  }
  const database = connectDatabase(config.databaseUrl ?? (embedded as EmbeddedDatabase).url);
  try {
    await runMigrations(database.pool);
  } catch (error) {
    await database.pool.end();
    await embedded?.stop();
    throw error;
  }
  logger.info('database migrated');
  return {
    config,
    keys,
    database,
    logger,
    close: async () => {
      await database.pool.end();
      await embedded?.stop();
    },
  };
}
