import { type CheckoutRequest, type CheckoutResponse, findPlan, omr } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/roles.decorator.js';
import { AppError, ValidationError } from '../common/app-error.js';
import { CONFIG, type Config } from '../config/config.js';
import type { Tx } from '../database/database.js';
import { DomainsService } from '../domains/domains.service.js';
import { EventsService } from '../events/events.service.js';
import { type OrgRow, OrgsService } from '../tenants/orgs.service.js';
import { WalletsService } from '../wallets/wallets.service.js';
import { checkoutErrors } from './billing.errors.js';
import { BillingRepository } from './billing.repository.js';

/** A slug from a name: lower-case words joined by hyphens, starting with a letter, 3–31 characters. */
export function slugFrom(text: string): string {
  let slug = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 31)
    .replace(/-+$/, '');
  if (slug.length < 3) slug = `org-${slug || 'new'}`.slice(0, 31);
  return slug;
}

/**
 * The tenant's checkout, in ONE transaction: the voucher row locked, the redemption (unique per
 * voucher and customer), the counter, the credit, the organization if it is new, the order, the
 * plan's charge and the events. A retried request with the same Idempotency-Key gets the first answer.
 */
@Injectable()
export class CheckoutService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly billing: BillingRepository,
    private readonly orgs: OrgsService,
    private readonly wallets: WalletsService,
    private readonly events: EventsService,
    private readonly domains: DomainsService,
  ) {}

  async checkout(
    input: CheckoutRequest,
    user: Principal,
    idempotencyKey?: string,
  ): Promise<CheckoutResponse> {
    const plan = findPlan(input.planId);
    if (!plan) throw new ValidationError([{ path: 'planId', message: `No plan "${input.planId}"` }]);
    if (input.poolDomain && !this.config.domains.tenantPoolDomains.includes(input.poolDomain)) {
      throw new ValidationError([
        { path: 'poolDomain', message: `Choose one of ${this.config.domains.tenantPoolDomains.join(', ')}` },
      ]);
    }
    return this.transaction(async (tx) => {
      if (idempotencyKey) {
        await this.billing.lockIdempotencyKey(tx, user.userId, idempotencyKey);
        const earlier = await this.billing.orderByIdempotencyKey(tx, user.userId, idempotencyKey);
        if (earlier?.response) return earlier.response as CheckoutResponse;
      }
      // Held from here on, so the voucher's credit and the plan's charge see one balance.
      await this.wallets.lock(tx, user.userId);
      const credit = input.promoCode ? await this.redeemable(tx, input.promoCode, user.userId) : 0;
      const { org, created } = await this.orgFor(tx, input, user);
      const order = await this.billing.insertOrder(tx, {
        userId: user.userId,
        orgId: org.id,
        planId: plan.id,
        totalBaisa: plan.priceBaisa,
        promoCode: input.promoCode ?? null,
        idempotencyKey: idempotencyKey ?? null,
      });
      if (input.promoCode) {
        await this.billing.recordRedemption(tx, input.promoCode, user.userId, order.id);
        await this.wallets.credit(tx, {
          userId: user.userId,
          amountBaisa: credit,
          reason: `voucher:${input.promoCode}`,
          orderId: order.id,
        });
        await this.events.record(tx, 'catalyst.voucher.redeemed', {
          code: input.promoCode,
          userId: user.userId,
          orderId: order.id,
          creditBaisa: credit,
        });
      }
      const balance =
        plan.priceBaisa > 0
          ? await this.wallets.debit(tx, {
              userId: user.userId,
              amountBaisa: plan.priceBaisa,
              reason: `plan:${plan.id}`,
              orderId: order.id,
            })
          : await this.wallets.balance(user.userId, tx);
      if (created) {
        await this.events.record(tx, 'catalyst.tenant.created', {
          orgId: org.id,
          slug: org.slug,
          name: org.name,
          ownerUserId: user.userId,
        });
      }
      await this.events.record(tx, 'catalyst.order.placed', {
        orderId: order.id,
        userId: user.userId,
        planId: plan.id,
        totalBaisa: plan.priceBaisa,
        orgId: org.id,
      });
      const response: CheckoutResponse = {
        orderId: order.id,
        org: { slug: org.slug, fqdn: org.fqdn },
        balanceBaisa: balance,
        balanceOmr: omr(balance),
      };
      await this.billing.setOrderResponse(tx, order.id, response);
      return response;
    });
  }

  /** Two customers choosing one new slug at once: the second gets the same answer as a taken slug. */
  private async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.billing.db.transaction(work);
    } catch (error) {
      const cause =
        (error as { cause?: { code?: string; constraint?: string } }).cause ??
        (error as { code?: string; constraint?: string });
      if (
        cause?.code === '23505' &&
        /organizations_(slug|fqdn)|domain_allocations_fqdn/.test(cause.constraint ?? '')
      ) {
        throw new AppError(422, 'slug_taken', 'That organization name was just taken; choose another');
      }
      throw error;
    }
  }

  /** Checks a voucher for this customer under its row lock; returns the credit it gives. */
  private async redeemable(tx: Tx, code: string, userId: string): Promise<number> {
    const voucher = await this.billing.lockVoucherForRedemption(tx, code);
    if (!voucher) throw checkoutErrors.notFound();
    if (!voucher.active) throw checkoutErrors.inactive();
    if (voucher.expiresAt && voucher.expiresAt <= new Date()) throw checkoutErrors.expired();
    if (await this.billing.hasRedeemed(tx, code, userId)) throw checkoutErrors.alreadyRedeemed();
    if (voucher.maxRedemptions > 0 && voucher.timesRedeemed >= voucher.maxRedemptions)
      throw checkoutErrors.exhausted();
    return voucher.creditBaisa;
  }

  /**
   * The customer's organization, created on their first checkout with a free subdomain of the tenant
   * pool. Its name is held as a domain allocation too, so no Sovereign and no other organization can
   * take it. A slug the customer chose is refused when it is reserved or taken; a slug made from the
   * organization's name moves on to the next free variant (`acme-2`), as for a taken one.
   */
  private async orgFor(
    tx: Tx,
    input: CheckoutRequest,
    user: Principal,
  ): Promise<{ org: OrgRow; created: boolean }> {
    const existing = await this.orgs.firstOf(user.userId, tx);
    if (existing) return { org: existing, created: false };
    const pool = input.poolDomain ?? this.config.domains.tenantPoolDomains[0];
    if (!pool)
      throw new AppError(
        503,
        'no_tenant_pool',
        'No tenant pool domain is configured (CATALYST_TENANT_POOL_DOMAINS)',
      );
    let slug = input.orgSlug ?? slugFrom(input.orgName ?? user.email.split('@')[0] ?? 'org');
    if (input.orgSlug && this.domains.isReservedLabel(slug)) {
      throw new AppError(
        422,
        'slug_reserved',
        `${slug} is reserved for the control plane; choose another name`,
      );
    }
    if (!(await this.slugFree(tx, slug, pool))) {
      if (input.orgSlug) throw new AppError(422, 'slug_taken', `${slug} is taken; choose another name`);
      const base = slug.slice(0, 27);
      let n = 2;
      do {
        slug = `${base}-${n++}`;
      } while (!(await this.slugFree(tx, slug, pool)));
    }
    if (!(await this.domains.claimTenantName(tx, pool, slug, user.userId))) {
      throw new AppError(422, 'slug_taken', 'That organization name was just taken; choose another');
    }
    const org = await this.orgs.create(tx, {
      slug,
      name: input.orgName ?? slug,
      fqdn: `${slug}.${pool}`,
      poolDomain: pool,
      ownerId: user.userId,
    });
    return { org, created: true };
  }

  /** Free for a new organization: not reserved, no organization has it, no name holder has its FQDN. */
  private async slugFree(tx: Tx, slug: string, pool: string): Promise<boolean> {
    return (
      !this.domains.isReservedLabel(slug) &&
      !(await this.orgs.slugTaken(slug, tx)) &&
      !(await this.domains.findLive(`${slug}.${pool}`, tx))
    );
  }
}
