import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { loginPins } from './auth.schema.js';

/** Pending sign-in codes: several per e-mail, each used once. */
@Injectable()
export class PinsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Adds a code beside the e-mail's other live ones; earlier codes stay valid until used or expired. */
  async add(tx: Executor, email: string, pinHash: string, ttlSeconds: number): Promise<void> {
    await tx
      .insert(loginPins)
      .values({ email, pinHash, expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})` });
  }

  /** The e-mail's unexpired codes, oldest first, with the seconds each has left. */
  listLive(
    tx: Executor,
    email: string,
  ): Promise<{ id: string; pinHash: string; expiresInSeconds: number }[]> {
    return tx
      .select({
        id: loginPins.id,
        pinHash: loginPins.pinHash,
        expiresInSeconds: sql<number>`ceil(extract(epoch from ${loginPins.expiresAt} - now()))::int`,
      })
      .from(loginPins)
      .where(and(eq(loginPins.email, email), gt(loginPins.expiresAt, sql`now()`)))
      .orderBy(asc(loginPins.createdAt));
  }

  /** Uses a code up: it cannot sign in twice. */
  async consume(tx: Executor, id: string): Promise<void> {
    await tx.delete(loginPins).where(eq(loginPins.id, id));
  }

  async deleteExpired(): Promise<void> {
    await this.database.db.delete(loginPins).where(lt(loginPins.expiresAt, sql`now()`));
  }
}
