import { z } from 'zod';
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
