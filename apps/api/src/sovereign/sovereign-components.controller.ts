import { sovereignComponentListSchema } from '@catalyst/contracts';
import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser, type Principal, Roles } from '../auth/roles.decorator.js';
import { Returns, ZodParam } from '../common/validation.js';
import { SovereignComponentsService } from './sovereign-components.service.js';

/** Kubernetes object names: a namespace is a DNS-1123 label, a release name a DNS-1123 subdomain. */
const namespaceParam = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'not a namespace name');
const releaseParam = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'not a HelmRelease name');

/**
 * A Sovereign's own components (the HelmReleases of its cluster, tenants' apps excluded) and their
 * retry. Each release's last reconcile is its job, so the console derives Jobs from this list.
 */
@Controller('api/v1/sovereign/components')
@Roles('superadmin', 'sovereign-admin')
export class SovereignComponentsController {
  constructor(private readonly components: SovereignComponentsService) {}

  @Get()
  @Returns(sovereignComponentListSchema)
  async list() {
    return { components: await this.components.list() };
  }

  @Post(':namespace/:name/retry')
  @HttpCode(202)
  async retry(
    @ZodParam('namespace', namespaceParam) namespace: string,
    @ZodParam('name', releaseParam) name: string,
    @CurrentUser() user: Principal,
  ) {
    await this.components.retry(namespace, name, user.email);
  }
}
