import { Controller, Get, Inject } from '@nestjs/common';
import { Public } from '../auth/roles.decorator.js';
import { CONFIG, type Config } from '../config/config.js';
import { OpenApiService } from './openapi.service.js';

@Controller('api/docs')
@Public()
export class OpenApiController {
  constructor(
    private readonly openapi: OpenApiService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** The OpenAPI 3.1 document of this api. */
  @Get()
  document() {
    return this.openapi.build({ title: 'Catalyst API', version: '0.1.0', serverUrl: this.config.publicUrl });
  }
}
