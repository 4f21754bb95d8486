import type { ComponentState } from '@catalyst/contracts';
import type { KubernetesObject } from '@kubernetes/client-node';
import { Injectable } from '@nestjs/common';
import { deriveState, type HelmRelease } from './helmrelease-state.js';
import { type KitWatchOptions, watchKit } from './kit-watch.js';
import { SovereignKube } from './kube.client.js';
import type { SovereignKubeconfig } from './kubeconfig.js';

/** An object to apply to a Sovereign's cluster (so callers outside helmwatch/ need no kube client types). */
export type ClusterObject = KubernetesObject;

export { type ComponentStatus, KitWatchFailed, type KitWatchOptions } from './kit-watch.js';

/** The release asked for is not on the Sovereign (yet). */
export class ReleaseNotFoundError extends Error {
  constructor(namespace: string, name: string) {
    super(`HelmRelease ${namespace}/${name} is not on the cluster`);
  }
}

/** A HelmRelease as the operator reads it: where it is, and its state by the kstatus rules. */
export interface ReleaseSummary {
  namespace: string;
  name: string;
  state: ComponentState;
  message?: string;
}

/**
 * A Sovereign's Helm releases, seen through Flux's HelmRelease objects: follow a set to Ready, ask
 * for one to be tried again, list them. The only place a kube client is built, and only from a
 * kubeconfig the strict parser (kubeconfig.ts) produced, so nothing in the posted text reaches it.
 */
@Injectable()
export class HelmwatchService {
  /** Follows the bootstrap kit until it converges (resolves) or cannot (rejects with KitWatchFailed). */
  watchKit(kubeconfig: SovereignKubeconfig, options: KitWatchOptions): Promise<void> {
    return watchKit(new SovereignKube(kubeconfig), options);
  }

  /**
   * Has Flux try one release again, as `flux reconcile --force` would: the reconcile and force
   * annotations, plus a reset when helm-controller gave up on it (Stalled).
   */
  retryRelease(kubeconfig: SovereignKubeconfig, namespace: string, name: string): Promise<void> {
    return this.retryReleaseOn(new SovereignKube(kubeconfig), namespace, name);
  }

  /**
   * The same retry on a cluster client already built (LocalCluster's, for a Sovereign's own releases).
   * A release `accept` refuses is treated as absent (ReleaseNotFoundError) and left untouched.
   */
  async retryReleaseOn(
    kube: SovereignKube,
    namespace: string,
    name: string,
    accept: (release: HelmRelease) => boolean = () => true,
  ): Promise<void> {
    const token = new Date().toISOString();
    try {
      const current = await kube.getHelmRelease(namespace, name);
      if (!accept(current)) throw new ReleaseNotFoundError(namespace, name);
      const stalled = current.status?.conditions?.some((c) => c.type === 'Stalled' && c.status === 'True');
      await kube.patchHelmRelease(namespace, name, {
        metadata: {
          annotations: {
            'reconcile.fluxcd.io/requestedAt': token,
            'reconcile.fluxcd.io/forceAt': token,
            ...(stalled ? { 'reconcile.fluxcd.io/resetAt': token } : {}),
          },
        },
      });
    } catch (error) {
      if ((error as { code?: number }).code === 404) throw new ReleaseNotFoundError(namespace, name);
      throw error;
    }
  }

  /** Server-side applies `objects` on the Sovereign, in order (idempotent: the same objects again converge). */
  applyObjects(kubeconfig: SovereignKubeconfig, objects: ClusterObject[]): Promise<void> {
    return new SovereignKube(kubeconfig).applyObjects(objects);
  }

  /** Every HelmRelease on the Sovereign, in every namespace, sorted by namespace and name. */
  async listReleases(kubeconfig: SovereignKubeconfig): Promise<ReleaseSummary[]> {
    const { items } = await new SovereignKube(kubeconfig).listHelmReleases();
    return items
      .map((release) => ({
        namespace: release.metadata.namespace ?? '',
        name: release.metadata.name,
        ...deriveState(release),
      }))
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }
}
