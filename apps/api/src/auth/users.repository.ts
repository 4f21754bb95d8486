import { Inject, Injectable } from '@nestjs/common';
import { and, arrayOverlaps, asc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { users } from './auth.schema.js';

export type UserRow = typeof users.$inferSelect;

@Injectable()
export class UsersRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  findById(id: string, ex: Executor = this.database.db): Promise<UserRow | undefined> {
    return ex
      .select()
      .from(users)
      .where(eq(users.id, id))
      .then((rows) => rows[0]);
  }

  /** E-mails of many users in one query (an id without a user is absent). */
  async emailsOf(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.database.db
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(inArray(users.id, ids));
    return new Map(rows.map((r) => [r.id, r.email]));
  }

  list(): Promise<UserRow[]> {
    return this.database.db.select().from(users).orderBy(asc(users.createdAt));
  }

  /**
   * Finds or creates the user for a signed-in e-mail and stamps the sign-in. Their roles are recomputed from what holds
   * now: `member`, their assigned roles (plus `assign`, e.g. a handover's) and `configured` (CATALYST_ADMIN_EMAILS's
   * grant today), so a role the configuration no longer grants is gone.
   */
  async upsertOnSignIn(
    ex: Executor,
    email: string,
    grants: { assign: readonly string[]; configured: readonly string[] },
  ): Promise<UserRow> {
    const assign = sql.param([...grants.assign]);
    const configured = sql.param([...grants.configured]);
    const [row] = await ex
      .insert(users)
      .values({
        email,
        roles: effectiveRoles(grants.assign, grants.configured),
        assignedRoles: sortedSet(grants.assign),
        lastSignInAt: sql`now()`,
      })
      .onConflictDoUpdate({
        target: users.email,
        set: {
          assignedRoles: sql`(select coalesce(array_agg(distinct r order by r), '{}') from unnest(${users.assignedRoles} || ${assign}::text[]) as r)`,
          roles: sql`(select array_agg(distinct r order by r) from unnest(array['member'] || ${users.assignedRoles} || ${assign}::text[] || ${configured}::text[]) as r)`,
          lastSignInAt: sql`now()`,
        },
      })
      .returning();
    if (!row) throw new Error('user upsert returned nothing');
    return row;
  }

  /** The user, its row locked until the transaction ends (its roles are about to change). */
  async lockForRoleChange(tx: Executor, id: string): Promise<UserRow | undefined> {
    const [row] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    return row;
  }

  /**
   * Serializes every change that takes an admin role away (and the invitations that add one), so two admins
   * removing each other at once cannot both pass the "someone must stay admin" check.
   */
  async lockAdminRoles(tx: Executor): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('catalyst:admin-roles'))`);
  }

  /** How many users other than `exceptId` hold one of `adminRoles`, assigned or by an e-mail in `configuredEmails`. */
  async countAdminsExcept(
    tx: Executor,
    exceptId: string,
    adminRoles: readonly string[],
    configuredEmails: readonly string[],
  ): Promise<number> {
    const [row] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(users)
      .where(
        and(
          ne(users.id, exceptId),
          or(
            arrayOverlaps(users.assignedRoles, [...adminRoles]),
            configuredEmails.length ? inArray(users.email, [...configuredEmails]) : sql`false`,
          ),
        ),
      );
    return row?.count ?? 0;
  }

  /** The users whose effective roles include one of `roles`, locked for update (a start-up check of them). */
  holdingAnyOf(tx: Executor, roles: readonly string[]): Promise<UserRow[]> {
    return tx
      .select()
      .from(users)
      .where(arrayOverlaps(users.roles, [...roles]))
      .orderBy(asc(users.id))
      .for('update');
  }

  /** Sets a user's assigned roles and, from them and `configured`, their effective roles. */
  async setAssignedRoles(
    tx: Executor,
    id: string,
    assigned: readonly string[],
    configured: readonly string[],
  ): Promise<UserRow> {
    const [row] = await tx
      .update(users)
      .set({ assignedRoles: sortedSet(assigned), roles: effectiveRoles(assigned, configured) })
      .where(eq(users.id, id))
      .returning();
    if (!row) throw new Error('user update returned nothing');
    return row;
  }

  /** The user of an invited e-mail, created (as a member who has never signed in) when new. */
  async findOrCreateByEmail(ex: Executor, email: string): Promise<UserRow> {
    const [row] = await ex
      .insert(users)
      .values({ email })
      .onConflictDoUpdate({ target: users.email, set: { email: sql`excluded.email` } })
      .returning();
    if (!row) throw new Error('user upsert returned nothing');
    return row;
  }
}

function sortedSet(roles: readonly string[]): string[] {
  return [...new Set(roles)].sort();
}

/** `member`, plus what is assigned, plus what the configuration grants: the roles a session acts with. */
export function effectiveRoles(assigned: readonly string[], configured: readonly string[]): string[] {
  return sortedSet(['member', ...assigned, ...configured]);
}
