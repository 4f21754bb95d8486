import { type SovereignComponent, TENANT_INSTALL_LABEL } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppError } from '../common/app-error.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { HelmwatchService, ReleaseNotFoundError } from '../helmwatch/helmwatch.service.js';
import { LocalCluster } from '../helmwatch/local-cluster.js';
import { clusterUnreachable, componentNotFound, notASovereign } from './sovereign.errors.js';
import { type ListedRelease, toSovereignComponent } from './sovereign-components.js';

/** The Sovereign's own releases: every HelmRelease that is not a tenant's app. */
const OWN_RELEASES = `!${TENANT_INSTALL_LABEL}`;

/**
 * A Sovereign's own components, read from the HelmReleases of the cluster it runs on (a Sovereign has
 * no deployment record of itself), and their retry. Tenants' apps are not among them.
 */
@Injectable()
export class SovereignComponentsService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly cluster: LocalCluster,
    private readonly helm: HelmwatchService,
  ) {}

  /** Every own component, sorted by namespace and name. */
  async list(): Promise<SovereignComponent[]> {
    const kube = this.releases();
    let items: ListedRelease[];
    try {
      ({ items } = await kube.listHelmReleases());
    } catch (error) {
      throw this.unreachable(error, 'listing HelmReleases');
    }
    return items
      .filter((release) => release.metadata.labels?.[TENANT_INSTALL_LABEL] === undefined)
      .map(toSovereignComponent)
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  /** Has Flux reconcile one own release again (reconcile, force, and reset when Stalled). */
  async retry(namespace: string, name: string, email: string): Promise<void> {
    const kube = this.releases();
    try {
      await this.helm.retryReleaseOn(
        kube,
        namespace,
        name,
        (release) => release.metadata.labels?.[TENANT_INSTALL_LABEL] === undefined,
      );
    } catch (error) {
      if (error instanceof ReleaseNotFoundError) throw componentNotFound(namespace, name);
      throw this.unreachable(error, `retrying ${namespace}/${name}`);
    }
    this.logger.info({ namespace, name, by: email }, 'sovereign component retry requested');
  }

  private releases() {
    if (this.config.mode !== 'sovereign') throw notASovereign();
    return this.cluster.clients().releases(OWN_RELEASES);
  }

  private unreachable(error: unknown, what: string): AppError {
    if (error instanceof AppError) return error;
    this.logger.warn({ err: (error as Error).message, what }, 'cluster API call failed');
    return clusterUnreachable(what);
  }
}
