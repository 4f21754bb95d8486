import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/database.js';
import { eventually } from '../../test/helpers/eventually.js';
import { PgListener } from './pg-listener.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;
let admin: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await pool.end();
  await database.drop();
});

/** Backends of this database that are LISTENing on `channel` (what a leak would pile up). */
async function listeningBackends(channel: string): Promise<number[]> {
  const result = await admin.query<{ pid: number }>(
    `select pid from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and query ilike $1`,
    [`listen ${channel}%`],
  );
  return result.rows.map((row) => row.pid);
}

describe('PgListener', () => {
  it('keeps one connection however often its backend is terminated, and still hears NOTIFY', async () => {
    const CHANNEL = 'catalyst_listener_reconnects';
    const heard: string[] = [];
    const listener = new PgListener(
      pool,
      CHANNEL,
      (payload) => heard.push(payload),
      pino({ level: 'silent' }),
    );
    await listener.start();
    try {
      for (let round = 0; round < 4; round++) {
        let pids: number[] = [];
        await eventually(`the listener is connected (round ${round})`, async () => {
          pids = await listeningBackends(CHANNEL);
          return pids.length > 0;
        });
        expect(pids).toHaveLength(1);
        const [pid] = pids;
        await admin.query('select pg_terminate_backend($1)', [pid]);
        await eventually(
          `backend ${pid} is gone`,
          async () => !(await listeningBackends(CHANNEL)).includes(pid as number),
        );
      }
      await eventually('the listener reconnects after the last termination', async () => {
        return (await listeningBackends(CHANNEL)).length > 0;
      });
      await eventually('a NOTIFY reaches the reconnected listener', async () => {
        await admin.query('select pg_notify($1, $2)', [CHANNEL, 'after-reconnects']);
        return heard.includes('after-reconnects');
      });
      // Every terminated client is gone and no spare was left behind: one LISTEN connection in all.
      expect(await listeningBackends(CHANNEL)).toHaveLength(1);
    } finally {
      await listener.close();
    }
    await eventually(
      'close() ends the connection',
      async () => (await listeningBackends(CHANNEL)).length === 0,
    );
  });

  it('leaves no connection behind when closed while it is still connecting', async () => {
    const CHANNEL = 'catalyst_listener_closed_early';
    const listener = new PgListener(pool, CHANNEL, () => undefined, pino({ level: 'silent' }));
    const starting = listener.start();
    await listener.close();
    await starting;
    expect(await listeningBackends(CHANNEL)).toEqual([]);
  });
});
