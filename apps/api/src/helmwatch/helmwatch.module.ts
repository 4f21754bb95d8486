import { Module } from '@nestjs/common';
import { HelmwatchService } from './helmwatch.service.js';

/** Flux HelmReleases on a Sovereign: used by deployments (the bootstrap kit) and, later, app installs. */
@Module({
  providers: [HelmwatchService],
  exports: [HelmwatchService],
})
export class HelmwatchModule {}
