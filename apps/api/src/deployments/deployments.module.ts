import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DomainsModule } from '../domains/domains.module.js';
import { HelmwatchModule } from '../helmwatch/helmwatch.module.js';
import { ComponentsService } from './components.service.js';
import { DeploymentFeeds } from './deployment-feeds.js';
import { DeploymentStreamService } from './deployment-stream.service.js';
import { DeploymentsController } from './deployments.controller.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { DeploymentsService } from './deployments.service.js';
import { DeploymentEventsHub } from './events.hub.js';
import { IngestBacklog } from './ingest-backlog.js';
import { RunScheduler } from './run.scheduler.js';
import { RunService } from './run.service.js';
import { StreamSlots } from './stream-slots.js';

@Module({
  imports: [AuthModule, DomainsModule, HelmwatchModule],
  controllers: [DeploymentsController],
  providers: [
    ComponentsService,
    DeploymentsRepository,
    DeploymentsService,
    DeploymentEventsHub,
    DeploymentFeeds,
    DeploymentStreamService,
    { provide: IngestBacklog, useFactory: () => new IngestBacklog() },
    RunScheduler,
    RunService,
    StreamSlots,
  ],
  exports: [DeploymentsService, DeploymentsRepository],
})
export class DeploymentsModule {}
