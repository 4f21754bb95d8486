import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../test/helpers/eventually.js';
import { provisionRequest } from '../../test/helpers/provision-request.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { SseClient } from '../../test/helpers/sse-client.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { DATABASE, type Database } from '../database/database.js';
import { DeploymentFeeds } from './deployment-feeds.js';
import { withoutSecrets } from './stored-request.js';
import { StreamSlots } from './stream-slots.js';

let smtp: SmtpPeer;
let t: TestApp;
let base: string;
let pool: pg.Pool;
const cookies: Record<string, string> = {};
const ADMINS = ['first@catalyst.test', 'second@catalyst.test', 'third@catalyst.test'];

beforeAll(async () => {
  smtp = new SmtpPeer();
  t = await startTestApp({
    env: {
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: ADMINS.join(','),
      CATALYST_SSE_MAX_STREAMS: '3',
      CATALYST_SSE_MAX_STREAMS_PER_USER: '2',
    },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  pool = t.app.get<Database>(DATABASE).pool;
  for (const email of ADMINS) cookies[email] = await signIn(t.app, smtp, email);
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

/**
 * A deployment with `events` stream rows. A `running` one is held by another replica's lease, so its
 * stream stays open and nothing here runs it.
 */
async function deployment(
  fqdn: string,
  status: 'running' | 'ready',
  events: number,
  lineBytes = 20,
): Promise<string> {
  const live = status === 'running';
  const { rows } = await pool.query<{ id: string }>(
    `insert into deployments (fqdn, status, request, install_set, hetzner_project_id, event_seq,
                              lease_owner, lease_expires_at)
     values ($1, $2, $6, '{}', '1', $3, $4, $5) returning id`,
    [
      fqdn,
      status,
      events,
      live ? 'another-replica' : null,
      live ? new Date(Date.now() + 3_600_000) : null,
      withoutSecrets(provisionRequest()),
    ],
  );
  const id = rows[0]?.id as string;
  await pool.query(
    `insert into deployment_events (deployment_id, seq, type, payload)
     select $1, n, case when n = $2 and not $4 then 'deployment' else 'log' end,
            case when n = $2 and not $4 then jsonb_build_object('type', 'deployment', 'status', 'ready')
                 else jsonb_build_object('type', 'log', 'phase', 'tofu-apply', 'stream', 'stdout',
                                         'line', repeat('x', $3)) end
       from generate_series(1, $2) as n`,
    [id, events, lineBytes, live],
  );
  return id;
}

function open(id: string, email: string): Promise<SseClient> {
  return new SseClient(`${base}/api/v1/deployments/${id}/logs`, { cookie: cookies[email] as string }).open();
}

describe('run streams: caps and sign-out', () => {
  let live: string;
  const opened: SseClient[] = [];
  beforeAll(async () => {
    live = await deployment('live.streams.test', 'running', 2);
  });
  beforeEach(async () => {
    await eventually('every stream of the test before is gone', () => t.app.get(StreamSlots).open === 0);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((client) => client.close()));
  });

  async function refused(email: string) {
    const response = await fetch(`${base}/api/v1/deployments/${live}/logs`, {
      headers: { cookie: cookies[email] as string },
    });
    return { status: response.status, body: await response.json() };
  }

  it('refuses a stream past the per-user and the total cap with 429 too_many_streams, and frees a slot when a stream ends', async () => {
    const [first, second] = ADMINS as [string, string];
    opened.push(await open(live, first), await open(live, first));
    expect(opened.map((client) => client.status)).toEqual([200, 200]);
    expect(await refused(first)).toMatchObject({
      status: 429,
      body: { error: { code: 'too_many_streams', message: expect.any(String) } },
    });

    opened.push(await open(live, second));
    expect(opened[2]?.status).toBe(200);
    expect(await refused(second)).toMatchObject({
      status: 429,
      body: { error: { code: 'too_many_streams' } },
    });

    // The reader of one stream goes away: its slot comes back once the server sees the socket close.
    await opened.shift()?.close();
    await eventually('the slot is free again', () => t.app.get(StreamSlots).open === 2);
    opened.push(await open(live, first));
    expect(opened.at(-1)?.status).toBe(200);
  });

  it('ends an open stream as soon as its session signs out, and leaves other sessions streaming', async () => {
    const [first, , third] = ADMINS as [string, string, string];
    const bystander = await open(live, first);
    const leaving = await open(live, third);
    opened.push(bystander, leaving);
    await Promise.all([bystander, leaving].map((client) => client.waitFor((event) => event.id === 2)));

    const logout = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { cookie: cookies[third] as string },
    });
    expect(logout.statusCode).toBe(204);
    await leaving.waitForEnd(10_000);
    expect(t.app.get(StreamSlots).open).toBe(1);
    expect(bystander.ended).toBe(false);
  });
});

describe('a slow reader', () => {
  /** A socket stand-in whose buffer fills at once and that nobody reads until the test says so. */
  function slowSocket() {
    const out = new PassThrough({ highWaterMark: 16 });
    const written: number[] = [];
    let refusedAt: number | undefined;
    const write = out.write.bind(out);
    out.write = ((chunk: string) => {
      // One write may carry several events.
      const seqs = [...chunk.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
      written.push(...seqs);
      const ok = write(chunk);
      if (!ok && seqs.length && refusedAt === undefined) refusedAt = written.length;
      return ok;
    }) as typeof out.write;
    return { out, written, refusedAt: () => refusedAt };
  }

  function stream(id: string, out: PassThrough, onEnd: () => void = () => undefined) {
    void t.app.get(DeploymentFeeds).follow(id, 0, out as unknown as ServerResponse, {
      watchRevocation: () => () => undefined,
      stillAllowed: async () => true,
      onEnd,
    });
  }

  it('writes no more of the backfill while the socket is full, then sends every event in order once it drains', async () => {
    const id = await deployment('backfill.streams.test', 'ready', 1200, 200);
    const socket = slowSocket();
    stream(id, socket.out);
    await eventually('the socket buffer fills', () => socket.refusedAt() !== undefined);
    // Whatever a stream does without waiting for 'drain' it does before the next turn of the loop.
    await nextTurn();
    await nextTurn();
    expect(socket.written).toHaveLength(socket.refusedAt() as number);

    const ended = new Promise<void>((resolve) => socket.out.on('finish', resolve));
    socket.out.resume();
    await ended;
    expect(socket.written).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
  });

  it('stops, and frees its slot, when the reader goes away while the socket is full', async () => {
    const id = await deployment('gone.streams.test', 'ready', 1200, 200);
    const socket = slowSocket();
    let ended = 0;
    stream(id, socket.out, () => ended++);
    await eventually('the socket buffer fills', () => socket.refusedAt() !== undefined);
    socket.out.destroy();
    await eventually('the stream ends', () => ended === 1);
    expect(socket.written).toHaveLength(socket.refusedAt() as number);
  });
});
