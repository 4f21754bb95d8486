import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { DATABASE, type Database, type Executor, type Tx } from '../database/database.js';
import { eventOutbox } from './events.schema.js';

export type OutboxRow = typeof eventOutbox.$inferSelect;

/** The channel a committed outbox insert notifies, so relays on every replica wake at once. */
export const OUTBOX_CHANNEL = 'catalyst_outbox';

/** A failed in-process dispatch is retried after 1 s, 2 s, 4 s, … up to this (seconds). */
const MAX_DISPATCH_BACKOFF_SECONDS = 300;

@Injectable()
export class OutboxRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Inserts an event inside the caller's transaction; the NOTIFY fires only if that transaction commits. */
  async insert(ex: Executor, type: string, payload: unknown): Promise<OutboxRow> {
    const [row] = await ex.insert(eventOutbox).values({ type, payload }).returning();
    if (!row) throw new Error('outbox insert returned nothing');
    await ex.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
    return row;
  }

  /**
   * Claims the oldest events still waiting for a relay target (`dispatchedAt`: in-process listeners,
   * `publishedAt`: NATS). Rows another replica holds are skipped, not waited for; an event whose
   * listener failed waits out its backoff.
   */
  claimWaiting(tx: Tx, target: 'dispatchedAt' | 'publishedAt', limit: number): Promise<OutboxRow[]> {
    const due =
      target === 'dispatchedAt'
        ? or(isNull(eventOutbox.dispatchAfter), lte(eventOutbox.dispatchAfter, sql`now()`))
        : undefined;
    return tx
      .select()
      .from(eventOutbox)
      .where(and(isNull(eventOutbox[target]), due))
      .orderBy(asc(eventOutbox.seq))
      .limit(limit)
      .for('update', { skipLocked: true });
  }

  async markDispatched(tx: Tx, ids: string[]): Promise<void> {
    if (ids.length)
      await tx.update(eventOutbox).set({ dispatchedAt: sql`now()` }).where(inArray(eventOutbox.id, ids));
  }

  async markPublished(tx: Tx, ids: string[]): Promise<void> {
    if (ids.length)
      await tx.update(eventOutbox).set({ publishedAt: sql`now()` }).where(inArray(eventOutbox.id, ids));
  }

  /** Leaves the event undispatched and puts its next attempt off, doubling the wait each time. */
  async recordDispatchFailure(tx: Tx, id: string, message: string): Promise<void> {
    await tx
      .update(eventOutbox)
      .set({
        dispatchAttempts: sql`${eventOutbox.dispatchAttempts} + 1`,
        dispatchAfter: sql`now() + make_interval(secs => least(${MAX_DISPATCH_BACKOFF_SECONDS}, power(2, ${eventOutbox.dispatchAttempts})))`,
        lastDispatchError: message.slice(0, 500),
      })
      .where(eq(eventOutbox.id, id));
  }

  async recordPublishFailure(tx: Tx, id: string, message: string): Promise<void> {
    await tx
      .update(eventOutbox)
      .set({
        publishAttempts: sql`${eventOutbox.publishAttempts} + 1`,
        lastPublishError: message.slice(0, 500),
      })
      .where(eq(eventOutbox.id, id));
  }

  /** Seconds the oldest event has waited for `column` (0 when none waits): the relay lag. */
  async oldestWaitingSeconds(column: 'dispatched_at' | 'published_at'): Promise<number> {
    const result = await this.database.pool.query<{ lag: number | null }>(
      `select extract(epoch from now() - min(occurred_at))::float8 as lag from event_outbox where ${column} is null`,
    );
    return result.rows[0]?.lag ?? 0;
  }
}
