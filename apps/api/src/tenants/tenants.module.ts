import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { WalletsModule } from '../wallets/wallets.module.js';
import { OrgsService } from './orgs.service.js';
import { TenantsController } from './tenants.controller.js';
import { TenantsRepository } from './tenants.repository.js';
import { TenantsService } from './tenants.service.js';

/** A tenant's workspace: organizations, environments and app installs (paid through WalletsService). */
@Module({
  imports: [DomainsModule, WalletsModule],
  controllers: [TenantsController],
  providers: [TenantsRepository, TenantsService, OrgsService],
  exports: [OrgsService],
})
export class TenantsModule {}
