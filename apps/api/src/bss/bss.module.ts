import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { BillingModule } from '../billing/billing.module.js';
import { MailModule } from '../mail/mail.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { WalletsModule } from '../wallets/wallets.module.js';
import { BssController } from './bss.controller.js';
import { BssService } from './bss.service.js';

/** The Sovereign admin's business view; it only reads, through the services the other features export. */
@Module({
  imports: [AuthModule, BillingModule, MailModule, TenantsModule, WalletsModule],
  controllers: [BssController],
  providers: [BssService],
})
export class BssModule {}
