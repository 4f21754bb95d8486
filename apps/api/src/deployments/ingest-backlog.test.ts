import type { ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../test/helpers/eventually.js';
import { DeploymentFeed, StreamReader } from './deployment-stream.js';
import type { DeploymentsRepository, EventRow } from './deployments.repository.js';
import type { DeploymentEventsHub } from './events.hub.js';
import { IngestBacklog } from './ingest-backlog.js';

/** Settles `promise` against a turn of the timers: true once it has resolved. */
async function settledWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  await sleep(ms);
  return settled;
}

describe('IngestBacklog', () => {
  it('lets a fan-out through at once when no writer is behind', async () => {
    const backlog = new IngestBacklog({ quietMs: 5, maxWaitMs: 60_000 });
    expect(backlog.inBurst).toBe(false);
    expect(await settledWithin(backlog.passed(), 0)).toBe(true);
  });

  it('holds a fan-out while a writer is behind, and until storage has kept up for quietMs after', async () => {
    const backlog = new IngestBacklog({ quietMs: 5, maxWaitMs: 60_000 });
    backlog.fellBehind();
    backlog.fellBehind();
    const passed = backlog.passed();
    expect(await settledWithin(passed, 30)).toBe(false);
    backlog.caughtUp();
    // The other writer is still behind.
    expect(await settledWithin(passed, 30)).toBe(false);
    backlog.caughtUp();
    expect(backlog.inBurst).toBe(true);
    await passed;
    expect(backlog.inBurst).toBe(false);
  });

  it('lets a fan-out through after maxWaitMs of a burst that does not end: readers of a busy run still get it', async () => {
    const backlog = new IngestBacklog({ quietMs: 5, maxWaitMs: 40 });
    backlog.fellBehind();
    await backlog.passed();
    expect(backlog.inBurst).toBe(true);
  });
});

/** A feed over an in-memory event table, with a count of its reads. */
function feedOver(backlog: IngestBacklog) {
  const rows: EventRow[] = [];
  let notify: (seq: number) => void = () => undefined;
  const reads = { count: 0 };
  const repo = {
    get: async () => ({ eventSeq: rows.length, status: 'running' }),
    eventsAfter: async (_id: string, after: number, limit: number) => {
      reads.count++;
      return rows.filter((row) => row.seq > after).slice(0, limit);
    },
  } as unknown as DeploymentsRepository;
  const hub = {
    subscribe: (_id: string, onEvent: (seq: number) => void) => {
      notify = onEvent;
      return () => undefined;
    },
  } as unknown as DeploymentEventsHub;
  const feed = new DeploymentFeed('d1', repo, hub, backlog, 60_000, () => undefined);
  /** Stores one event and announces it, as a group commit does. */
  const store = (line: string) => {
    const seq = rows.length + 1;
    rows.push({
      deploymentId: 'd1',
      seq,
      type: 'log',
      payload: { type: 'log', line },
      createdAt: new Date(),
    });
    notify(seq);
  };
  return { feed, store, reads };
}

/** A reader whose frames are collected as they are written. */
function collectingReader() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const reader = new StreamReader(out as unknown as ServerResponse, 0);
  return { reader, ids: () => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])) };
}

describe('a feed while this process stores a burst', () => {
  it('reads nothing until the burst is stored, then reads it once and gives the reader every event in order', async () => {
    const backlog = new IngestBacklog({ quietMs: 5, maxWaitMs: 60_000 });
    const { feed, store, reads } = feedOver(backlog);
    await feed.start();
    const { reader, ids } = collectingReader();
    await feed.join(reader);

    backlog.fellBehind();
    // Twenty group commits, each announced, a few milliseconds apart.
    for (let i = 1; i <= 20; i++) {
      store(`line ${i}`);
      await sleep(2);
    }
    expect(reads.count).toBe(0);
    expect(ids()).toEqual([]);

    backlog.caughtUp();
    await eventually('the burst to reach the reader', async () => ids().length === 20);
    expect(ids()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // The burst in one read (and one more that finds the announced events already read); 20 without the wait.
    expect(reads.count).toBeLessThanOrEqual(2);
    feed.close();
  });

  it('reads as each event is stored when nothing is behind', async () => {
    const backlog = new IngestBacklog({ quietMs: 5, maxWaitMs: 60_000 });
    const { feed, store } = feedOver(backlog);
    await feed.start();
    const { reader, ids } = collectingReader();
    await feed.join(reader);
    for (let i = 1; i <= 3; i++) {
      store(`line ${i}`);
      await eventually(`event ${i}`, async () => ids().length === i);
    }
    expect(ids()).toEqual([1, 2, 3]);
    feed.close();
  });
});
