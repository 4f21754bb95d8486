import { randomUUID } from 'node:crypto';
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
import { BillingRepository, type VoucherRow } from './billing.repository.js';

type Plan = NonNullable<ReturnType<typeof findPlan>>;

/** Why a voucher takes no redemption now (as checkout reports it), or undefined when it takes one. */
function refusalOf(voucher: VoucherRow, now: Date): AppError | undefined {
  if (!voucher.active) return checkoutErrors.inactive();
  if (voucher.expiresAt && voucher.expiresAt <= now) return checkoutErrors.expired();
  if (voucher.maxRedemptions > 0 && voucher.timesRedeemed >= voucher.maxRedemptions)
    return checkoutErrors.exhausted();
  return undefined;
}

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

/** Attempts of a checkout whose voucher changed (e.g. its credit) between its read and its count. */
const CHECKOUT_ATTEMPTS = 3;

/** Thrown inside the transaction when the voucher changed under it: the whole checkout runs again. */
class VoucherChanged extends Error {}

/**
 * The tenant's checkout, in ONE transaction: the redemption (unique per voucher and customer), the
 * credit, the organization if it is new, the order, the plan's charge, the events, and last the
 * voucher's counter. A retried request with the same Idempotency-Key gets the first answer.
 *
 * Many customers redeem one voucher at once, so its row is the hot spot: it is read without a lock
 * and counted by one conditional UPDATE as the transaction's last statement (taken only if the
 * voucher still takes it as read), so its row lock is held for that statement and the commit, not
 * for the whole checkout, and the cap stays exact.
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
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transaction((tx) => this.place(tx, input, plan, user, idempotencyKey));
      } catch (error) {
        if (!(error instanceof VoucherChanged)) throw error;
        if (attempt >= CHECKOUT_ATTEMPTS) throw checkoutErrors.changed();
      }
    }
  }

  private async place(
    tx: Tx,
    input: CheckoutRequest,
    plan: Plan,
    user: Principal,
    idempotencyKey?: string,
  ): Promise<CheckoutResponse> {
    // Held from here on: this customer's checkouts (and anything else moving their money) take turns,
    // so a retried Idempotency-Key sees the first one's order, a voucher is redeemed once per customer,
    // and the voucher's credit and the plan's charge see one balance.
    await this.wallets.lock(tx, user.userId);
    if (idempotencyKey) {
      const earlier = await this.billing.orderByIdempotencyKey(tx, user.userId, idempotencyKey);
      if (earlier?.response) return earlier.response as CheckoutResponse;
    }
    const now = new Date();
    const voucher = input.promoCode
      ? await this.redeemable(tx, input.promoCode, user.userId, now)
      : undefined;
    const credit = voucher?.creditBaisa ?? 0;
    const { org, created } = await this.orgFor(tx, input, user);
    await this.orgs.setPlan(tx, org.id, plan.id);
    const orderId = randomUUID();
    const balance = await this.wallets.settle(tx, user.userId, {
      credit: voucher ? { amountBaisa: credit, reason: `voucher:${voucher.code}`, orderId } : undefined,
      debit: { amountBaisa: plan.priceBaisa, reason: `plan:${plan.id}`, orderId },
    });
    const response: CheckoutResponse = {
      orderId,
      org: { slug: org.slug, fqdn: org.fqdn },
      balanceBaisa: balance,
      balanceOmr: omr(balance),
    };
    await this.billing.insertOrder(tx, {
      id: orderId,
      userId: user.userId,
      orgId: org.id,
      planId: plan.id,
      totalBaisa: plan.priceBaisa,
      promoCode: input.promoCode ?? null,
      idempotencyKey: idempotencyKey ?? null,
      response,
    });
    if (voucher) {
      await this.billing.recordRedemption(tx, voucher.code, user.userId, orderId);
      await this.events.record(tx, 'catalyst.voucher.redeemed', {
        code: voucher.code,
        userId: user.userId,
        orderId,
        creditBaisa: credit,
      });
    }
    if (created) {
      await this.events.record(tx, 'catalyst.tenant.created', {
        orgId: org.id,
        slug: org.slug,
        name: org.name,
        ownerUserId: user.userId,
      });
    }
    await this.events.record(tx, 'catalyst.order.placed', {
      orderId,
      userId: user.userId,
      planId: plan.id,
      totalBaisa: plan.priceBaisa,
      orgId: org.id,
    });
    // Last, so the voucher's row is locked only for this statement and the commit.
    if (voucher && !(await this.billing.countRedemption(tx, voucher.code, credit, now))) {
      throw await this.refusal(tx, voucher.code);
    }
    return response;
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

  /**
   * Checks a voucher for this customer (read without a lock: countRedemption has the last word);
   * returns it when it gives a credit.
   */
  private async redeemable(tx: Tx, code: string, userId: string, now: Date): Promise<VoucherRow> {
    const voucher = await this.billing.voucherForRedemption(tx, code, userId);
    if (!voucher) throw checkoutErrors.notFound();
    const refused = refusalOf(voucher, now);
    if (refused && refused.code !== 'voucher_exhausted') throw refused;
    if (voucher.redeemedByUser) throw checkoutErrors.alreadyRedeemed();
    if (refused) throw refused;
    return voucher;
  }

  /** Why the voucher did not take the redemption after all, as it is now; if it would, it changed: run again. */
  private async refusal(tx: Tx, code: string): Promise<Error> {
    const voucher = await this.billing.liveVoucher(code, tx);
    if (!voucher) return checkoutErrors.notFound();
    return refusalOf(voucher, new Date()) ?? new VoucherChanged();
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
