import { Inject, Injectable } from '@nestjs/common';
import { desc, eq, inArray, sql } from 'drizzle-orm';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { walletEntries } from './wallets.schema.js';

export type WalletEntryRow = typeof walletEntries.$inferSelect;

@Injectable()
export class WalletsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get db() {
    return this.database.db;
  }

  /** Serialises every change to one customer's wallet (the balance check and the entry it guards). */
  async lockWallet(tx: Executor, userId: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`wallet:${userId}`}))`);
  }

  async balance(ex: Executor, userId: string): Promise<number> {
    const [row] = await ex
      .select({ total: sql<string>`coalesce(sum(${walletEntries.amountBaisa}), 0)::text` })
      .from(walletEntries)
      .where(eq(walletEntries.userId, userId));
    return Number(row?.total ?? 0);
  }

  /** Balances of many customers in one query (customers without entries are absent: 0). */
  async balances(userIds: string[]): Promise<Map<string, number>> {
    if (!userIds.length) return new Map();
    const rows = await this.db
      .select({ userId: walletEntries.userId, total: sql<string>`sum(${walletEntries.amountBaisa})::text` })
      .from(walletEntries)
      .where(inArray(walletEntries.userId, userIds))
      .groupBy(walletEntries.userId);
    return new Map(rows.map((r) => [r.userId, Number(r.total)]));
  }

  async addEntry(tx: Executor, entry: typeof walletEntries.$inferInsert): Promise<void> {
    await tx.insert(walletEntries).values(entry);
  }

  /** Several ledger lines in one statement. */
  async addEntries(tx: Executor, entries: (typeof walletEntries.$inferInsert)[]): Promise<void> {
    if (entries.length) await tx.insert(walletEntries).values(entries);
  }

  entries(userId: string, limit = 50): Promise<WalletEntryRow[]> {
    return this.db
      .select()
      .from(walletEntries)
      .where(eq(walletEntries.userId, userId))
      .orderBy(desc(walletEntries.createdAt))
      .limit(limit);
  }
}
