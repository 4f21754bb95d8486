import { pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Handover tokens already spent on this Sovereign: the primary key makes a second use fail. A row may go once
 * its token's expiry has passed (a token past expiry is refused anyway).
 */
export const handoverTokensUsed = pgTable('handover_tokens_used', {
  jti: uuid('jti').primaryKey(),
  usedAt: timestamp('used_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
