import { omr, type Wallet } from '@catalyst/contracts';
import { Injectable } from '@nestjs/common';
import type { Executor, Tx } from '../database/database.js';
import { insufficientCredit } from './wallets.errors.js';
import { WalletsRepository } from './wallets.repository.js';

/** One ledger line; `orderId` ties it to the order that caused it, when there is one. */
export interface WalletMovement {
  userId: string;
  amountBaisa: number;
  reason: string;
  orderId?: string;
}

/**
 * Customers' wallets, for every feature that pays or is paid (checkout, app installs, the BSS).
 * Money moves only inside the caller's transaction (docs/architecture.md, "Layers"), so a refused debit undoes the
 * whole change it belonged to.
 */
@Injectable()
export class WalletsService {
  constructor(private readonly repo: WalletsRepository) {}

  /** Holds the customer's wallet until `tx` ends: take it first when later steps depend on the balance. */
  lock(tx: Tx, userId: string): Promise<void> {
    return this.repo.lockWallet(tx, userId);
  }

  balance(userId: string, ex: Executor = this.repo.db): Promise<number> {
    return this.repo.balance(ex, userId);
  }

  /** Balances of many customers at once; a customer without entries is absent (0). */
  balances(userIds: string[]): Promise<Map<string, number>> {
    return this.repo.balances(userIds);
  }

  /**
   * Draws `amountBaisa` under the wallet's lock (taking it again in one transaction is harmless), or
   * refuses with `insufficient_credit` when the balance does not cover it. Returns the balance after.
   */
  async debit(tx: Tx, movement: WalletMovement): Promise<number> {
    await this.repo.lockWallet(tx, movement.userId);
    const balance = await this.repo.balance(tx, movement.userId);
    if (balance < movement.amountBaisa) throw insufficientCredit(movement.amountBaisa, balance);
    await this.repo.addEntry(tx, {
      ...movement,
      amountBaisa: -movement.amountBaisa,
      orderId: movement.orderId ?? null,
    });
    return balance - movement.amountBaisa;
  }

  /**
   * A credit and a charge settled together, for a caller that holds the wallet's lock (lock()) and
   * wants one read and one write: the balance plus the credit must cover the debit, or it refuses
   * with `insufficient_credit` as debit() would after the credit. The ledger gets the credit line, then
   * the debit line (a debit of 0 is left out, as its caller would skip it). Returns the balance after.
   */
  async settle(
    tx: Tx,
    userId: string,
    lines: { credit?: Omit<WalletMovement, 'userId'>; debit?: Omit<WalletMovement, 'userId'> },
  ): Promise<number> {
    const credit = lines.credit;
    const debit = lines.debit && lines.debit.amountBaisa > 0 ? lines.debit : undefined;
    const covering = (await this.repo.balance(tx, userId)) + (credit?.amountBaisa ?? 0);
    if (debit && covering < debit.amountBaisa) throw insufficientCredit(debit.amountBaisa, covering);
    await this.repo.addEntries(tx, [
      ...(credit ? [{ ...credit, userId, orderId: credit.orderId ?? null }] : []),
      ...(debit
        ? [{ ...debit, userId, amountBaisa: -debit.amountBaisa, orderId: debit.orderId ?? null }]
        : []),
    ]);
    return covering - (debit?.amountBaisa ?? 0);
  }

  /** The customer's own view: balance and latest entries. */
  async statement(userId: string): Promise<Wallet> {
    const [balance, entries] = await Promise.all([
      this.repo.balance(this.repo.db, userId),
      this.repo.entries(userId),
    ]);
    return {
      balanceBaisa: balance,
      balanceOmr: omr(balance),
      entries: entries.map((e) => ({
        amountBaisa: e.amountBaisa,
        amountOmr: omr(e.amountBaisa),
        reason: e.reason,
        createdAt: e.createdAt.toISOString(),
      })),
    };
  }
}
