import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module.js';
import { RateLimitModule } from '../ratelimit/rate-limit.module.js';
import { BssController } from '../tenants/bss.controller.js';
import { TenantsController } from '../tenants/tenants.controller.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { BillingController } from './billing.controller.js';
import { BillingRepository } from './billing.repository.js';
import { CheckoutService } from './checkout.service.js';
import { VouchersService } from './vouchers.service.js';

/** Vouchers, checkout and wallets, and the tenant workspace they pay for (one module: one transaction spans both). */
@Module({
  imports: [MailModule, RateLimitModule],
  controllers: [BillingController, TenantsController, BssController],
  providers: [BillingRepository, CheckoutService, VouchersService, TenantsRepository, TenantsService],
})
export class BillingModule {}
