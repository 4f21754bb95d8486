import { Inject, Injectable } from '@nestjs/common';
import { asc, eq, inArray, sql } from 'drizzle-orm';
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

  /** Finds or creates the user for a signed-in e-mail, adding `extraRoles`, and stamps the sign-in. */
  async upsertOnSignIn(ex: Executor, email: string, extraRoles: string[]): Promise<UserRow> {
    const [row] = await ex
      .insert(users)
      .values({ email, roles: ['member', ...extraRoles], lastSignInAt: sql`now()` })
      .onConflictDoUpdate({
        target: users.email,
        set: {
          roles: sql`(select array_agg(distinct r order by r) from unnest(${users.roles} || ${sql.param(extraRoles)}::text[]) as r)`,
          lastSignInAt: sql`now()`,
        },
      })
      .returning();
    if (!row) throw new Error('user upsert returned nothing');
    return row;
  }
}
