import type { DomainEvent } from '@catalyst/contracts';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvents } from '../../test/helpers/events.js';
import { eventually } from '../../test/helpers/eventually.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { DATABASE, type Database } from '../database/database.js';
import { EventsService } from './events.service.js';
import { OutboxRelay } from './outbox.relay.js';

let first: TestApp;
let second: TestApp;

function collect(t: TestApp, type: string): DomainEvent[] {
  const received: DomainEvent[] = [];
  t.app.get(EventEmitter2).on(type, (event: DomainEvent) => {
    received.push(event);
  });
  return received;
}

function record(t: TestApp, count: number, code = 'WELCOME') {
  return recordEvents(t, 'catalyst.voucher.issued', count, (i) => ({
    code: `${code}-${i}`,
    creditBaisa: 1000,
    issuedBy: 'u',
  }));
}

beforeAll(async () => {
  first = await startTestApp();
  // A second replica on the same database: both relay, and no event may be delivered twice.
  second = await startTestApp({ databaseUrl: first.databaseUrl });
});
afterAll(async () => {
  await second.close();
  await first.close();
});

describe('in-process events through the outbox', () => {
  it('delivers committed events once each, in order', async () => {
    const onFirst = collect(first, 'catalyst.voucher.issued');
    const onSecond = collect(second, 'catalyst.voucher.issued');
    const ids = await record(first, 3, 'ORDER');
    await first.app.get(OutboxRelay).flush();
    await second.app.get(OutboxRelay).flush();
    const received = [...onFirst, ...onSecond].filter((e) => ids.includes(e.id));
    expect(received.map((e) => e.id).sort()).toEqual([...ids].sort());
    const mine = onFirst.length >= onSecond.length ? onFirst : onSecond;
    const positions = mine.filter((e) => ids.includes(e.id)).map((e) => ids.indexOf(e.id));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(received[0]).toMatchObject({ type: 'catalyst.voucher.issued', payload: { creditBaisa: 1000 } });
  });

  it('delivers nothing from a rolled-back transaction', async () => {
    const received = collect(first, 'catalyst.voucher.issued');
    const events = first.app.get(EventsService);
    const { db } = first.app.get<Database>(DATABASE);
    await expect(
      db.transaction(async (tx) => {
        await events.record(tx, 'catalyst.voucher.issued', { code: 'GHOST', creditBaisa: 1, issuedBy: 'u' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await first.app.get(OutboxRelay).flush();
    expect(received.find((e) => (e.payload as { code: string }).code === 'GHOST')).toBeUndefined();
  });

  it('refuses a payload that breaks its contract', async () => {
    const events = first.app.get(EventsService);
    const { db } = first.app.get<Database>(DATABASE);
    await expect(
      // @ts-expect-error: deliberately wrong payload
      db.transaction((tx) => events.record(tx, 'catalyst.voucher.issued', { code: 1 })),
    ).rejects.toThrow();
  });

  it('splits a burst between two relaying replicas without delivering any event twice', async () => {
    const onFirst = collect(first, 'catalyst.voucher.issued');
    const onSecond = collect(second, 'catalyst.voucher.issued');
    const batches = await Promise.all(
      Array.from({ length: 10 }, (_, i) => record(i % 2 ? second : first, 25, `B${i}`)),
    );
    const ids = batches.flat();
    await Promise.all([first.app.get(OutboxRelay).flush(), second.app.get(OutboxRelay).flush()]);
    const delivered = [...onFirst, ...onSecond].map((e) => e.id).filter((id) => ids.includes(id));
    expect(delivered).toHaveLength(250);
    expect(new Set(delivered).size).toBe(250);
  });

  it('gives an event whose listener threw to that listener again, and loses nothing', async () => {
    const attempts: string[] = [];
    let failNext = true;
    // The same flaky listener on both replicas: whichever relays the event, its listener throws once.
    for (const t of [first, second]) {
      t.app.get(EventEmitter2).on('catalyst.voucher.issued', (event: DomainEvent) => {
        if ((event.payload as { code: string }).code !== 'FLAKY-0') return;
        attempts.push(event.id);
        if (failNext) {
          failNext = false;
          throw new Error('listener failed once');
        }
      });
    }
    const flushBoth = () =>
      Promise.all([first.app.get(OutboxRelay).flush(), second.app.get(OutboxRelay).flush()]);
    const [id] = await record(first, 1, 'FLAKY');
    await flushBoth();
    expect(attempts).toEqual([id]);
    const { pool } = first.app.get<Database>(DATABASE);
    const waiting = await pool.query(
      'select dispatched_at, dispatch_attempts, last_dispatch_error from event_outbox where id = $1',
      [id],
    );
    expect(waiting.rows[0]).toMatchObject({
      dispatched_at: null,
      dispatch_attempts: 1,
      last_dispatch_error: 'listener failed once',
    });

    await eventually('the event is delivered again after its backoff', async () => {
      await flushBoth();
      return attempts.length >= 2;
    });
    const done = await pool.query('select dispatched_at from event_outbox where id = $1', [id]);
    expect(done.rows[0].dispatched_at).not.toBeNull();
    await flushBoth();
    expect(attempts).toEqual([id, id]);
  });
});
