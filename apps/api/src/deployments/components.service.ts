import {
  BOOTSTRAP_KIT_NAMESPACE,
  type ComponentState,
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
} from './deployments.errors.js';
import { DeploymentsRepository } from './deployments.repository.js';
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

  /** One row per expected kit release; pending until the watch has seen it. */
  async list(id: string): Promise<(ComponentRow & { updatedAt?: string })[]> {
    const row = await this.repo.get(id);
    if (!row) throw deploymentNotFound();
    const stored = new Map((await this.repo.components(id)).map((c) => [c.componentId, c]));
    return expectedKitReleases(row.installSet).map((component) => {
      const seen = stored.get(component);
      return {
        id: component,
        state: (seen?.state ?? 'pending') as ComponentState,
        ...(seen?.message ? { message: seen.message } : {}),
        ...(seen ? { updatedAt: seen.updatedAt.toISOString() } : {}),
      };
    });
  }

  /**
   * Retries one release on the Sovereign, as `flux reconcile --force` would (helmwatch's retryRelease).
   * Requeueing a run that stopped at the kit is the caller's (DeploymentsService.retry).
   */
  async retry(id: string, name: string, user: Principal): Promise<void> {
    const row = await this.repo.get(id);
    if (!row) throw deploymentNotFound();
    const component = componentIdOf(name);
    if (!expectedKitReleases(row.installSet).includes(component)) throw unknownPhaseOrComponent(name);
    if (!row.sealedKubeconfig) {
      throw kubeconfigNotReady('The cluster has not posted its kubeconfig yet; retry the run instead');
    }
    const kubeconfig = loadStoredKubeconfig(row, this.sealer, this.config.deployments.kubeApiPort);
    const release = `${RELEASE_PREFIX}${component}`;
    try {
      await this.helm.retryRelease(kubeconfig, BOOTSTRAP_KIT_NAMESPACE, release);
    } catch (error) {
      if (error instanceof ReleaseNotFoundError) throw releaseNotFound(release);
      throw sovereignUnreachable(release);
    }
    await this.repo.appendEvent(id, {
      type: 'log',
      phase: 'bootstrap-kit',
      stream: 'stdout',
      line: `Retry of ${component} requested by ${user.email}: Flux reconciles ${release} again`,
    });
  }
}
