import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.js';

export type Db = NodePgDatabase<typeof schema>;
/** A transaction handle; repository methods that must share one take it as their first argument. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the pool-backed client or a transaction: what a repository method runs its SQL on. */
export type Executor = Db | Tx;

export const DATABASE = Symbol('DATABASE');

export interface Database {
  db: Db;
  pool: pg.Pool;
}

export function connectDatabase(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'catalyst-api' });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return { pool, db: drizzle(pool, { schema }) };
}
