import {
  componentCatalogSchema,
  type InstallSetRequest,
  installSetRequestSchema,
  installSetResponseSchema,
  providerCatalogSchema,
} from '@catalyst/contracts';
import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Returns, ZodBody } from '../common/validation.js';
import { CatalogService } from './catalog.service.js';

/** The catalog is static data from the contracts: any signed-in user may read it. */
@Controller('api/v1/catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('components')
  @Returns(componentCatalogSchema)
  componentCatalog() {
    return this.catalog.componentCatalog();
  }

  @Get('providers')
  @Returns(providerCatalogSchema)
  providerCatalog() {
    return this.catalog.providerCatalog();
  }

  @Post('install-set')
  @HttpCode(200)
  @Returns(installSetResponseSchema)
  resolveInstallSet(@ZodBody(installSetRequestSchema) body: InstallSetRequest) {
    return this.catalog.resolveInstallSet(body.components);
  }
}
