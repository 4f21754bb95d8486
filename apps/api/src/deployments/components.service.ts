import {
  BOOTSTRAP_KIT_NAMESPACE,
  type ComponentState,
  componentIdOf,
  type Deployment,
  expectedKitReleases,
  RELEASE_PREFIX,
} from '@catalyst/contracts';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/roles.decorator.js';
import { AppError, NotFoundError } from '../common/app-error.js';
import { Sealer } from '../crypto/sealer.js';
import { SovereignKube } from '../helmwatch/kube.client.js';
import { DeploymentsRepository } from './deployments.repository.js';

type ComponentRow = Deployment['components'][number];

/** The bootstrap kit of a deployment: what the watch last saw, and asking Flux to try a release again. */
@Injectable()
export class ComponentsService {
  constructor(
    private readonly repo: DeploymentsRepository,
    private readonly sealer: Sealer,
  ) {}

  /** One row per expected kit release; pending until the watch has seen it. */
  async list(id: string): Promise<(ComponentRow & { updatedAt?: string })[]> {
    const row = await this.repo.get(id);
    if (!row) throw new NotFoundError('No deployment has this id', 'deployment_not_found');
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
   * Retries one release through the api, as `flux reconcile --force` would: the reconcile and force
   * annotations (plus a reset when helm-controller gave up, Stalled). A run that stopped at the
   * bootstrap kit is queued again so the watch follows the retry.
   */
  async retry(id: string, name: string, user: Principal): Promise<{ requeued: boolean }> {
    const row = await this.repo.get(id);
    if (!row) throw new NotFoundError('No deployment has this id', 'deployment_not_found');
    const component = componentIdOf(name);
    if (!expectedKitReleases(row.installSet).includes(component)) {
      throw new AppError(
        400,
        'unknown_phase',
        `"${name}" is neither a phase nor a bootstrap-kit component of this deployment`,
      );
    }
    if (!row.sealedKubeconfig) {
      throw new AppError(
        409,
        'kubeconfig_not_ready',
        'The cluster has not posted its kubeconfig yet; retry the run instead',
      );
    }
    const kube = new SovereignKube(this.sealer.unseal(row.sealedKubeconfig, id));
    const release = `${RELEASE_PREFIX}${component}`;
    const token = new Date().toISOString();
    try {
      const current = await kube.getHelmRelease(BOOTSTRAP_KIT_NAMESPACE, release);
      const stalled = current.status?.conditions?.some((c) => c.type === 'Stalled' && c.status === 'True');
      await kube.patchHelmRelease(BOOTSTRAP_KIT_NAMESPACE, release, {
        metadata: {
          annotations: {
            'reconcile.fluxcd.io/requestedAt': token,
            'reconcile.fluxcd.io/forceAt': token,
            ...(stalled ? { 'reconcile.fluxcd.io/resetAt': token } : {}),
          },
        },
      });
    } catch (error) {
      const status = (error as { code?: number }).code;
      if (status === 404)
        throw new AppError(409, 'release_not_found', `${release} is not on the cluster yet`);
      throw new AppError(
        502,
        'sovereign_unreachable',
        `The Sovereign's API did not accept the retry of ${release}`,
      );
    }
    await this.repo.appendEvent(id, {
      type: 'log',
      phase: 'bootstrap-kit',
      stream: 'stdout',
      line: `Retry of ${component} requested by ${user.email}: Flux reconciles ${release} again`,
    });
    return { requeued: await this.requeueKitWatch(id) };
  }

  /** A run that stopped at the kit watches again (from the bootstrap-kit phase). */
  private async requeueKitWatch(id: string): Promise<boolean> {
    return this.repo.db.transaction(async (tx) => {
      const row = await this.repo.lock(tx, id);
      const phases = await this.repo.phases(id, tx);
      const kit = phases.find((p) => p.name === 'bootstrap-kit');
      if (!row || !kit || (row.status !== 'failed' && row.status !== 'cancelled') || kit.status !== 'failed')
        return false;
      await this.repo.resetPhasesFrom(tx, id, kit.position);
      await this.repo.update(
        id,
        { status: 'queued', kind: 'provision', error: null, cancelRequestedAt: null },
        tx,
      );
      await this.repo.appendEvent(id, { type: 'deployment', status: 'queued' }, tx);
      return true;
    });
  }
}
