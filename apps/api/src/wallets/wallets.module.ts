import { Module } from '@nestjs/common';
import { WalletsRepository } from './wallets.repository.js';
import { WalletsService } from './wallets.service.js';

/**
 * Wallets are their own module so that billing (checkout) and tenants (app installs) can both pay
 * through WalletsService without importing each other: billing → tenants → wallets, no cycle.
 */
@Module({
  providers: [WalletsRepository, WalletsService],
  exports: [WalletsService],
})
export class WalletsModule {}
