import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  /** The effective set: `member`, the assigned roles and those CATALYST_ADMIN_EMAILS grants, as of the last change. */
  roles: text('roles').array().notNull().default(sql`'{member}'::text[]`),
  /** Roles an admin or a handover gave this user; they stay until an admin removes them. */
  assignedRoles: text('assigned_roles').array().notNull().default(sql`'{}'::text[]`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
});

/**
 * Pending sign-in codes. Several may be live for one e-mail, so a stranger asking for a code cannot
 * void the one the owner is typing; each works once. Only an HMAC of the PIN is kept.
 */
export const loginPins = pgTable(
  'login_pins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    pinHash: text('pin_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('login_pins_email_idx').on(t.email)],
);

/**
 * One row per e-mail that is signing in: its row lock serializes that e-mail's code checks (so
 * parallel guesses are counted exactly), and it carries the lockout after too many wrong codes.
 */
export const signInGuards = pgTable('sign_in_guards', {
  email: text('email').primaryKey(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});

/** Every wrong code entered for an e-mail, whichever of its codes it was aimed at: the lockout's window. */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sign_in_failures_email_idx').on(t.email, t.failedAt)],
);

/** A session row per issued token: the token is signed, the row makes logout (revocation) stick. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);
