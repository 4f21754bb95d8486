import type { ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { DeploymentFeeds } from '../deployments/deployment-feeds.js';
import { DATABASE, type Database } from './database.js';
import { RetentionRepository } from './retention.repository.js';
import { RetentionSweeper } from './retention.sweeper.js';

let t: TestApp;
let pool: pg.Pool;

beforeAll(async () => {
  t = await startTestApp({
    env: {
      CATALYST_RETENTION_OUTBOX_DAYS: '7',
      CATALYST_RETENTION_AUDIT_DAYS: '365',
      CATALYST_RETENTION_MAIL_DAYS: '7',
      CATALYST_RETENTION_EVENTS_DAYS: '90',
    },
  });
  pool = t.app.get<Database>(DATABASE).pool;
});
afterAll(async () => t.close());

/** An outbox event; an undispatched one is parked behind a failing listener's backoff, out of the relay's reach. */
async function outboxEvent(label: string, occurredDaysAgo: number, dispatchedDaysAgo: number | null) {
  await pool.query(
    `insert into event_outbox (type, payload, occurred_at, dispatched_at, dispatch_after, dispatch_attempts)
     values ('catalyst.test.retention', jsonb_build_object('label', $1::text),
             now() - make_interval(days => $2), now() - make_interval(days => $3),
             case when $3::int is null then now() + interval '1 day' end,
             case when $3::int is null then 12 else 0 end)`,
    [label, occurredDaysAgo, dispatchedDaysAgo],
  );
}

/** A deployment with `events` stream rows written `daysAgo`; `live` ones hold another replica's lease. */
async function deployment(fqdn: string, status: string, daysAgo: number, events = 3): Promise<string> {
  const live = status === 'running';
  const { rows } = await pool.query<{ id: string }>(
    `insert into deployments (fqdn, status, request, install_set, hetzner_project_id, event_seq, updated_at,
                              lease_owner, lease_expires_at)
     values ($1, $2, '{}'::jsonb, '{}', '1', $3, now() - make_interval(days => $4), $5, $6)
     returning id`,
    [
      fqdn,
      status,
      events,
      daysAgo,
      live ? 'another-replica' : null,
      live ? new Date(Date.now() + 3_600_000) : null,
    ],
  );
  const id = rows[0]?.id as string;
  for (let seq = 1; seq <= events; seq++) {
    const payload =
      seq === events
        ? { type: 'deployment', status }
        : { type: 'log', phase: 'preflight', stream: 'stdout', line: `line ${seq}` };
    await pool.query(
      `insert into deployment_events (deployment_id, seq, type, payload, created_at)
       values ($1, $2, $3, $4, now() - make_interval(days => $5))`,
      [id, seq, payload.type, payload, daysAgo],
    );
  }
  return id;
}

async function labels(sql: string): Promise<string[]> {
  return (await pool.query<{ label: string }>(sql)).rows.map((row) => row.label).sort();
}

async function seqsOf(id: string): Promise<number[]> {
  const { rows } = await pool.query<{ seq: string }>(
    'select seq from deployment_events where deployment_id = $1 order by seq',
    [id],
  );
  return rows.map((row) => Number(row.seq));
}

describe('retention sweep', () => {
  it('deletes what is past its retention and keeps undispatched, recent and live-run rows', async () => {
    await outboxEvent('old-dispatched', 30, 30);
    await outboxEvent('old-undispatched', 30, null);
    await outboxEvent('recent-dispatched', 2, 2);
    await pool.query(
      `insert into audit_log (action, target, created_at) values
         ('old', 'x', now() - interval '400 days'), ('recent', 'x', now() - interval '10 days')`,
    );
    await pool.query(
      `insert into mail_outbox (recipient, subject, sealed_body, created_at) values
         ('a@example.test', 'old', 'sealed', now() - interval '30 days'),
         ('a@example.test', 'recent', 'sealed', now() - interval '1 day')`,
    );
    const stopped = await deployment('stopped.retention.test', 'failed', 200);
    const live = await deployment('live.retention.test', 'running', 200);
    const recentlyStopped = await deployment('recent.retention.test', 'ready', 5);

    const result = await t.app.get(RetentionSweeper).sweep();

    expect(result).toEqual({ outbox: 1, audit: 1, mail: 1, events: 2 });
    expect(
      await labels(
        `select payload->>'label' as label from event_outbox where type = 'catalyst.test.retention'`,
      ),
    ).toEqual(['old-undispatched', 'recent-dispatched']);
    expect(await labels(`select action as label from audit_log`)).toEqual(['recent']);
    expect(await labels(`select subject as label from mail_outbox`)).toEqual(['recent']);
    // The stopped run keeps only its outcome; the live run and the recently stopped one keep everything.
    expect(await seqsOf(stopped)).toEqual([3]);
    expect(await seqsOf(live)).toEqual([1, 2, 3]);
    expect(await seqsOf(recentlyStopped)).toEqual([1, 2, 3]);
  });

  it('gives a late reader of a swept run its outcome, and its stream ends', async () => {
    const id = await deployment('late-reader.retention.test', 'cancelled', 120, 5);
    await t.app.get(RetentionSweeper).sweep();
    expect(await seqsOf(id)).toEqual([5]);

    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const ended = new Promise<void>((resolve) => out.on('finish', resolve));
    void t.app.get(DeploymentFeeds).follow(id, 0, out as unknown as ServerResponse);
    await ended;
    expect(text).toContain('id: 5\nevent: deployment\n');
  });

  it('keeps an event NATS has not taken yet when NATS is in use', async () => {
    await pool.query(
      `insert into event_outbox (type, payload, occurred_at, dispatched_at, published_at) values
         ('catalyst.test.nats', '{"label":"unpublished"}', now() - interval '30 days', now() - interval '30 days', null),
         ('catalyst.test.nats', '{"label":"published"}', now() - interval '30 days', now() - interval '30 days',
          now() - interval '30 days')`,
    );
    expect(await t.app.get(RetentionRepository).deleteRelayedEvents(7, true, 100)).toBe(1);
    expect(
      await labels(`select payload->>'label' as label from event_outbox where type = 'catalyst.test.nats'`),
    ).toEqual(['unpublished']);
    await pool.query(`delete from event_outbox where type = 'catalyst.test.nats'`);
  });

  it('skips its turn while another replica is sweeping', async () => {
    await outboxEvent('swept-by-the-other', 30, 30);
    const other = new pg.Client({ connectionString: t.databaseUrl });
    await other.connect();
    try {
      await other.query(`select pg_advisory_lock(hashtext('catalyst:retention'))`);
      expect(await t.app.get(RetentionSweeper).sweep()).toBeUndefined();
      expect(
        await labels(
          `select payload->>'label' as label from event_outbox where type = 'catalyst.test.retention'`,
        ),
      ).toContain('swept-by-the-other');
    } finally {
      await other.end();
    }
    expect(await t.app.get(RetentionSweeper).sweep()).toMatchObject({ outbox: 1 });
  });
});
