import {
  CustomObjectsApi,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import type { HelmRelease } from './helmrelease-state.js';
import { kubeConfigOptions, type SovereignKubeconfig } from './kubeconfig.js';

const GROUP = 'helm.toolkit.fluxcd.io';
const VERSION = 'v2';
const PLURAL = 'helmreleases';
/** Every namespace: the kit lives in flux-system, but a release moved elsewhere must still be seen. */
export const HELMRELEASES_PATH = `/apis/${GROUP}/${VERSION}/${PLURAL}`;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/**
 * A kube-apiserver's HelmReleases, for exactly what Catalyst needs of them: a new Sovereign's (through
 * its kubeconfig) or the cluster this Catalyst runs on (LocalCluster). With `labelSelector`, lists and
 * watches see only the releases it selects.
 */
export class SovereignKube {
  private readonly kc: KubeConfig;
  private readonly api: CustomObjectsApi;

  /**
   * Built from the parsed fields only (never `loadFromString`): client-node would otherwise honour
   * exec plugins, auth providers, file paths and proxies named in the text.
   */
  constructor(
    kubeconfig: SovereignKubeconfig | KubeConfig,
    private readonly labelSelector?: string,
  ) {
    if (kubeconfig instanceof KubeConfig) {
      this.kc = kubeconfig;
    } else {
      this.kc = new KubeConfig();
      this.kc.loadFromOptions(kubeConfigOptions(kubeconfig));
    }
    this.api = this.kc.makeApiClient(CustomObjectsApi);
  }

  async listHelmReleases(): Promise<{ items: HelmRelease[]; resourceVersion: string }> {
    const list = (await this.api.listClusterCustomObject({
      group: GROUP,
      version: VERSION,
      plural: PLURAL,
      ...(this.labelSelector ? { labelSelector: this.labelSelector } : {}),
    })) as {
      items?: HelmRelease[];
      metadata?: { resourceVersion?: string };
    };
    return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  async getHelmRelease(namespace: string, name: string): Promise<HelmRelease> {
    return (await this.api.getNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      plural: PLURAL,
      namespace,
      name,
    })) as HelmRelease;
  }

  /** A JSON merge patch (RFC 7386), e.g. reconcile annotations. */
  async patchHelmRelease(namespace: string, name: string, patch: object): Promise<void> {
    await this.api.patchNamespacedCustomObject(
      { group: GROUP, version: VERSION, plural: PLURAL, namespace, name, body: patch },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  /**
   * Server-side applies each object in order, Catalyst as field manager, forcing its own fields back:
   * applying the same objects again converges (a namespace first, then what goes in it).
   */
  async applyObjects(objects: KubernetesObject[]): Promise<void> {
    const api = KubernetesObjectApi.makeApiClient(this.kc);
    for (const object of objects)
      await api.patch(object, undefined, undefined, 'catalyst', true, PatchStrategy.ServerSideApply);
  }

  /** Watches from `resourceVersion`; `done` fires once, with the error that ended the stream (or null). */
  watchHelmReleases(
    resourceVersion: string,
    onEvent: (type: WatchEventType, object: unknown) => void,
    done: (error: unknown) => void,
  ): Promise<AbortController> {
    return new Watch(this.kc).watch(
      HELMRELEASES_PATH,
      {
        resourceVersion,
        allowWatchBookmarks: true,
        ...(this.labelSelector ? { labelSelector: this.labelSelector } : {}),
      },
      (type, object) => onEvent(type as WatchEventType, object),
      done,
    );
  }
}
