import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.schema.js';

/**
 * One row per name Catalyst holds: a reservation (with an expiry) or an active allocation. The unique
 * FQDN is the guarantee that a name has exactly one holder, whatever the concurrency.
 */
export const domainAllocations = pgTable(
  'domain_allocations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fqdn: text('fqdn').notNull().unique(),
    mode: text('mode', { enum: ['pool', 'byo-manual', 'byo-api'] }).notNull(),
    poolDomain: text('pool_domain'),
    subdomain: text('subdomain'),
    state: text('state', { enum: ['reserved', 'active'] }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    loadBalancerIp: text('load_balancer_ip'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    committedAt: timestamp('committed_at', { withTimezone: true }),
  },
  (t) => [
    index('domain_allocations_pool_idx').on(t.poolDomain, t.state),
    index('domain_allocations_expiry_idx').on(t.expiresAt).where(sql`state = 'reserved'`),
    check('domain_allocations_mode_check', sql`${t.mode} in ('pool', 'byo-manual', 'byo-api')`),
    check('domain_allocations_state_check', sql`${t.state} in ('reserved', 'active')`),
    check('domain_allocations_expiry_check', sql`(${t.state} = 'reserved') = (${t.expiresAt} is not null)`),
  ],
);
