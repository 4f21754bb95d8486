import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DomainsModule } from '../domains/domains.module.js';
import { HelmwatchModule } from '../helmwatch/helmwatch.module.js';
import { MailModule } from '../mail/mail.module.js';
import { RateLimitModule } from '../ratelimit/rate-limit.module.js';
import { WalletsModule } from '../wallets/wallets.module.js';
import { AppBilling } from './app-billing.service.js';
import { AppInstallsRepository } from './app-installs.repository.js';
import { AppLifecycle } from './app-lifecycle.service.js';
import { OrgAccess } from './org-access.js';
import { OrgDns } from './org-dns.listener.js';
import { OrgMembersController } from './org-members.controller.js';
import { OrgMembersService } from './org-members.service.js';
import { OrgsService } from './orgs.service.js';
import { TenantsController } from './tenants.controller.js';
import { TenantsRepository } from './tenants.repository.js';
import { TenantsService } from './tenants.service.js';

/**
 * A tenant's workspace: organizations, environments and the apps installed in them, deployed into the
 * cluster this Catalyst runs on (AppLifecycle) and paid monthly through WalletsService (AppBilling).
 */
@Module({
  imports: [AuthModule, DomainsModule, HelmwatchModule, MailModule, RateLimitModule, WalletsModule],
  controllers: [TenantsController, OrgMembersController],
  providers: [
    TenantsRepository,
    TenantsService,
    OrgAccess,
    OrgMembersService,
    OrgsService,
    AppInstallsRepository,
    AppBilling,
    AppLifecycle,
    OrgDns,
  ],
  exports: [OrgsService, AppBilling, OrgAccess],
})
export class TenantsModule {}
