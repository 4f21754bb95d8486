import {
  componentCatalogSchema,
  components,
  families,
  findComponent,
  type InstallSetRequest,
  installSet,
  installSetRequestSchema,
  installSetResponseSchema,
  nodeSizes,
  providerCatalogSchema,
  providers,
} from '@catalyst/contracts';
import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ValidationError } from '../common/app-error.js';
import { Returns, ZodBody } from '../common/validation.js';

/** The catalog is static data from the contracts: any signed-in user may read it. */
@Controller('api/v1/catalog')
export class CatalogController {
  @Get('components')
  @Returns(componentCatalogSchema)
  componentCatalog() {
    return { families, components };
  }

  @Get('providers')
  @Returns(providerCatalogSchema)
  providerCatalog() {
    return { providers: providers.map((provider) => ({ ...provider, nodeSizes: nodeSizes[provider.id] })) };
  }

  /** What a selection really installs: mandatory components and dependencies added, in install order. */
  @Post('install-set')
  @HttpCode(200)
  @Returns(installSetResponseSchema)
  resolveInstallSet(@ZodBody(installSetRequestSchema) body: InstallSetRequest) {
    const issues = body.components.flatMap((id, index) =>
      findComponent(id) ? [] : [{ path: `components.${index}`, message: `Unknown component "${id}"` }],
    );
    if (issues.length > 0) throw new ValidationError(issues);
    const selected = new Set(body.components);
    const ordered = installSet(body.components);
    return { components: ordered, added: ordered.filter((id) => !selected.has(id)) };
  }
}
