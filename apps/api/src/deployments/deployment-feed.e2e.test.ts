import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/helpers/eventually.js';
import { provisionRequest } from '../../test/helpers/provision-request.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { SseClient } from '../../test/helpers/sse-client.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { DATABASE, type Database } from '../database/database.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { withoutSecrets } from './stored-request.js';
import { StreamSlots } from './stream-slots.js';

const HOLDER = 'another-replica';
let smtp: SmtpPeer;
let t: TestApp;
let base: string;
let pool: pg.Pool;
let repo: DeploymentsRepository;
let cookie: string;

beforeAll(async () => {
  smtp = new SmtpPeer();
  t = await startTestApp({
    env: {
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: 'ops@catalyst.test',
      CATALYST_SSE_MAX_STREAMS: '1000',
      CATALYST_SSE_MAX_STREAMS_PER_USER: '1000',
      CATALYST_SSE_STALL_TIMEOUT: '1s',
    },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  pool = t.app.get<Database>(DATABASE).pool;
  repo = t.app.get(DeploymentsRepository);
  cookie = await signIn(t.app, smtp, 'ops@catalyst.test');
}, 120_000);
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

/** A running deployment with no events yet, held by another replica's lease (so nothing here runs it). */
async function runningDeployment(fqdn: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into deployments (fqdn, status, request, install_set, hetzner_project_id, lease_owner, lease_expires_at)
     values ($1, 'running', $2, '{}', '1', $3, now() + interval '1 hour') returning id`,
    [fqdn, withoutSecrets(provisionRequest()), HOLDER],
  );
  return rows[0]?.id as string;
}

/** Stores `count` log lines as the lease holder would, `perBatch` to a group commit. */
async function ingest(
  id: string,
  from: number,
  count: number,
  perBatch: number,
  lineBytes = 40,
): Promise<void> {
  for (let done = 0; done < count; done += perBatch) {
    const lines = Array.from({ length: Math.min(perBatch, count - done) }, (_, i) => ({
      type: 'log' as const,
      phase: 'tofu-apply' as const,
      stream: 'stdout' as const,
      line: `line ${from + done + i} ${'x'.repeat(lineBytes)}`,
    }));
    expect(await repo.appendHeldEvents(id, HOLDER, lines)).toBe(from + done + lines.length - 1);
  }
}

const ids = (client: SseClient) => client.events.map((event) => event.id);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('one feed per deployment, many readers', () => {
  it('gives each of hundreds of readers every event exactly once, in order, while lines are ingested, reading each batch once', async () => {
    const id = await runningDeployment('many.feed.test');
    await ingest(id, 1, 100, 50);
    let reads = 0;
    const eventsAfter = repo.eventsAfter.bind(repo);
    repo.eventsAfter = (...args) => {
      reads++;
      return eventsAfter(...args);
    };
    try {
      const readers = 200;
      const batches = 40;
      const url = `${base}/api/v1/deployments/${id}/logs`;
      // Half join before the burst (from the start: a backfill of 100), half while it is under way.
      const early = await Promise.all(
        Array.from({ length: readers / 2 }, () => new SseClient(url, { cookie }).open()),
      );
      const burst = ingest(id, 101, batches * 25, 25);
      const late = await Promise.all(
        Array.from({ length: readers / 2 }, (_, i) =>
          new SseClient(url, { cookie, 'last-event-id': String(i % 50) }).open(),
        ),
      );
      await burst;
      const total = 100 + batches * 25;
      const clients = [...early, ...late];
      await Promise.all(clients.map((client) => client.waitFor((event) => event.id === total, 60_000)));
      for (const [i, client] of early.entries())
        expect(ids(client), `early reader ${i}`).toEqual(oneTo(total));
      for (const [i, client] of late.entries()) {
        expect(ids(client), `late reader ${i}`).toEqual(oneTo(total).slice(i % 50));
      }
      // One read per batch (or fewer, when batches arrive together) for all readers, plus each late reader's
      // backfill: not one read per reader per batch (that would be 8,000 here).
      expect(reads).toBeLessThan(2 * (batches + readers));
      await Promise.all(clients.map((client) => client.close()));
    } finally {
      repo.eventsAfter = eventsAfter;
    }
  });

  it('drops a reader that stops reading, without holding up the others, and it resumes by Last-Event-ID with no gap', async () => {
    const id = await runningDeployment('stalled.feed.test');
    const url = `${base}/api/v1/deployments/${id}/logs`;
    await eventually('no stream of the test before is open', () => t.app.get(StreamSlots).open === 0);
    const healthy = await new SseClient(url, { cookie }).open();
    const stalled = await stalledReader(url);
    await eventually('both streams are open', () => t.app.get(StreamSlots).open === 2);

    // Far more than the socket buffers of a reader that reads nothing can hold (~16 MB).
    const total = 8_000;
    await ingest(id, 1, total, 500, 2_000);
    await healthy.waitFor((event) => event.id === total, 60_000);
    expect(ids(healthy)).toEqual(oneTo(total));
    // The stalled reader was cut off; what it did receive is a gapless prefix, and it resumes after it.
    await eventually('the stalled stream is dropped', () => t.app.get(StreamSlots).open === 1, 30_000);
    const received = await stalled.readAll();
    expect(received.length).toBeLessThan(total);
    expect(received).toEqual(oneTo(received.length));
    const resumed = await new SseClient(url, { cookie, 'last-event-id': String(received.length) }).open();
    await resumed.waitFor((event) => event.id === total, 60_000);
    expect([...received, ...ids(resumed)]).toEqual(oneTo(total));
    await Promise.all([healthy.close(), resumed.close()]);
  });
});

/** An SSE request whose response is never read until readAll(): the socket's buffers fill and stay full. */
async function stalledReader(url: string): Promise<{ readAll(): Promise<number[]> }> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    get(url, { headers: { cookie, accept: 'text/event-stream' } }, resolve).on('error', reject);
  });
  expect(response.statusCode).toBe(200);
  response.pause();
  return {
    readAll: () =>
      new Promise((resolve) => {
        let text = '';
        const done = () => {
          // Only complete frames count: the connection was cut, perhaps in the middle of one.
          const frames = text.split('\n\n').slice(0, -1);
          resolve(frames.flatMap((frame) => /^id: (\d+)$/m.exec(frame)?.[1] ?? []).map(Number));
        };
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        response.on('end', done);
        response.on('error', done);
        response.on('aborted', done);
        response.on('close', done);
        response.resume();
      }),
  };
}
