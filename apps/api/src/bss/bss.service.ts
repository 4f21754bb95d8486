import { type BssOrder, type BssSettings, type BssTenant, omr, plans } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { UsersService } from '../auth/users.service.js';
import { OrdersService } from '../billing/orders.service.js';
import { CONFIG, type Config } from '../config/config.js';
import { MailService } from '../mail/mail.service.js';
import { OrgsService } from '../tenants/orgs.service.js';
import { WalletsService } from '../wallets/wallets.service.js';

/**
 * The BSS read models, joined here from what each feature exports (organizations, wallets, orders,
 * users) rather than from their tables, so no feature's storage leaks into another.
 */
@Injectable()
export class BssService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly orgs: OrgsService,
    private readonly wallets: WalletsService,
    private readonly orderBook: OrdersService,
    private readonly users: UsersService,
    private readonly mail: MailService,
  ) {}

  /** Every organization, newest first, with its owner, the owner's balance, its apps' monthly cost and suspended apps. */
  async tenants(): Promise<BssTenant[]> {
    const orgs = await this.orgs.all();
    const ownerIds = [...new Set(orgs.map((org) => org.ownerId))];
    const [emails, balances, apps] = await Promise.all([
      this.users.emailsOf(ownerIds),
      this.wallets.balances(ownerIds),
      this.orgs.billedApps(),
    ]);
    // One pass over the apps (Map.groupBy is not on Node 20).
    const appsOf = new Map<string, typeof apps>();
    for (const app of apps) appsOf.set(app.orgId, [...(appsOf.get(app.orgId) ?? []), app]);
    return orgs.map((org) => {
      const balance = balances.get(org.ownerId) ?? 0;
      const own = appsOf.get(org.id) ?? [];
      const runRate = own.reduce((sum, app) => sum + app.monthlyPriceBaisa, 0);
      return {
        slug: org.slug,
        name: org.name,
        // organizations.owner_id references users: the owner is always there.
        owner: emails.get(org.ownerId) ?? org.ownerId,
        fqdn: org.fqdn,
        balanceBaisa: balance,
        balanceOmr: omr(balance),
        monthlyRunRateBaisa: runRate,
        monthlyRunRateOmr: omr(runRate),
        suspendedApps: own
          .filter((app) => app.status === 'suspended')
          .map((app) => ({ appId: app.appId, environment: app.environment })),
        createdAt: org.createdAt.toISOString(),
      };
    });
  }

  /** The latest orders, each with its customer's e-mail and its organization's slug. */
  async orders(): Promise<BssOrder[]> {
    const orders = await this.orderBook.recent();
    const [emails, slugs] = await Promise.all([
      this.users.emailsOf([...new Set(orders.map((o) => o.userId))]),
      this.orgs.slugsOf([...new Set(orders.flatMap((o) => (o.orgId ? [o.orgId] : [])))]),
    ]);
    return orders.map((o) => ({
      id: o.id,
      customer: emails.get(o.userId) ?? o.userId,
      org: o.orgId ? (slugs.get(o.orgId) ?? null) : null,
      planId: o.planId,
      totalBaisa: o.totalBaisa,
      totalOmr: omr(o.totalBaisa),
      promoCode: o.promoCode,
      createdAt: o.createdAt.toISOString(),
    }));
  }

  settings(): BssSettings {
    return {
      publicUrl: this.config.publicUrl,
      marketplaceUrl: this.config.marketplaceUrl,
      tenantPoolDomains: this.config.domains.tenantPoolDomains,
      sovereignPoolDomains: this.config.domains.poolDomains,
      nameservers: this.config.domains.nameservers,
      mailMode: this.mail.mode,
      eventsMode: this.config.natsUrl ? 'nats' : 'in-process',
      plans: plans.map((p) => ({ id: p.id, name: p.name, priceOmr: omr(p.priceBaisa) })),
    };
  }
}
