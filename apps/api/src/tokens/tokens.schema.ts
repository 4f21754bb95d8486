import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.schema.js';
import { organizations } from '../tenants/tenants.schema.js';

/**
 * Personal access tokens for agents (`Authorization: Bearer cat_pat_…` on /mcp). Only the SHA-256 of a token is
 * kept; the token itself is shown once, when it is created. A token scoped to an organisation goes with it (an
 * org's deletion must not widen a token to everything its owner may do).
 */
export const personalAccessTokens = pgTable(
  'personal_access_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Hex SHA-256 of the whole token text. */
    tokenHash: text('token_hash').notNull().unique(),
    orgId: uuid('org_id').references(() => organizations.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('personal_access_tokens_user_idx').on(t.userId, t.createdAt)],
);
