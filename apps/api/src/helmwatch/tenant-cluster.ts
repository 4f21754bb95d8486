import { findMarketplaceApp, findPlan, plans } from '@catalyst/contracts';
import {
  type KubernetesObject,
  PatchStrategy,
  setHeaderOptions,
  type V1NetworkPolicy,
} from '@kubernetes/client-node';
import type { AppsConfig } from '../config/config.js';
import type { ClusterClients } from './local-cluster.js';

/** The field manager of every server-side apply Catalyst makes (and the owner Kubernetes records). */
const FIELD_MANAGER = 'catalyst';
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  org: 'catalyst.openova.io/org',
  environment: 'catalyst.openova.io/environment',
  tenant: 'catalyst.openova.io/tenant',
  install: 'catalyst.openova.io/install',
} as const;
/** Selects the HelmReleases of tenants' apps (and nothing of the Sovereign's own). */
export const APP_RELEASES = `${LABELS.managedBy}=catalyst,${LABELS.install}`;
const CHART_SOURCE = 'catalyst-apps';
const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';
const FORCE_AT = 'reconcile.fluxcd.io/forceAt';

export interface EnvironmentTarget {
  namespace: string;
  orgId: string;
  orgSlug: string;
  environment: string;
  planId: string;
}

export interface AppTarget extends EnvironmentTarget {
  installId: string;
  appId: string;
  /** The app's public address (https://<app>.<env>.<org fqdn>). */
  url: string;
}

/** `<org>-<env>`: both are DNS labels of at most 31 characters, so the name is a valid namespace. */
export function namespaceOf(orgSlug: string, environment: string): string {
  return `${orgSlug}-${environment}`;
}

function labelsOf(target: EnvironmentTarget): Record<string, string> {
  return {
    [LABELS.managedBy]: 'catalyst',
    [LABELS.org]: target.orgSlug,
    [LABELS.environment]: target.environment,
    [LABELS.tenant]: target.orgId,
  };
}

/**
 * What one environment is on the cluster: its namespace, the plan's quota, a default-deny policy that
 * admits only the ingress controller and the namespace's own pods (an app and its database), and the
 * chart source its apps install from. Each object is applied whole, so applying again converges.
 */
export function environmentManifests(target: EnvironmentTarget, config: AppsConfig): KubernetesObject[] {
  const labels = labelsOf(target);
  const namespace = target.namespace;
  const quota = (findPlan(target.planId) ?? plans[0]).quota;
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'catalyst-plan', namespace, labels },
      spec: {
        hard: {
          'requests.cpu': quota.cpu,
          'limits.cpu': quota.cpu,
          'requests.memory': quota.memory,
          'limits.memory': quota.memory,
          'requests.storage': quota.storage,
          pods: String(quota.pods),
        },
      },
    } as KubernetesObject,
    defaultDeny(target, labels, config),
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: CHART_SOURCE, namespace, labels },
      spec: {
        url: config.chartRepository,
        interval: '1h',
        ...(config.chartRepository.startsWith('oci://') ? { type: 'oci' } : {}),
      },
    } as KubernetesObject,
  ];
}

/**
 * Typed, not a plain object: KubernetesObjectApi serializes built-in kinds through client-node's
 * models, whose NetworkPolicy peer list is the property `_from` (`from` in JSON) — a plain `from`
 * would be dropped without a word.
 */
function defaultDeny(
  target: EnvironmentTarget,
  labels: Record<string, string>,
  config: AppsConfig,
): V1NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'catalyst-default-deny', namespace: target.namespace, labels },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [
        {
          _from: [
            { podSelector: {} },
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': config.ingressNamespace } },
            },
          ],
        },
      ],
    },
  };
}

/** The app's HelmRelease: its Blueprint chart at the catalog's pin, and the values Catalyst sets (nothing secret). */
export function appRelease(target: AppTarget, config: AppsConfig): KubernetesObject {
  const app = findMarketplaceApp(target.appId);
  if (!app) throw new Error(`No app "${target.appId}" in the catalog`);
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: {
      name: app.id,
      namespace: target.namespace,
      labels: { ...labelsOf(target), [LABELS.install]: target.installId },
    },
    spec: {
      releaseName: app.id,
      interval: '30m',
      chart: {
        spec: {
          chart: app.chart.name,
          version: app.chart.version,
          sourceRef: { kind: 'HelmRepository', name: CHART_SOURCE },
        },
      },
      install: { remediation: { retries: 3 } },
      upgrade: { remediation: { retries: 3 } },
      values: {
        global: {
          catalyst: {
            host: new URL(target.url).hostname,
            ingressClassName: config.ingressClass,
            clusterIssuer: config.clusterIssuer,
            org: target.orgSlug,
            environment: target.environment,
          },
        },
      },
    },
  } as KubernetesObject;
}

