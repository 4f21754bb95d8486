import {
  type Allocation,
  allocationListQuerySchema,
  allocationListSchema,
  type CommitRequest,
  commitRequestSchema,
  commitResponseSchema,
  domainNameSchema,
  type ReservationRequest,
  releaseResponseSchema,
  reservationRequestSchema,
  reservationSchema,
  type SubdomainCheckRequest,
  subdomainCheckRequestSchema,
  subdomainCheckResponseSchema,
} from '@catalyst/contracts';
import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser, type Principal, Roles } from '../auth/roles.decorator.js';
import { Returns, ZodBody, ZodParam, ZodQuery } from '../common/validation.js';
import { RateLimitService } from '../ratelimit/rate-limit.service.js';
import { DomainsService } from './domains.service.js';

export const CHECK_LIMIT = { name: 'subdomain-check:user', limit: 120, windowSeconds: 60 };

@Controller('api/v1')
export class DomainsController {
  constructor(
    private readonly domains: DomainsService,
    private readonly rateLimits: RateLimitService,
  ) {}

  /** Is `<subdomain>.<poolDomain>` free? Answers every name with a reason, for the wizard to show inline. */
  @Post('subdomains/check')
  @HttpCode(200)
  @Returns(subdomainCheckResponseSchema)
  async check(
    @ZodBody(subdomainCheckRequestSchema) body: SubdomainCheckRequest,
    @CurrentUser() user: Principal,
  ) {
    await this.rateLimits.consume(CHECK_LIMIT, user.userId);
    return this.domains.check(body.poolDomain, body.subdomain);
  }

  @Post('pool/reservations')
  @Roles('superadmin', 'sovereign-admin')
  @Returns(reservationSchema, 201)
  reserve(@ZodBody(reservationRequestSchema) body: ReservationRequest, @CurrentUser() user: Principal) {
    return this.domains.reservePool(body.poolDomain, body.subdomain, user.userId);
  }

  @Post('pool/reservations/:id/commit')
  @HttpCode(200)
  @Roles('superadmin', 'sovereign-admin')
  @Returns(commitResponseSchema)
  async commit(@ZodParam('id', z.uuid()) id: string, @ZodBody(commitRequestSchema) body: CommitRequest) {
    // One load balancer: the region names no record, so this endpoint needs none.
    const allocation = await this.domains.commit(id, [
      { region: 'primary', loadBalancerIP: body.loadBalancerIP },
    ]);
    return { fqdn: allocation.fqdn, state: 'active' as const, loadBalancerIP: body.loadBalancerIP };
  }

  @Get('pool/allocations')
  @Roles('superadmin', 'sovereign-admin')
  @Returns(allocationListSchema)
  async list(@ZodQuery(allocationListQuerySchema) query: z.infer<typeof allocationListQuerySchema>) {
    const allocations: Allocation[] = await this.domains.list(query.poolDomain);
    return { allocations };
  }

  @Delete('pool/allocations/:fqdn')
  @Roles('superadmin', 'sovereign-admin')
  @Returns(releaseResponseSchema)
  async release(@ZodParam('fqdn', domainNameSchema) fqdn: string) {
    await this.domains.release(fqdn);
    return { fqdn, released: true as const };
  }

  /** What the world's resolver sees for a name, against Catalyst's nameservers (manual delegation). */
  @Get('domains/:fqdn/delegation')
  @Roles('superadmin', 'sovereign-admin')
  delegation(@ZodParam('fqdn', domainNameSchema) fqdn: string) {
    return this.domains.checkDelegation(fqdn);
  }
}
