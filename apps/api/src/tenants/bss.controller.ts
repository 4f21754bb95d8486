import { bssOrderListSchema, bssSettingsSchema, bssTenantListSchema, omr, plans } from '@catalyst/contracts';
import { Controller, Get, Inject } from '@nestjs/common';
import { Roles } from '../auth/roles.decorator.js';
import { BillingRepository } from '../billing/billing.repository.js';
import { Returns } from '../common/validation.js';
import { CONFIG, type Config } from '../config/config.js';
import { MailService } from '../mail/mail.service.js';
import { TenantsRepository } from './tenants.repository.js';

/** The Sovereign admin's view of the business: tenants, orders and the settings in force. */
@Controller('api/v1/bss')
@Roles('superadmin', 'sovereign-admin')
export class BssController {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly tenants: TenantsRepository,
    private readonly billing: BillingRepository,
    private readonly mail: MailService,
  ) {}

  @Get('tenants')
  @Returns(bssTenantListSchema)
  async tenantList() {
    const rows = await this.tenants.allOrgs();
    const balances = await this.billing.balances([...new Set(rows.map((r) => r.ownerId))]);
    const tenants = rows.map(({ org, owner, ownerId }) => {
      const balance = balances.get(ownerId) ?? 0;
      return {
        slug: org.slug,
        name: org.name,
        owner,
        fqdn: org.fqdn,
        balanceBaisa: balance,
        balanceOmr: omr(balance),
        createdAt: org.createdAt.toISOString(),
      };
    });
    return { tenants };
  }

  @Get('orders')
  @Returns(bssOrderListSchema)
  async orders() {
    const [orders, orgs] = await Promise.all([this.billing.listOrders(), this.tenants.allOrgs()]);
    const slugs = new Map(orgs.map(({ org }) => [org.id, org.slug]));
    const owners = new Map(orgs.map(({ ownerId, owner }) => [ownerId, owner]));
    return {
      orders: orders.map((o) => ({
        id: o.id,
        customer: owners.get(o.userId) ?? o.userId,
        org: o.orgId ? (slugs.get(o.orgId) ?? null) : null,
        planId: o.planId,
        totalBaisa: o.totalBaisa,
        totalOmr: omr(o.totalBaisa),
        promoCode: o.promoCode,
        createdAt: o.createdAt.toISOString(),
      })),
    };
  }

  @Get('settings')
  @Returns(bssSettingsSchema)
  settings() {
    return {
      publicUrl: this.config.publicUrl,
      marketplaceUrl: this.config.marketplaceUrl,
      tenantPoolDomains: this.config.domains.tenantPoolDomains,
      sovereignPoolDomains: this.config.domains.poolDomains,
      nameservers: this.config.domains.nameservers,
      mailMode: this.mail.mode,
      eventsMode: this.config.natsUrl ? ('nats' as const) : ('in-process' as const),
      plans: plans.map((p) => ({ id: p.id, name: p.name, priceOmr: omr(p.priceBaisa) })),
    };
  }
}
