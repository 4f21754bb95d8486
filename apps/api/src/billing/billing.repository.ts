import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
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

  async liveVoucher(code: string): Promise<VoucherRow | undefined> {
    const [row] = await this.db
      .select()
      .from(vouchers)
      .where(and(eq(vouchers.code, code), isNull(vouchers.deletedAt)));
    return row;
  }

  /** Locks a live voucher for the redemption that reads and updates its counter. */
  async lockVoucherForRedemption(tx: Executor, code: string): Promise<VoucherRow | undefined> {
    const [row] = await tx
      .select()
      .from(vouchers)
      .where(and(eq(vouchers.code, code), isNull(vouchers.deletedAt)))
      .for('update');
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

  async hasRedeemed(tx: Executor, code: string, userId: string): Promise<boolean> {
    const rows = await tx
      .select({ code: voucherRedemptions.code })
      .from(voucherRedemptions)
      .where(and(eq(voucherRedemptions.code, code), eq(voucherRedemptions.userId, userId)));
    return rows.length > 0;
  }

  async recordRedemption(tx: Executor, code: string, userId: string, orderId: string): Promise<void> {
    await tx.insert(voucherRedemptions).values({ code, userId, orderId });
    await tx
      .update(vouchers)
      .set({ timesRedeemed: sql`${vouchers.timesRedeemed} + 1` })
      .where(eq(vouchers.code, code));
  }

  /** A retried checkout: the order an earlier request with this key produced. */
  async orderByIdempotencyKey(tx: Executor, userId: string, key: string): Promise<OrderRow | undefined> {
    const [row] = await tx
      .select()
      .from(orders)
      .where(and(eq(orders.userId, userId), eq(orders.idempotencyKey, key)));
    return row;
  }

  async lockIdempotencyKey(tx: Executor, userId: string, key: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`checkout:${userId}:${key}`}))`);
  }

  async insertOrder(tx: Executor, row: typeof orders.$inferInsert): Promise<OrderRow> {
    const [order] = await tx.insert(orders).values(row).returning();
    if (!order) throw new Error('order insert returned nothing');
    return order;
  }

  async setOrderResponse(tx: Executor, id: string, response: unknown): Promise<void> {
    await tx.update(orders).set({ response }).where(eq(orders.id, id));
  }

  listOrders(limit = 200) {
    return this.db.select().from(orders).orderBy(desc(orders.createdAt)).limit(limit);
  }
}
