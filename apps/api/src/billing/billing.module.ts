import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { MailModule } from '../mail/mail.module.js';
import { RateLimitModule } from '../ratelimit/rate-limit.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { WalletsModule } from '../wallets/wallets.module.js';
import { BillingController } from './billing.controller.js';
import { BillingRepository } from './billing.repository.js';
import { CheckoutService } from './checkout.service.js';
import { OrdersService } from './orders.service.js';
import { VouchersService } from './vouchers.service.js';

/**
 * Vouchers, checkout and orders. Checkout's one transaction is shared with tenants (OrgsService) and
 * wallets (WalletsService) by passing `tx`; neither of them depends on billing, so there is no cycle.
 */
@Module({
  imports: [MailModule, RateLimitModule, DomainsModule, TenantsModule, WalletsModule],
  controllers: [BillingController],
  providers: [BillingRepository, CheckoutService, VouchersService, OrdersService],
  exports: [OrdersService],
})
export class BillingModule {}
