import { z } from 'zod';
import { kitFootprints } from './kit-footprints.js';

/**
 * The HelmReleases of clusters/_template/bootstrap-kit: the one mapping shared by the catalog, the kit and the
 * watcher (contract tests keep the Flux tree, the charts and the catalog in step with it). Each is named
 * `bp-<id>` in the flux-system namespace and installs charts/bp-<id>. `optional` ones are Kustomize Components
 * (components/<id>/) included only when their catalog component is in the install set; the others are the base
 * kit: every mandatory catalog component and the platform's own releases. `dependsOn` is the release's Flux
 * dependsOn (ids): the seed's chain where it has one (cilium → cert-manager → flux → crossplane; cert-manager →
 * sealed-secrets; keycloak → gitea → catalyst-platform; external-dns after powerdns; harbor after cnpg and
 * seaweedfs; grafana after cnpg, loki, mimir, tempo and keycloak), the catalog's dependencies elsewhere, and the
 * CNI (cilium) for the rest, since no pod runs before it.
 */
export const bootstrapKitReleases = [
  // Base kit: the platform's own releases and every mandatory catalog component.
  { id: 'cilium', optional: false, dependsOn: [] },
  { id: 'cert-manager', optional: false, dependsOn: ['cilium'] },
  { id: 'flux-operator', optional: false, dependsOn: ['cilium'] },
  { id: 'flux', optional: false, dependsOn: ['cert-manager', 'flux-operator'] },
  { id: 'crossplane', optional: false, dependsOn: ['flux'] },
  { id: 'sealed-secrets', optional: false, dependsOn: ['cert-manager'] },
  { id: 'nats-jetstream', optional: false, dependsOn: ['cilium'] },
  { id: 'openbao', optional: false, dependsOn: ['cilium'] },
  { id: 'cnpg', optional: false, dependsOn: ['flux'] },
  { id: 'valkey', optional: false, dependsOn: ['flux'] },
  { id: 'powerdns', optional: false, dependsOn: ['cert-manager', 'cnpg'] },
  { id: 'external-dns', optional: false, dependsOn: ['cert-manager', 'powerdns'] },
  { id: 'gitea', optional: false, dependsOn: ['cert-manager', 'cnpg'] },
  { id: 'opentofu', optional: false, dependsOn: ['flux'] },
  { id: 'coraza', optional: false, dependsOn: ['cert-manager', 'envoy'] },
  { id: 'envoy', optional: false, dependsOn: ['cilium'] },
  { id: 'vpa', optional: false, dependsOn: ['cilium'] },
  { id: 'keda', optional: false, dependsOn: ['cilium'] },
  { id: 'reloader', optional: false, dependsOn: ['cilium'] },
  { id: 'seaweedfs', optional: false, dependsOn: ['flux', 'cert-manager'] },
  { id: 'velero', optional: false, dependsOn: ['seaweedfs'] },
  { id: 'harbor', optional: false, dependsOn: ['cnpg', 'seaweedfs', 'valkey', 'cert-manager'] },
  { id: 'kyverno', optional: false, dependsOn: ['cilium'] },
  { id: 'external-secrets', optional: false, dependsOn: ['openbao', 'cert-manager'] },
  { id: 'kserve', optional: false, dependsOn: ['cert-manager'] },
  {
    id: 'catalyst-platform',
    optional: false,
    dependsOn: [
      'cert-manager',
      'nats-jetstream',
      'powerdns',
      'openbao',
      'gitea',
      'crossplane',
      'sealed-secrets',
      'flux',
    ],
  },
  // Optional: installed when selected.
  { id: 'strongswan', optional: true, dependsOn: ['cilium'] },
  { id: 'falco', optional: true, dependsOn: ['cilium'] },
  { id: 'trivy', optional: true, dependsOn: ['cert-manager'] },
  { id: 'sigstore', optional: true, dependsOn: ['cert-manager'] },
  { id: 'keycloak', optional: true, dependsOn: ['cert-manager', 'cnpg'] },
  { id: 'opentelemetry', optional: true, dependsOn: ['cert-manager'] },
  { id: 'alloy', optional: true, dependsOn: ['opentelemetry'] },
  { id: 'loki', optional: true, dependsOn: ['seaweedfs'] },
  { id: 'mimir', optional: true, dependsOn: ['seaweedfs'] },
  { id: 'tempo', optional: true, dependsOn: ['seaweedfs'] },
  { id: 'grafana', optional: true, dependsOn: ['cnpg', 'loki', 'mimir', 'tempo', 'keycloak'] },
  { id: 'opensearch', optional: true, dependsOn: ['cilium'] },
  { id: 'litmus', optional: true, dependsOn: ['cilium'] },
  { id: 'strimzi', optional: true, dependsOn: ['cilium'] },
  { id: 'debezium', optional: true, dependsOn: ['strimzi'] },
  { id: 'flink', optional: true, dependsOn: ['cert-manager'] },
  { id: 'temporal', optional: true, dependsOn: ['cnpg'] },
  { id: 'clickhouse', optional: true, dependsOn: ['cilium'] },
  { id: 'ferretdb', optional: true, dependsOn: ['cnpg'] },
  { id: 'iceberg', optional: true, dependsOn: ['seaweedfs', 'cnpg'] },
  { id: 'knative', optional: true, dependsOn: ['cilium'] },
  { id: 'neo4j', optional: true, dependsOn: ['cilium'] },
  { id: 'vllm', optional: true, dependsOn: ['cilium'] },
  { id: 'milvus', optional: true, dependsOn: ['seaweedfs'] },
  { id: 'bge', optional: true, dependsOn: ['cilium'] },
  { id: 'langfuse', optional: true, dependsOn: ['cnpg', 'keycloak', 'cert-manager'] },
  { id: 'librechat', optional: true, dependsOn: ['ferretdb'] },
  { id: 'stalwart', optional: true, dependsOn: ['cert-manager'] },
  { id: 'livekit', optional: true, dependsOn: ['cert-manager'] },
  { id: 'stunner', optional: true, dependsOn: ['cilium'] },
  { id: 'matrix', optional: true, dependsOn: ['cnpg'] },
  { id: 'ntfy', optional: true, dependsOn: ['cilium'] },
] as const satisfies readonly { id: string; optional: boolean; dependsOn: readonly string[] }[];

