import {
  BOOTSTRAP_KIT_NAMESPACE,
  componentIdOf,
  type Deployment,
  expectedKitReleases,
  RELEASE_PREFIX,
} from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/roles.decorator.js';
import { CONFIG, type Config } from '../config/config.js';
import { Sealer } from '../crypto/sealer.js';
import { HelmwatchService, ReleaseNotFoundError } from '../helmwatch/helmwatch.service.js';
import {
  deploymentNotFound,
  kubeconfigNotReady,
  releaseNotFound,
  sovereignUnreachable,
  unknownPhaseOrComponent,
  unknownRegion,
} from './deployments.errors.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { kitComponents } from './region-snapshot.js';
import { loadStoredKubeconfig } from './stored-kubeconfig.js';

type ComponentRow = Deployment['components'][number];

/** The bootstrap kit of a deployment: what the watch last saw, and asking Flux to try a release again. */
@Injectable()
export class ComponentsService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly repo: DeploymentsRepository,
    private readonly sealer: Sealer,
    private readonly helm: HelmwatchService,
  ) {}

  /** One row per region and expected kit release; pending until the region's watch has seen it. */
  async list(id: string): Promise<(ComponentRow & { updatedAt?: string })[]> {
    const row = await this.repo.get(id);
    if (!row) throw deploymentNotFound();
    const regions = (await this.repo.regions(id)).map((r) => r.region);
    return kitComponents(row.installSet, regions, await this.repo.components(id));
  }

  /**
   * Retries one release on the Sovereign, as `flux reconcile --force` would (helmwatch's retryRelease): in
   * `region`, or in every region whose cluster has posted its kubeconfig when none is named.
   * Requeueing a run that stopped at the kit is the caller's (DeploymentsService.retry).
   */
  async retry(id: string, name: string, user: Principal, region?: string): Promise<void> {
    const row = await this.repo.get(id);
    if (!row) throw deploymentNotFound();
    const component = componentIdOf(name);
    if (!expectedKitReleases(row.installSet).includes(component)) throw unknownPhaseOrComponent(name);
    const regions = await this.repo.regions(id);
    if (region !== undefined && !regions.some((r) => r.region === region)) throw unknownRegion(region);
    const targets = regions.filter(
      (r) => (region === undefined || r.region === region) && r.sealedKubeconfig,
    );
    if (!targets.length) {
      throw kubeconfigNotReady('The cluster has not posted its kubeconfig yet; retry the run instead');
    }
    const release = `${RELEASE_PREFIX}${component}`;
    for (const target of targets) {
      const kubeconfig = loadStoredKubeconfig(
        { ...target, id, fqdn: row.fqdn },
        this.sealer,
        this.config.deployments.kubeApiPort,
      );
      try {
        await this.helm.retryRelease(kubeconfig, BOOTSTRAP_KIT_NAMESPACE, release);
      } catch (error) {
        if (error instanceof ReleaseNotFoundError) throw releaseNotFound(release);
        throw sovereignUnreachable(release);
      }
    }
    const where = regions.length > 1 ? ` in ${targets.map((t) => t.region).join(', ')}` : '';
    await this.repo.appendEvent(id, {
      type: 'log',
      phase: 'bootstrap-kit',
      stream: 'stdout',
      line: `Retry of ${component} requested by ${user.email}: Flux reconciles ${release} again${where}`,
    });
  }
}
