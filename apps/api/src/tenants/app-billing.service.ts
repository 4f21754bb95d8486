import { type AppStatus, type DomainEvent, findMarketplaceApp, omr } from '@catalyst/contracts';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Logger } from 'pino';
import { UsersService } from '../auth/users.service.js';
import { runPeriodically } from '../common/periodic.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import type { Tx } from '../database/database.js';
import { EventsService } from '../events/events.service.js';
import { MailService } from '../mail/mail.service.js';
import { appSuspendedMail } from '../mail/mail.templates.js';
import { WalletsService } from '../wallets/wallets.service.js';
import { AppInstallsRepository, appOf, type InstallTarget } from './app-installs.repository.js';

/** The same day of the next month, or its last day when it has fewer (31 January → 28/29 February). */
export function nextMonthly(from: Date): Date {
  const next = new Date(from);
  next.setUTCDate(1);
  next.setUTCMonth(next.getUTCMonth() + 1);
  const lastDay = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  next.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return next;
}

/**
 * What apps cost: a month is drawn from the org owner's wallet when the app starts running (a failed
 * install costs nothing) and on each monthly anniversary after, once per month however often it is
 * tried (app_charges). A month the wallet cannot pay suspends the app and mails the owner; a top-up
 * (a redeemed voucher) pays and resumes every suspended app it covers.
 */
@Injectable()
export class AppBilling implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopSweeps?: () => void;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repo: AppInstallsRepository,
    private readonly wallets: WalletsService,
    private readonly events: EventsService,
    private readonly mail: MailService,
    private readonly users: UsersService,
  ) {}

  onApplicationBootstrap(): void {
    this.stopSweeps = runPeriodically(() => this.renewDue(), {
      everyMs: this.config.apps.billingIntervalSeconds * 1000,
      firstAfterMs: 5_000,
      logger: this.logger,
      failure: 'app renewal sweep failed; retrying on the next turn',
    });
  }

  onApplicationShutdown(): void {
    this.stopSweeps?.();
  }

  /**
   * Draws the month starting at `periodStart` in `tx` (which holds the install's row): `false` when
   * the wallet cannot pay it. A month charged before is not drawn again.
   */
  async payMonth(tx: Tx, target: InstallTarget, periodStart: Date): Promise<boolean> {
    const { install } = target;
    await this.wallets.lock(tx, target.ownerId);
    if ((await this.wallets.balance(target.ownerId, tx)) < install.monthlyPriceBaisa) return false;
    if (await this.repo.recordCharge(tx, install.id, periodStart, install.monthlyPriceBaisa)) {
      await this.wallets.debit(tx, {
        userId: target.ownerId,
        amountBaisa: install.monthlyPriceBaisa,
        reason: `app:${install.appId}:${target.environment}:${periodStart.toISOString().slice(0, 10)}`,
      });
    }
    return true;
  }

  /** Suspends the app in `tx` because its month at `periodStart` could not be paid; the caller mails after commit. */
  async suspendUnpaid(tx: Tx, target: InstallTarget, from: AppStatus[]): Promise<boolean> {
    const { install } = target;
    const reason = `Suspended: the wallet could not pay the month (${omr(install.monthlyPriceBaisa)} OMR). Redeem a voucher to resume it.`;
    const moved = await this.repo.transition(tx, install.id, from, 'suspended', { message: reason });
    if (!moved) return false;
    await this.events.record(tx, 'catalyst.app.suspended', { ...appOf(install), reason });
    return true;
  }

  /** Charges every running app whose paid month is over, or suspends it. */
  async renewDue(now = new Date()): Promise<void> {
    for (const id of await this.repo.dueForRenewal(now)) {
      const suspended = await this.repo.db.transaction(async (tx) => {
        const target = await this.repo.target(id, tx, true);
        const paidUntil = target?.install.paidUntil;
        if (target?.install.status !== 'running' || !paidUntil || paidUntil > now) return undefined;
        if (await this.payMonth(tx, target, paidUntil)) {
          await this.repo.transition(tx, id, ['running'], 'running', { paidUntil: nextMonthly(paidUntil) });
          return undefined;
        }
        return (await this.suspendUnpaid(tx, target, ['running'])) ? target : undefined;
      });
      if (suspended) await this.mailSuspended(suspended);
    }
  }

  /** After a top-up: pays a fresh month of each suspended app the owner's wallet now covers, and resumes it. */
  async resumePaid(ownerId: string): Promise<void> {
    for (const id of await this.repo.suspendedOf(ownerId)) {
      await this.repo.db.transaction(async (tx) => {
        const target = await this.repo.target(id, tx, true);
        if (target?.install.status !== 'suspended') return;
        const now = new Date();
        if (!(await this.payMonth(tx, target, now))) return;
        await this.repo.transition(tx, id, ['suspended'], 'installing', {
          message: null,
          paidUntil: nextMonthly(now),
        });
        await this.events.record(tx, 'catalyst.app.resume-requested', { installId: id });
      });
    }
  }

  /** A redeemed voucher is a top-up: what it now covers starts again. */
  @OnEvent('catalyst.voucher.redeemed')
  async onVoucherRedeemed(event: DomainEvent<'catalyst.voucher.redeemed'>): Promise<void> {
    await this.resumePaid(event.payload.userId);
  }

  async mailSuspended(target: InstallTarget): Promise<void> {
    try {
      const email = (await this.users.emailsOf([target.ownerId])).get(target.ownerId);
      if (!email) return;
      await this.mail.send(
        email,
        appSuspendedMail({
          appName: findMarketplaceApp(target.install.appId)?.name ?? target.install.appId,
          environment: target.environment,
          org: target.orgSlug,
          priceOmr: omr(target.install.monthlyPriceBaisa),
          marketplaceUrl: this.config.marketplaceUrl,
        }),
      );
    } catch (err) {
      this.logger.warn({ err, installId: target.install.id }, 'could not mail the suspension');
    }
  }
}
