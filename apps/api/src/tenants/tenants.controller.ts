import {
  appInstallListSchema,
  appInstallSchema,
  catalogAppListSchema,
  createEnvironmentSchema,
  environmentListSchema,
  environmentNameSchema,
  environmentSchema,
  installAppSchema,
  orgListSchema,
  orgWalletSchema,
  tenantPoolDomainsSchema,
} from '@catalyst/contracts';
import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser, type Principal } from '../auth/roles.decorator.js';
import { Returns, ZodBody, ZodParam, ZodQuery } from '../common/validation.js';
import { TenantsService } from './tenants.service.js';

export const slugParam = z.string().trim().toLowerCase().max(64);

/**
 * A tenant's own workspace: any signed-in user, scoped to the orgs they belong to and to what their role in each
 * allows (OrgAccess).
 */
@Controller('api/v1')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get('orgs')
  @Returns(orgListSchema)
  async orgs(@CurrentUser() user: Principal) {
    return { orgs: await this.tenants.orgs(user) };
  }

  @Delete('orgs/:slug')
  @HttpCode(204)
  async deleteOrg(@ZodParam('slug', slugParam) slug: string, @CurrentUser() user: Principal) {
    await this.tenants.deleteOrg(slug, user);
  }

  @Get('orgs/:slug/wallet')
  @Returns(orgWalletSchema)
  wallet(@ZodParam('slug', slugParam) slug: string, @CurrentUser() user: Principal) {
    return this.tenants.wallet(slug, user);
  }

  @Get('tenant/slug-check')
  slugCheck(
    @ZodQuery(z.strictObject({ slug: z.string().trim().toLowerCase().max(64) })) query: { slug: string },
  ) {
    return this.tenants.slugCheck(query.slug);
  }

  @Get('catalog/apps')
  @Returns(catalogAppListSchema)
  apps() {
    return { apps: this.tenants.catalogApps() };
  }

  @Get('orgs/:slug/environments')
  @Returns(environmentListSchema)
  async environments(@ZodParam('slug', slugParam) slug: string, @CurrentUser() user: Principal) {
    return { environments: await this.tenants.environments(slug, user) };
  }

  @Post('orgs/:slug/environments')
  @Returns(environmentSchema, 201)
  createEnvironment(
    @ZodParam('slug', slugParam) slug: string,
    @ZodBody(createEnvironmentSchema) body: z.infer<typeof createEnvironmentSchema>,
    @CurrentUser() user: Principal,
  ) {
    return this.tenants.createEnvironment(slug, body.name, user);
  }

  @Delete('orgs/:slug/environments/:env')
  @HttpCode(204)
  async deleteEnvironment(
    @ZodParam('slug', slugParam) slug: string,
    @ZodParam('env', environmentNameSchema) env: string,
    @CurrentUser() user: Principal,
  ) {
    await this.tenants.deleteEnvironment(slug, env, user);
  }

  @Get('orgs/:slug/apps')
  @Returns(appInstallListSchema)
  async installs(@ZodParam('slug', slugParam) slug: string, @CurrentUser() user: Principal) {
    return { apps: await this.tenants.installs(slug, user) };
  }

  @Post('orgs/:slug/environments/:env/apps')
  @Returns(appInstallSchema, 201)
  install(
    @ZodParam('slug', slugParam) slug: string,
    @ZodParam('env', environmentNameSchema) env: string,
    @ZodBody(installAppSchema) body: z.infer<typeof installAppSchema>,
    @CurrentUser() user: Principal,
  ) {
    return this.tenants.install(slug, env, body.appId, user);
  }

  @Post('orgs/:slug/apps/:id/retry')
  @HttpCode(202)
  @Returns(appInstallSchema, 202)
  retry(
    @ZodParam('slug', slugParam) slug: string,
    @ZodParam('id', z.uuid()) id: string,
    @CurrentUser() user: Principal,
  ) {
    return this.tenants.retry(slug, id, user);
  }

  /** Answers at once with the app `uninstalling`; it is `removed` (and leaves the list) when the cluster is done. */
  @Delete('orgs/:slug/apps/:id')
  @HttpCode(202)
  @Returns(appInstallSchema, 202)
  uninstall(
    @ZodParam('slug', slugParam) slug: string,
    @ZodParam('id', z.uuid()) id: string,
    @CurrentUser() user: Principal,
  ) {
    return this.tenants.uninstall(slug, id, user);
  }

  @Get('tenant/pool-domains')
  @Returns(tenantPoolDomainsSchema)
  poolDomains() {
    return { poolDomains: this.tenants.poolDomains() };
  }
}
