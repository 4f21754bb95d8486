import { Module } from '@nestjs/common';
import { HelmwatchService } from './helmwatch.service.js';
import { LocalCluster } from './local-cluster.js';

/** Flux HelmReleases on a Sovereign (the bootstrap kit) and on the cluster this Catalyst runs on (tenant apps). */
@Module({
  providers: [HelmwatchService, LocalCluster],
  exports: [HelmwatchService, LocalCluster],
})
export class HelmwatchModule {}
