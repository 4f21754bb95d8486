import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { domainAllocations } from './domains.schema.js';

export type AllocationRow = typeof domainAllocations.$inferSelect;
export type NewReservation = Pick<AllocationRow, 'fqdn' | 'mode' | 'poolDomain' | 'subdomain' | 'createdBy'>;

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class AllocationsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** The live (active, or reserved and unexpired) holder of a name. */
  async findLive(fqdn: string, ex: Executor = this.database.db): Promise<AllocationRow | undefined> {
    const [row] = await ex
      .select()
      .from(domainAllocations)
      .where(
        and(
          eq(domainAllocations.fqdn, fqdn),
          sql`(${domainAllocations.state} = 'active' or ${domainAllocations.expiresAt} > now())`,
        ),
      );
    return row;
  }

  /**
   * Reserves a name for `ttlSeconds`. Returns undefined when the name is held. Given a transaction,
   * the reservation is part of it (and goes if it rolls back).
   */
  reserve(row: NewReservation, ttlSeconds: number, ex?: Executor): Promise<AllocationRow | undefined> {
    return this.insertUnlessHeld(
      { ...row, state: 'reserved', expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})` },
      ex,
    );
  }

  /** Holds a name for good (no expiry), e.g. a tenant organization's; undefined when it is held. */
  claim(row: NewReservation, ex?: Executor): Promise<AllocationRow | undefined> {
    return this.insertUnlessHeld({ ...row, state: 'active', expiresAt: null, committedAt: sql`now()` }, ex);
  }

  /**
   * An expired reservation of the same name is removed first; the unique FQDN makes exactly one of
   * any number of concurrent callers win. Inside a caller's transaction this runs in a savepoint, so a
   * lost race leaves the caller's transaction usable.
   */
  private async insertUnlessHeld(
    values: PgInsertValue<typeof domainAllocations>,
    ex: Executor = this.database.db,
  ): Promise<AllocationRow | undefined> {
    try {
      return await ex.transaction(async (tx) => {
        await tx
          .delete(domainAllocations)
          .where(
            and(
              eq(domainAllocations.fqdn, values.fqdn),
              eq(domainAllocations.state, 'reserved'),
              lte(domainAllocations.expiresAt, sql`now()`),
            ),
          );
        const [inserted] = await tx.insert(domainAllocations).values(values).returning();
        return inserted;
      });
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === UNIQUE_VIOLATION) return undefined;
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return undefined;
      throw error;
    }
  }

  /** Locks a reservation or allocation by id for the commit that publishes it. */
  async lockById(tx: Executor, id: string): Promise<(AllocationRow & { expired: boolean }) | undefined> {
    const [row] = await tx
      .select({
        row: domainAllocations,
        expired: sql<boolean>`coalesce(${domainAllocations.expiresAt} <= now(), false)`,
      })
      .from(domainAllocations)
      .where(eq(domainAllocations.id, id))
      .for('update');
    return row ? { ...row.row, expired: row.expired } : undefined;
  }

  async lockByFqdn(tx: Executor, fqdn: string): Promise<AllocationRow | undefined> {
    const [row] = await tx
      .select()
      .from(domainAllocations)
      .where(eq(domainAllocations.fqdn, fqdn))
      .for('update');
    return row;
  }

  /** Keeps a reservation alive while its commit runs, so it cannot expire half-way. */
  async extend(tx: Executor, id: string, ttlSeconds: number): Promise<void> {
    await tx
      .update(domainAllocations)
      .set({ expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})` })
      .where(and(eq(domainAllocations.id, id), eq(domainAllocations.state, 'reserved')));
  }

  async activate(tx: Executor, id: string, loadBalancerIp: string): Promise<AllocationRow> {
    const [row] = await tx
      .update(domainAllocations)
      .set({ state: 'active', expiresAt: null, loadBalancerIp, committedAt: sql`now()` })
      .where(eq(domainAllocations.id, id))
      .returning();
    if (!row) throw new Error('allocation vanished while locked');
    return row;
  }

  async delete(tx: Executor, id: string): Promise<void> {
    await tx.delete(domainAllocations).where(eq(domainAllocations.id, id));
  }

  list(poolDomain?: string): Promise<AllocationRow[]> {
    return this.database.db
      .select()
      .from(domainAllocations)
      .where(poolDomain ? eq(domainAllocations.poolDomain, poolDomain) : undefined)
      .orderBy(asc(domainAllocations.fqdn));
  }

  /** Deletes reservations whose time ran out; returns their names. */
  async deleteExpired(): Promise<string[]> {
    const rows = await this.database.db
      .delete(domainAllocations)
      .where(and(eq(domainAllocations.state, 'reserved'), lte(domainAllocations.expiresAt, sql`now()`)))
      .returning({ fqdn: domainAllocations.fqdn });
    return rows.map((r) => r.fqdn);
  }
}
