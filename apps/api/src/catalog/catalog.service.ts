import { components, families, findComponent, installSet, nodeSizes, providers } from '@catalyst/contracts';
import { Injectable } from '@nestjs/common';
import { ValidationError } from '../common/app-error.js';

/** The catalog is static data from the contracts; this service answers questions about it. */
@Injectable()
export class CatalogService {
  componentCatalog() {
    return { families, components };
  }

  providerCatalog() {
    return { providers: providers.map((provider) => ({ ...provider, nodeSizes: nodeSizes[provider.id] })) };
  }

  /** What a selection really installs: mandatory components and dependencies added, in install order. */
  resolveInstallSet(requested: string[]) {
    const issues = requested.flatMap((id, index) =>
      findComponent(id) ? [] : [{ path: `components.${index}`, message: `Unknown component "${id}"` }],
    );
    if (issues.length > 0) throw new ValidationError(issues);
    const selected = new Set(requested);
    const ordered = installSet(requested);
    return { components: ordered, added: ordered.filter((id) => !selected.has(id)) };
  }
}
