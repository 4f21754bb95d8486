import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/database.js';
import { isMigrated, runMigrations, shippedMigrationCount } from './migrate.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

describe('runMigrations', () => {
  it('migrates an empty database once, even when two replicas start together', async () => {
    const replicas = [
      new pg.Pool({ connectionString: database.url }),
      new pg.Pool({ connectionString: database.url }),
    ];
    try {
      expect(await isMigrated(replicas[0] as pg.Pool, 1).catch(() => false)).toBe(false);
      await Promise.all(replicas.map((pool) => runMigrations(pool)));
      const pool = replicas[0] as pg.Pool;
      expect(await isMigrated(pool, shippedMigrationCount())).toBe(true);
      const applied = await pool.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(applied.rows[0].n).toBe(shippedMigrationCount());
      const tables = await pool.query(
        `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining([
          'users',
          'login_pins',
          'sessions',
          'event_outbox',
          'mail_outbox',
          'rate_limit_buckets',
        ]),
      );

      await runMigrations(pool);
      const again = await pool.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(again.rows[0].n).toBe(shippedMigrationCount());
    } finally {
      await Promise.all(replicas.map((pool) => pool.end()));
    }
  });
});
