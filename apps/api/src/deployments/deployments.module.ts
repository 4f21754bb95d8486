import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { ComponentsService } from './components.service.js';
import { DeploymentsController } from './deployments.controller.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { DeploymentsService } from './deployments.service.js';
import { DeploymentEventsHub } from './events.hub.js';
import { RunScheduler } from './run.scheduler.js';
import { RunService } from './run.service.js';

@Module({
  imports: [DomainsModule],
  controllers: [DeploymentsController],
  providers: [
    ComponentsService,
    DeploymentsRepository,
    DeploymentsService,
    DeploymentEventsHub,
    RunScheduler,
    RunService,
  ],
  exports: [DeploymentsService, DeploymentsRepository],
})
export class DeploymentsModule {}
