import { Module } from '@nestjs/common';
import { HelmwatchModule } from '../helmwatch/helmwatch.module.js';
import { SovereignController } from './sovereign.controller.js';
import { SovereignService } from './sovereign.service.js';
import { SovereignComponentsController } from './sovereign-components.controller.js';
import { SovereignComponentsService } from './sovereign-components.service.js';

/**
 * The Sovereign's own facts (CATALYST_SOVEREIGN_FILE) and its own components (the HelmReleases of the
 * cluster it runs on), served to its console.
 */
@Module({
  imports: [HelmwatchModule],
  controllers: [SovereignController, SovereignComponentsController],
  providers: [SovereignService, SovereignComponentsService],
  exports: [SovereignService],
})
export class SovereignModule {}
