import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { SovereignModule } from '../sovereign/sovereign.module.js';
import { HandoverController } from './handover.controller.js';
import { HandoverRepository } from './handover.repository.js';
import { HandoverService } from './handover.service.js';

/** GET /auth/handover: the Sovereign's side of the one-time handover link from the mothership. */
@Module({
  imports: [AuthModule, SovereignModule],
  controllers: [HandoverController],
  providers: [HandoverService, HandoverRepository],
})
export class HandoverModule {}
