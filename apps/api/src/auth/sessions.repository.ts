import { Inject, Injectable } from '@nestjs/common';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { sessions, users } from './auth.schema.js';

/** Postgres channel announcing `<sessionId>` when a session is revoked (signed out), on commit. */
export const SESSION_REVOKED_CHANNEL = 'catalyst_session_revoked';

@Injectable()
export class SessionsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async create(tx: Executor, userId: string, ttlSeconds: number): Promise<{ id: string; expiresAt: Date }> {
    const [row] = await tx
      .insert(sessions)
      .values({ userId, expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})` })
      .returning({ id: sessions.id, expiresAt: sessions.expiresAt });
    if (!row) throw new Error('session insert returned nothing');
    return row;
  }

  /** The user behind a live (unexpired, unrevoked) session, with the session's expiry. */
  async findLiveUser(sessionId: string, userId: string) {
    const [row] = await this.database.db
      .select({
        id: users.id,
        email: users.email,
        roles: users.roles,
        createdAt: users.createdAt,
        sessionExpiresAt: sessions.expiresAt,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          eq(sessions.id, sessionId),
          eq(sessions.userId, userId),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, sql`now()`),
        ),
      );
    return row;
  }

  /** Revokes a session and announces it (on commit) to every replica's open streams. */
  async revoke(sessionId: string): Promise<void> {
    await this.database.db.transaction(async (tx) => {
      await tx
        .update(sessions)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
      await tx.execute(sql`select pg_notify(${SESSION_REVOKED_CHANNEL}, ${sessionId})`);
    });
  }

  /**
   * Revokes every live session of a user (a role of theirs was removed) and announces each one, on commit, so
   * every replica's session cache and open streams drop them. Returns the revoked sessions' ids.
   */
  async revokeAllOf(ex: Executor, userId: string): Promise<string[]> {
    const revoked = await ex
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
      .returning({ id: sessions.id });
    for (const { id } of revoked) await ex.execute(sql`select pg_notify(${SESSION_REVOKED_CHANNEL}, ${id})`);
    return revoked.map(({ id }) => id);
  }

  async deleteExpired(): Promise<void> {
    await this.database.db.delete(sessions).where(lt(sessions.expiresAt, sql`now() - interval '1 day'`));
  }
}
