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

  async credit(tx: Tx, movement: WalletMovement): Promise<void> {
    await this.repo.addEntry(tx, { ...movement, orderId: movement.orderId ?? null });
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
