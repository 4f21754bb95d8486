import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { DeploymentsController } from './deployments.controller.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { DeploymentsService } from './deployments.service.js';
import { DeploymentEventsHub } from './events.hub.js';
import { RunScheduler } from './run.scheduler.js';
import { RunService } from './run.service.js';

@Module({
  imports: [DomainsModule],
  controllers: [DeploymentsController],
  providers: [DeploymentsRepository, DeploymentsService, DeploymentEventsHub, RunScheduler, RunService],
  exports: [DeploymentsService, DeploymentsRepository],
})
export class DeploymentsModule {}
