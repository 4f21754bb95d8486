import { type Meta, metaSchema } from '@catalyst/contracts';
import { Controller, Get, Inject } from '@nestjs/common';
import { Public } from '../auth/roles.decorator.js';
import { Returns } from '../common/validation.js';
import { CONFIG, type Config } from '../config/config.js';

/** What the SPA needs to know about this Catalyst before anyone signs in: which role of the product it plays. */
@Controller('api/v1/meta')
@Public()
export class MetaController {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  @Get()
  @Returns(metaSchema)
  meta(): Meta {
    return { mode: this.config.mode };
  }
}
