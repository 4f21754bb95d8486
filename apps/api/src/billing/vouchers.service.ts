import { type IssueVoucher, omr, type RedeemPreview, type Voucher } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/roles.decorator.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { EventsService } from '../events/events.service.js';
import { MailService } from '../mail/mail.service.js';
import { voucherMail } from '../mail/mail.templates.js';
import { voucherNotFound } from './billing.errors.js';
import { BillingRepository, type VoucherRow } from './billing.repository.js';

export function isAccepting(voucher: VoucherRow, now = new Date()): boolean {
  return (
    voucher.active &&
    (voucher.maxRedemptions === 0 || voucher.timesRedeemed < voucher.maxRedemptions) &&
    (!voucher.expiresAt || voucher.expiresAt > now)
  );
}

/** Vouchers a Sovereign's admin issues, lists and revokes; the public preview a tenant sees. */
@Injectable()
export class VouchersService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repo: BillingRepository,
    private readonly events: EventsService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  redeemUrl(code: string): string {
    return `${this.config.marketplaceUrl}/redeem/?code=${encodeURIComponent(code)}`;
  }

  /** Creates a voucher or updates an existing code (a revoked one comes back). */
  async issue(input: IssueVoucher, user: Principal): Promise<{ voucher: Voucher; created: boolean }> {
    const { voucher, created } = await this.repo.db.transaction(async (tx) => {
      const result = await this.repo.upsertVoucher(tx, {
        code: input.code,
        creditBaisa: input.creditBaisa,
        description: input.description,
        active: input.active,
        maxRedemptions: input.maxRedemptions,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
        createdBy: user.userId,
      });
      await this.events.record(tx, 'catalyst.voucher.issued', {
        code: input.code,
        creditBaisa: input.creditBaisa,
        issuedBy: user.userId,
      });
      return result;
    });
    await this.audit.record({
      actorId: user.userId,
      actorEmail: user.email,
      action: created ? 'voucher.issue' : 'voucher.update',
      target: `voucher:${voucher.code}`,
      details: { creditBaisa: voucher.creditBaisa, maxRedemptions: voucher.maxRedemptions },
    });
    if (input.recipientEmail) {
      await this.mail.send(
        input.recipientEmail,
        voucherMail({
          code: voucher.code,
          creditOmr: omr(voucher.creditBaisa),
          description: voucher.description,
          redeemUrl: this.redeemUrl(voucher.code),
        }),
      );
    }
    this.logger.info({ code: voucher.code, created }, 'voucher issued');
    return { voucher: this.toVoucher(voucher), created };
  }

  async list(): Promise<Voucher[]> {
    return (await this.repo.liveVouchers()).map((v) => this.toVoucher(v));
  }

  async revoke(code: string, user: Principal): Promise<void> {
    if (!(await this.repo.revoke(this.repo.db, code))) throw voucherNotFound();
    await this.audit.record({
      actorId: user.userId,
      actorEmail: user.email,
      action: 'voucher.revoke',
      target: `voucher:${code}`,
    });
  }

  /** What a tenant may see of a voucher: never its counts. 410 (same body) when it takes no more redemptions. */
  async preview(code: string): Promise<{ preview: RedeemPreview; accepting: boolean }> {
    const voucher = await this.repo.liveVoucher(code);
    if (!voucher) throw voucherNotFound();
    const accepting = isAccepting(voucher);
    return {
      accepting,
      preview: {
        code: voucher.code,
        creditBaisa: voucher.creditBaisa,
        creditOmr: omr(voucher.creditBaisa),
        description: voucher.description,
        acceptingRedemptions: accepting,
      },
    };
  }

  private toVoucher(v: VoucherRow): Voucher {
    return {
      code: v.code,
      creditBaisa: v.creditBaisa,
      creditOmr: omr(v.creditBaisa),
      description: v.description,
      active: v.active,
      maxRedemptions: v.maxRedemptions,
      timesRedeemed: v.timesRedeemed,
      expiresAt: v.expiresAt ? v.expiresAt.toISOString() : null,
      createdAt: v.createdAt.toISOString(),
      redeemUrl: this.redeemUrl(v.code),
    };
  }
}
