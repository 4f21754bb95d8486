import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.schema.js';
import { organizations } from '../tenants/tenants.schema.js';

/** Vouchers: the code is the key (stored upper-case); a revoked voucher is soft-deleted and never leaks. */
export const vouchers = pgTable('vouchers', {
  code: text('code').primaryKey(),
  creditBaisa: bigint('credit_baisa', { mode: 'number' }).notNull(),
  description: text('description').notNull().default(''),
  active: boolean('active').notNull().default(true),
  maxRedemptions: integer('max_redemptions').notNull().default(0),
  timesRedeemed: integer('times_redeemed').notNull().default(0),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});

/** One redemption per voucher and customer: the primary key is the guarantee. */
export const voucherRedemptions = pgTable(
  'voucher_redemptions',
  {
    code: text('code')
      .notNull()
      .references(() => vouchers.code),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    orderId: uuid('order_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.code, t.userId] })],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id').references(() => organizations.id, { onDelete: 'set null' }),
    planId: text('plan_id').notNull(),
    totalBaisa: bigint('total_baisa', { mode: 'number' }).notNull(),
    promoCode: text('promo_code'),
    idempotencyKey: text('idempotency_key'),
    /** The answer given, returned again for a retried request with the same key. */
    response: jsonb('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orders_idempotency_idx')
      .on(t.userId, t.idempotencyKey)
      .where(sql`idempotency_key is not null`),
  ],
);
