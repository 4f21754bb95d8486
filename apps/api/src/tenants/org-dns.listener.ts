import type { DomainEvent } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { DomainsService } from '../domains/domains.service.js';
import { OrgsService } from './orgs.service.js';

/**
 * A new organization's name resolves: `<slug>.<pool>` and `*.<slug>.<pool>` point at the Sovereign's
 * ingress (DomainsService writes them into PowerDNS; running it again changes nothing). A deleted
 * organization's records go.
 */
@Injectable()
export class OrgDns {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly orgs: OrgsService,
    private readonly domains: DomainsService,
  ) {}

  @OnEvent('catalyst.tenant.created')
  async onTenantCreated(event: DomainEvent<'catalyst.tenant.created'>): Promise<void> {
    const org = await this.orgs.byId(event.payload.orgId);
    if (!org) return;
    const result = await this.domains.publishTenantOrg({ fqdn: org.fqdn, poolDomain: org.poolDomain });
    if (!result.published)
      this.logger.warn({ org: org.slug, reason: result.reason }, 'no DNS records for the new organization');
  }

  @OnEvent('catalyst.tenant.deleted')
  async onTenantDeleted(event: DomainEvent<'catalyst.tenant.deleted'>): Promise<void> {
    const { fqdn, poolDomain } = event.payload;
    const result = await this.domains.withdrawTenantOrg({ fqdn, poolDomain });
    if ('reason' in result)
      this.logger.warn({ fqdn, reason: result.reason }, 'DNS records of the organization left');
  }
}
