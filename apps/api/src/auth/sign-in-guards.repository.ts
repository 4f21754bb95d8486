import { Inject, Injectable } from '@nestjs/common';
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { signInFailures, signInGuards } from './auth.schema.js';

/** Per-e-mail sign-in state: the lock that serializes its checks, its wrong codes and its lockout. */
@Injectable()
export class SignInGuardsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * Locks the e-mail's guard row (creating it) for the rest of the transaction, so every check of
   * its codes and every new code is decided one at a time. Answers how long it stays locked out.
   */
  async lockEmail(tx: Executor, email: string): Promise<{ lockedForSeconds: number }> {
    const [row] = await tx
      .insert(signInGuards)
      .values({ email })
      .onConflictDoUpdate({ target: signInGuards.email, set: { email: sql`excluded.email` } })
      .returning({
        lockedForSeconds: sql<number>`greatest(0, coalesce(ceil(extract(epoch from ${signInGuards.lockedUntil} - now())), 0))::int`,
      });
    if (!row) throw new Error('sign-in guard upsert returned nothing');
    return row;
  }

  /**
   * Records a wrong code and answers how many the e-mail has in the window, counting only those
   * after its last lockout ended (a lockout is served once, not again for the same failures).
   */
  async recordFailure(tx: Executor, email: string, windowSeconds: number): Promise<number> {
    await tx.insert(signInFailures).values({ email });
    const [row] = await tx
      .select({ failures: sql<number>`count(*)::int` })
      .from(signInFailures)
      .innerJoin(signInGuards, eq(signInGuards.email, signInFailures.email))
      .where(
        and(
          eq(signInFailures.email, email),
          gt(signInFailures.failedAt, sql`now() - make_interval(secs => ${windowSeconds})`),
          or(isNull(signInGuards.lockedUntil), gt(signInFailures.failedAt, signInGuards.lockedUntil)),
        ),
      );
    return row?.failures ?? 0;
  }

  async lockOut(tx: Executor, email: string, seconds: number): Promise<void> {
    await tx
      .update(signInGuards)
      .set({ lockedUntil: sql`now() + make_interval(secs => ${seconds})` })
      .where(eq(signInGuards.email, email));
  }

  /** A successful sign-in forgets the e-mail's wrong codes: they were the owner's typos. */
  async clearFailures(tx: Executor, email: string): Promise<void> {
    await tx.delete(signInFailures).where(eq(signInFailures.email, email));
  }

  /**
   * Drops failures older than the window, and guards whose lockout ended longer than a window ago
   * (until then its end still decides which failures count).
   */
  async sweep(windowSeconds: number): Promise<void> {
    const windowStart = sql`now() - make_interval(secs => ${windowSeconds})`;
    await this.database.db.delete(signInFailures).where(lt(signInFailures.failedAt, windowStart));
    await this.database.db
      .delete(signInGuards)
      .where(or(isNull(signInGuards.lockedUntil), lt(signInGuards.lockedUntil, windowStart)));
  }
}