function isNotFound(error: unknown): boolean {
  const e = error as { code?: number; statusCode?: number } | null;
  return e?.code === 404 || e?.statusCode === 404;
}

/** Server-side apply, Catalyst as field manager, forcing its own fields back: idempotent by nature. */
async function apply(clients: ClusterClients, objects: KubernetesObject[]): Promise<void> {
  for (const object of objects) {
    await clients.objects.patch(
      object,
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
  }
}

async function deleteIfPresent(clients: ClusterClients, object: KubernetesObject): Promise<void> {
  try {
    await clients.objects.delete(object);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

function releaseRef(namespace: string, appId: string): KubernetesObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: appId, namespace },
  };
}

/** Creates (or converges) the environment and the app's HelmRelease. */
export async function installApp(
  clients: ClusterClients,
  target: AppTarget,
  config: AppsConfig,
): Promise<void> {
  await apply(clients, [...environmentManifests(target, config), appRelease(target, config)]);
}

/** Whether the app's HelmRelease exists. */
export async function releaseExists(
  clients: ClusterClients,
  namespace: string,
  appId: string,
): Promise<boolean> {
  try {
    await clients.objects.read(
      releaseRef(namespace, appId) as KubernetesObject & { metadata: { name: string } },
    );
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/**
 * Asks Flux to try the release again, as `flux reconcile --force` would; `resume` also lifts a
 * suspension (the forced upgrade brings the workloads back to the chart's replicas).
 */
export async function reconcileApp(
  clients: ClusterClients,
  namespace: string,
  appId: string,
  options: { resume?: boolean } = {},
): Promise<void> {
  const token = new Date().toISOString();
  await clients.objects.patch(
    {
      ...releaseRef(namespace, appId),
      metadata: { name: appId, namespace, annotations: { [REQUESTED_AT]: token, [FORCE_AT]: token } },
      ...(options.resume ? { spec: { suspend: false } } : {}),
    } as KubernetesObject,
    undefined,
    undefined,
    undefined,
    undefined,
    PatchStrategy.MergePatch,
  );
}

/** Stops the app: Flux leaves its release alone and every workload of the release goes to zero replicas. */
export async function suspendApp(clients: ClusterClients, namespace: string, appId: string): Promise<void> {
  await clients.objects.patch(
    { ...releaseRef(namespace, appId), spec: { suspend: true } } as KubernetesObject,
    undefined,
    undefined,
    undefined,
    undefined,
    PatchStrategy.MergePatch,
  );
  const labelSelector = `app.kubernetes.io/instance=${appId}`;
  const options = { namespace, body: { spec: { replicas: 0 } } };
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  const [deployments, statefulSets] = await Promise.all([
    clients.apps.listNamespacedDeployment({ namespace, labelSelector }),
    clients.apps.listNamespacedStatefulSet({ namespace, labelSelector }),
  ]);
  for (const item of deployments.items) {
    const name = item.metadata?.name;
    if (name) await clients.apps.patchNamespacedDeploymentScale({ ...options, name }, merge);
  }
  for (const item of statefulSets.items) {
    const name = item.metadata?.name;
    if (name) await clients.apps.patchNamespacedStatefulSetScale({ ...options, name }, merge);
  }
}

/** Removes the app's HelmRelease: helm-controller uninstalls the release (its database with it). */
export async function uninstallApp(clients: ClusterClients, namespace: string, appId: string): Promise<void> {
  await deleteIfPresent(clients, releaseRef(namespace, appId));
}

/** Deletes the Secrets the app's chart keeps past an uninstall (generated passwords). */
export async function deleteKeptSecrets(
  clients: ClusterClients,
  namespace: string,
  appId: string,
): Promise<void> {
  const secrets = await clients.objects.list(
    'v1',
    'Secret',
    namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    `app.kubernetes.io/instance=${appId}`,
  );
  for (const secret of secrets.items)
    await deleteIfPresent(clients, { ...secret, apiVersion: 'v1', kind: 'Secret' });
}

/** Deletes the environment's namespace (Kubernetes removes what is left in it). */
export async function deleteEnvironment(clients: ClusterClients, namespace: string): Promise<void> {
  await deleteIfPresent(clients, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
}
