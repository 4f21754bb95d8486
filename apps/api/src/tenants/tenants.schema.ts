import type { OrgRole } from '@catalyst/contracts';
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.schema.js';

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  fqdn: text('fqdn').notNull().unique(),
  poolDomain: text('pool_domain').notNull(),
  /** The plan of its latest order: sets each environment's ResourceQuota. */
  planId: text('plan_id').notNull().default('starter'),
  ownerId: uuid('owner_id')
    .notNull()
    .references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const orgMembers = pgTable(
  'org_members',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** contracts: orgRoles. One `owner` per org (its `ownerId`); owners invite `org-admin`s and `member`s. */
    role: text('role').$type<OrgRole>().notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    check('org_members_role', sql`${t.role} in ('owner', 'org-admin', 'member')`),
  ],
);

export const environments = pgTable(
  'environments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set when its deletion was asked for: its apps and namespace are being removed, then the row goes. */
    deletingAt: timestamp('deleting_at', { withTimezone: true }),
  },
  (t) => [unique('environments_org_name').on(t.orgId, t.name)],
);

/** One app in one environment; `status` follows the app's HelmRelease (contracts: appStatuses). */
export const appInstalls = pgTable(
  'app_installs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    environmentId: uuid('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    appId: text('app_id').notNull(),
    /** The environment's namespace on the cluster (`<org>-<env>`). */
    namespace: text('namespace').notNull(),
    url: text('url').notNull(),
    status: text('status').notNull(),
    /** Flux's message when failed, the reason when suspended. */
    message: text('message'),
    monthlyPriceBaisa: bigint('monthly_price_baisa', { mode: 'number' }).notNull(),
    /** Paid up to here; null until it first runs (an app is charged when it starts running). */
    paidUntil: timestamp('paid_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    uninstalledAt: timestamp('uninstalled_at', { withTimezone: true }),
  },
  // An app is in an environment once, until it is removed.
  (t) => [
    uniqueIndex('app_installs_one_per_environment')
      .on(t.environmentId, t.appId)
      .where(sql`${t.status} <> 'removed'`),
  ],
);

/** One row per app and paid month: the month's charge is drawn once, however often it is attempted. */
export const appCharges = pgTable(
  'app_charges',
  {
    installId: uuid('install_id')
      .notNull()
      .references(() => appInstalls.id, { onDelete: 'cascade' }),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    amountBaisa: bigint('amount_baisa', { mode: 'number' }).notNull(),
    chargedAt: timestamp('charged_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.installId, t.periodStart] })],
);
