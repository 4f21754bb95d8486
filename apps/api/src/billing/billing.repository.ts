import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { orders, voucherRedemptions, vouchers } from './billing.schema.js';

export type VoucherRow = typeof vouchers.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;

@Injectable()
export class BillingRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get db() {
    return this.database.db;
  }

  /** Creates or updates a voucher; an update also brings a revoked code back. Returns whether it was new. */
  async upsertVoucher(
    ex: Executor,
    row: typeof vouchers.$inferInsert,
  ): Promise<{ voucher: VoucherRow; created: boolean }> {
    const [voucher] = await ex
      .insert(vouchers)
      .values(row)
      .onConflictDoUpdate({
        target: vouchers.code,
        set: {
          creditBaisa: row.creditBaisa,
          description: row.description,
          active: row.active,
          maxRedemptions: row.maxRedemptions,
          expiresAt: row.expiresAt,
          deletedAt: null,
          updatedAt: sql`now()`,
        },
      })
      // xmax is 0 on a freshly inserted row version: the one portable way to tell insert from update here.
      .returning({ ...getTableColumns(vouchers), created: sql<boolean>`(xmax = 0)` });
    if (!voucher) throw new Error('voucher upsert returned nothing');
    const { created, ...row2 } = voucher;
    return { voucher: row2, created };
  }

  liveVouchers(): Promise<VoucherRow[]> {
    return this.db
      .select()
      .from(vouchers)
      .where(isNull(vouchers.deletedAt))
      .orderBy(desc(vouchers.createdAt));
  }

  async liveVoucher(code: string, ex: Executor = this.db): Promise<VoucherRow | undefined> {
    const [row] = await ex
      .select()
      .from(vouchers)
      .where(and(eq(vouchers.code, code), isNull(vouchers.deletedAt)));
    return row;
  }

  /**
   * A live voucher as a checkout sees it, and whether this customer has redeemed it already: one read,
   * no lock (the counter is taken at the end, by countRedemption).
   */
  async voucherForRedemption(
    ex: Executor,
    code: string,
    userId: string,
  ): Promise<(VoucherRow & { redeemedByUser: boolean }) | undefined> {
    const [row] = await ex
      .select({
        ...getTableColumns(vouchers),
        redeemedByUser: sql<boolean>`exists (select 1 from ${voucherRedemptions} where ${voucherRedemptions.code} = ${code} and ${voucherRedemptions.userId} = ${userId})`,
      })
      .from(vouchers)
      .where(and(eq(vouchers.code, code), isNull(vouchers.deletedAt)));
    return row;
  }

  async revoke(ex: Executor, code: string): Promise<boolean> {
    const rows = await ex
      .update(vouchers)
      .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(vouchers.code, code), isNull(vouchers.deletedAt)))
      .returning({ code: vouchers.code });
    return rows.length > 0;
  }

  async recordRedemption(tx: Executor, code: string, userId: string, orderId: string): Promise<void> {
    await tx.insert(voucherRedemptions).values({ code, userId, orderId });
  }

  /**
   * Counts one redemption if the voucher still takes it as the checkout saw it (live, active, not
   * expired at `now`, under its cap, the same credit): one conditional UPDATE, so the voucher's row is
   * locked only from here to the commit, and a concurrent redemption waiting on it re-checks the cap
   * against the committed count. False when it does not take it.
   */
  async countRedemption(tx: Executor, code: string, creditBaisa: number, now: Date): Promise<boolean> {
    const rows = await tx
      .update(vouchers)
      .set({ timesRedeemed: sql`${vouchers.timesRedeemed} + 1` })
      .where(
        and(
          eq(vouchers.code, code),
          isNull(vouchers.deletedAt),
          eq(vouchers.active, true),
          eq(vouchers.creditBaisa, creditBaisa),
          or(eq(vouchers.maxRedemptions, 0), lt(vouchers.timesRedeemed, vouchers.maxRedemptions)),
          or(isNull(vouchers.expiresAt), gt(vouchers.expiresAt, now)),
        ),
      )
      .returning({ code: vouchers.code });
    return rows.length > 0;
  }

  /** A retried checkout: the order an earlier request with this key produced. */
  async orderByIdempotencyKey(tx: Executor, userId: string, key: string): Promise<OrderRow | undefined> {
    const [row] = await tx
      .select()
      .from(orders)
      .where(and(eq(orders.userId, userId), eq(orders.idempotencyKey, key)));
    return row;
  }

  /** The order with its id and the answer it gives (returned again for a retried request), in one statement. */
  async insertOrder(
    tx: Executor,
    row: typeof orders.$inferInsert & { id: string; response: unknown },
  ): Promise<void> {
    await tx.insert(orders).values(row);
  }

  listOrders(limit = 200) {
    return this.db.select().from(orders).orderBy(desc(orders.createdAt)).limit(limit);
  }
}
