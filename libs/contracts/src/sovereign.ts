import { z } from 'zod';
import { componentStates } from './bootstrap-kit.js';
import { providerIdSchema } from './catalog.js';
import { domainNameSchema } from './domains.js';

/**
 * One region of a Sovereign as it was provisioned: the request's `topology.regions[]` entry, with
 * `cloudRegion` named `region` as the kit records it.
 */
export const sovereignRegionSchema = z.strictObject({
  provider: providerIdSchema,
  region: z.string().trim().min(1).max(64),
  controlPlaneSize: z.string().trim().min(1).max(64),
  /** Empty when the region has no workers. */
  workerSize: z.string().trim().max(64),
  workerCount: z.number().int().min(0).max(50),
});
export type SovereignRegion = z.infer<typeof sovereignRegionSchema>;

/**
 * What a Sovereign knows about itself: the file named by CATALYST_SOVEREIGN_FILE, written by the
 * bootstrap kit (ConfigMap `catalyst-sovereign`, key `sovereign.json`) from the values cloud-init
 * substituted. Strict: a field this schema does not know makes the whole file invalid.
 */
export const sovereignFactsSchema = z.strictObject({
  fqdn: domainNameSchema,
  deploymentId: z.string().trim().min(1).max(64),
  createdAt: z.iso.datetime({ offset: true }),
  ha: z.boolean(),
  k3sVersion: z.string().trim().min(1).max(64),
  regions: z.array(sovereignRegionSchema).min(1).max(5),
  /** The install set: catalog ids of every component the Sovereign runs. */
  components: z.array(z.string().trim().min(1).max(64)).max(200),
  orgName: z.string().trim().min(1).max(100).optional(),
});
export type SovereignFacts = z.infer<typeof sovereignFactsSchema>;

/** GET /api/v1/sovereign: the facts, or null when this Catalyst has none (a mothership, or a bad file). */
export const sovereignFactsResponseSchema = z.strictObject({
  facts: sovereignFactsSchema.nullable(),
});
export type SovereignFactsResponse = z.infer<typeof sovereignFactsResponseSchema>;

/**
 * One of a Sovereign's own components: a HelmRelease of the cluster it runs on that is not a tenant's
 * app (those carry the label `catalyst.openova.io/install`). Its state follows the kstatus rules the kit
 * watch uses. The release's last reconcile is its job: `state`, `message`, `reason` and `updatedAt`
 * (the Ready condition's lastTransitionTime) say how that went.
 */
export const sovereignComponentSchema = z.strictObject({
  /** The catalog's component id: the release name without `bp-`. */
  id: z.string(),
  namespace: z.string(),
  name: z.string(),
  state: z.enum(componentStates),
  message: z.string().optional(),
  /** The Ready condition's reason, e.g. `InstallSucceeded`, `UpgradeFailed`, `Progressing`. */
  reason: z.string().optional(),
  chart: z.string().optional(),
  /** The chart version last released (the history), else the one last attempted, else the one asked for. */
  version: z.string().optional(),
  updatedAt: z.iso.datetime().optional(),
});
export type SovereignComponent = z.infer<typeof sovereignComponentSchema>;

/** GET /api/v1/sovereign/components: sorted by namespace and name. */
export const sovereignComponentListSchema = z.strictObject({
  components: z.array(sovereignComponentSchema),
});
export type SovereignComponentList = z.infer<typeof sovereignComponentListSchema>;

/** The label that marks a HelmRelease as a tenant's app install (not one of the Sovereign's own). */
export const TENANT_INSTALL_LABEL = 'catalyst.openova.io/install';
