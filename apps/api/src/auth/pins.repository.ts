import { Inject, Injectable } from '@nestjs/common';
import { eq, lt, sql } from 'drizzle-orm';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { loginPins } from './auth.schema.js';

export type PinRow = typeof loginPins.$inferSelect;

@Injectable()
export class PinsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Stores a new code for the e-mail, replacing any earlier one and its failed attempts. */
  async replace(email: string, pinHash: string, ttlSeconds: number): Promise<void> {
    const expiresAt = sql`now() + make_interval(secs => ${ttlSeconds})`;
    await this.database.db
      .insert(loginPins)
      .values({ email, pinHash, expiresAt, failedAttempts: 0 })
      .onConflictDoUpdate({
        target: loginPins.email,
        set: { pinHash, expiresAt, failedAttempts: 0, createdAt: sql`now()` },
      });
  }

  /** Locks the pending code of an e-mail for the verification that reads and updates it. */
  async lockForVerification(
    tx: Executor,
    email: string,
  ): Promise<(PinRow & { expired: boolean }) | undefined> {
    const [row] = await tx
      .select({ row: loginPins, expired: sql<boolean>`${loginPins.expiresAt} <= now()` })
      .from(loginPins)
      .where(eq(loginPins.email, email))
      .for('update');
    return row ? { ...row.row, expired: row.expired } : undefined;
  }

  async recordFailure(tx: Executor, email: string): Promise<number> {
    const [row] = await tx
      .update(loginPins)
      .set({ failedAttempts: sql`${loginPins.failedAttempts} + 1` })
      .where(eq(loginPins.email, email))
      .returning({ failedAttempts: loginPins.failedAttempts });
    return row?.failedAttempts ?? 0;
  }

  async delete(tx: Executor, email: string): Promise<void> {
    await tx.delete(loginPins).where(eq(loginPins.email, email));
  }

  async deleteExpired(): Promise<void> {
    await this.database.db.delete(loginPins).where(lt(loginPins.expiresAt, sql`now()`));
  }
}
