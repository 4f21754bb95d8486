import { Module } from '@nestjs/common';
import { SovereignController } from './sovereign.controller.js';
import { SovereignService } from './sovereign.service.js';

/** The Sovereign's own facts (CATALYST_SOVEREIGN_FILE), served to its console. */
@Module({
  controllers: [SovereignController],
  providers: [SovereignService],
  exports: [SovereignService],
})
export class SovereignModule {}
