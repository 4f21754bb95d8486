import { z } from 'zod';

/**
 * The HelmReleases of clusters/_template/bootstrap-kit (a contract test keeps this list and the
 * Flux tree in step). `optional` ones are installed only when their catalog component is in the
 * install set; each is named `bp-<id>` in the flux-system namespace.
 */
export const bootstrapKitReleases = [
  { id: 'cilium', optional: false },
  { id: 'cert-manager', optional: false },
  { id: 'flux-operator', optional: false },
  { id: 'flux', optional: false },
  { id: 'crossplane', optional: false },
  { id: 'sealed-secrets', optional: false },
  { id: 'nats-jetstream', optional: false },
  { id: 'openbao', optional: false },
  { id: 'powerdns', optional: false },
  { id: 'gitea', optional: false },
  { id: 'keycloak', optional: true },
  { id: 'catalyst-platform', optional: false },
] as const;

export const BOOTSTRAP_KIT_NAMESPACE = 'flux-system';
export const RELEASE_PREFIX = 'bp-';

/** The kit releases a deployment waits for: every base release, and the optional ones it selected. */
export function expectedKitReleases(installSet: string[]): string[] {
  return bootstrapKitReleases.filter((r) => !r.optional || installSet.includes(r.id)).map((r) => r.id);
}

/** `bp-gitea` → `gitea`; ids without the prefix are returned as they are, so both spellings work. */
export function componentIdOf(releaseName: string): string {
  return releaseName.startsWith(RELEASE_PREFIX) ? releaseName.slice(RELEASE_PREFIX.length) : releaseName;
}

export const componentStates = ['pending', 'installing', 'installed', 'degraded', 'failed'] as const;
export type ComponentState = (typeof componentStates)[number];

export const componentSchema = z.object({
  id: z.string(),
  state: z.enum(componentStates),
  message: z.string().optional(),
  updatedAt: z.iso.datetime().optional(),
});
export const componentListSchema = z.object({ components: z.array(componentSchema) });