export const BOOTSTRAP_KIT_NAMESPACE = 'flux-system';
export const RELEASE_PREFIX = 'bp-';

/** The kit releases a deployment waits for: every base release, and the optional ones it selected. */
export function expectedKitReleases(installSet: string[]): string[] {
  return bootstrapKitReleases.filter((r) => !r.optional || installSet.includes(r.id)).map((r) => r.id);
}

/** What an install set's kit releases request in all (kit-footprints.ts): the wizard checks it against the nodes. */
export function installSetFootprint(installSet: string[]): { cpuMillis: number; memoryMiB: number } {
  return expectedKitReleases(installSet).reduce(
    (total, id) => ({
      cpuMillis: total.cpuMillis + (kitFootprints[id]?.cpuMillis ?? 0),
      memoryMiB: total.memoryMiB + (kitFootprints[id]?.memoryMiB ?? 0),
    }),
    { cpuMillis: 0, memoryMiB: 0 },
  );
}

/** The releases every Sovereign runs, whatever was selected. */
export const baseKitSize = bootstrapKitReleases.filter((r) => !r.optional).length;

/**
 * How much longer than configured a run waits for its kit: the configured first-seen and overall timeouts are for
 * the base kit, and an install set with more releases gets proportionally more (Flux applies and reconciles them
 * in dependency order, so a longer chain takes longer). Never less than the configured values.
 */
export function kitTimeoutScale(expectedReleases: number): number {
  return Math.max(1, expectedReleases / baseKitSize);
}

/** `bp-gitea` → `gitea`; ids without the prefix are returned as they are, so both spellings work. */
export function componentIdOf(releaseName: string): string {
  return releaseName.startsWith(RELEASE_PREFIX) ? releaseName.slice(RELEASE_PREFIX.length) : releaseName;
}

export const componentStates = ['pending', 'installing', 'installed', 'degraded', 'failed'] as const;
export type ComponentState = (typeof componentStates)[number];

export const componentSchema = z.object({
  id: z.string(),
  /** The region whose cluster runs it (a deployment's components); absent for a Sovereign's own cluster. */
  region: z.string().optional(),
  state: z.enum(componentStates),
  message: z.string().optional(),
  updatedAt: z.iso.datetime().optional(),
});
export const componentListSchema = z.object({ components: z.array(componentSchema) });
