import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/database.js';
import { MIGRATIONS_FOLDER, runMigrations } from '../database/migrate.js';

/** The migration that gives organizations made before names were held their allocation. */
const BACKFILL = join(MIGRATIONS_FOLDER, '0006_tenant_org_allocations.sql');

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url });
  await runMigrations(pool);
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

async function backfill(): Promise<void> {
  for (const statement of readFileSync(BACKFILL, 'utf8').split('--> statement-breakpoint')) {
    await pool.query(statement);
  }
}

describe('the tenant-name backfill migration', () => {
  it('holds the name of every existing organization, frees a lapsed reservation of it, and leaves a live holder be', async () => {
    const owner = (await pool.query(`insert into users (email) values ('old@org.test') returning id`)).rows[0]
      .id;
    for (const slug of ['oldco', 'lapsed', 'contested']) {
      await pool.query(
        `insert into organizations (slug, name, fqdn, pool_domain, owner_id) values ($1, $1, $2, 'omani.homes', $3)`,
        [slug, `${slug}.omani.homes`, owner],
      );
    }
    await pool.query(
      `insert into domain_allocations (fqdn, mode, pool_domain, subdomain, state, expires_at) values
         ('lapsed.omani.homes', 'pool', 'omani.homes', 'lapsed', 'reserved', now() - interval '1 minute'),
         ('contested.omani.homes', 'pool', 'omani.homes', 'contested', 'reserved', now() + interval '1 day')`,
    );

    await backfill();
    await backfill(); // A re-run changes nothing.

    const { rows } = await pool.query(
      `select fqdn, mode, state, created_by from domain_allocations where pool_domain = 'omani.homes' order by fqdn`,
    );
    expect(rows).toEqual([
      { fqdn: 'contested.omani.homes', mode: 'pool', state: 'reserved', created_by: null },
      { fqdn: 'lapsed.omani.homes', mode: 'pool', state: 'active', created_by: owner },
      { fqdn: 'oldco.omani.homes', mode: 'pool', state: 'active', created_by: owner },
    ]);
  });
});
