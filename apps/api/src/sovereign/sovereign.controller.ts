import { sovereignFactsResponseSchema } from '@catalyst/contracts';
import { Controller, Get } from '@nestjs/common';
import { Roles } from '../auth/roles.decorator.js';
import { Returns } from '../common/validation.js';
import { SovereignService } from './sovereign.service.js';

/** The Sovereign's facts about itself, for its console. */
@Controller('api/v1/sovereign')
@Roles('superadmin', 'sovereign-admin')
export class SovereignController {
  constructor(private readonly sovereign: SovereignService) {}

  @Get()
  @Returns(sovereignFactsResponseSchema)
  facts() {
    return { facts: this.sovereign.current() };
  }
}
