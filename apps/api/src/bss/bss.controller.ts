import { bssOrderListSchema, bssSettingsSchema, bssTenantListSchema } from '@catalyst/contracts';
import { Controller, Get } from '@nestjs/common';
import { Roles } from '../auth/roles.decorator.js';
import { Returns } from '../common/validation.js';
import { BssService } from './bss.service.js';

/** The Sovereign admin's view of the business: tenants, orders and the settings in force. */
@Controller('api/v1/bss')
@Roles('superadmin', 'sovereign-admin')
export class BssController {
  constructor(private readonly bss: BssService) {}

  @Get('tenants')
  @Returns(bssTenantListSchema)
  async tenantList() {
    return { tenants: await this.bss.tenants() };
  }

  @Get('orders')
  @Returns(bssOrderListSchema)
  async orders() {
    return { orders: await this.bss.orders() };
  }

  @Get('settings')
  @Returns(bssSettingsSchema)
  settings() {
    return this.bss.settings();
  }
}
