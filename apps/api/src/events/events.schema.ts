import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The transactional outbox: an event is a row written in the same transaction as the change that
 * caused it, then dispatched in-process and (when NATS is configured) published to JetStream.
 */
export const eventOutbox = pgTable(
  'event_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** In-process listeners that threw: the event waits (undispatched) until `dispatchAfter`, then is retried. */
    dispatchAttempts: integer('dispatch_attempts').notNull().default(0),
    dispatchAfter: timestamp('dispatch_after', { withTimezone: true }),
    lastDispatchError: text('last_dispatch_error'),
    publishAttempts: integer('publish_attempts').notNull().default(0),
    lastPublishError: text('last_publish_error'),
  },
  (t) => [
    index('event_outbox_undispatched_idx').on(t.seq).where(sql`dispatched_at is null`),
    index('event_outbox_unpublished_idx').on(t.seq).where(sql`published_at is null`),
  ],
);
