import { z } from 'zod';
import { emailSchema } from './auth.js';
import {
  findNodeSize,
  findProvider,
  findRegion,
  missingDependencies,
  notInstallable,
  unknownComponentIds,
} from './catalog.js';
import { hetznerProjectIdSchema, hetznerTokenSchema } from './credentials.js';
import {
  domainNameSchema,
  registrarCredentialsSchema,
  registrarIdSchema,
  subdomainLabelSchema,
} from './domains.js';
import { sovereignSmtpSchema } from './sovereign-smtp.js';

/** Phases of a provisioning run, in order (the names are part of the API). */
export const phaseNames = [
  'preflight',
  'tofu-init',
  'tofu-plan',
  'tofu-apply',
  'tofu-output',
  'dns',
  'flux-bootstrap',
  'bootstrap-kit',
  'handover',
] as const;
export type PhaseName = (typeof phaseNames)[number];
/** Phases that run OpenTofu against the customer's Hetzner project, and so need the Hetzner token. */
export const tofuPhaseNames = [
  'preflight',
  'tofu-init',
  'tofu-plan',
  'tofu-apply',
  'tofu-output',
] as const satisfies readonly PhaseName[];
/**
 * Whether a retry from `phase` runs OpenTofu again: a retry re-runs that phase and every one after it,
 * and the api no longer holds the Hetzner token of a stopped run, so such a retry must carry it.
 * False for a name that is not a phase (a bootstrap-kit component's retry never runs OpenTofu).
 */
export function retryRunsTofu(phase: string): boolean {
  const from = phaseNames.indexOf(phase as PhaseName);
  return (
    from >= 0 && phaseNames.slice(from).some((name) => (tofuPhaseNames as readonly string[]).includes(name))
  );
}
export const phaseStatuses = ['pending', 'running', 'succeeded', 'failed', 'skipped'] as const;
export type PhaseStatus = (typeof phaseStatuses)[number];
export const deploymentStatuses = [
  'queued',
  'running',
  'ready',
  'failed',
  'cancelled',
  'wiping',
  'wiped',
] as const;
export type DeploymentStatus = (typeof deploymentStatuses)[number];
/** A run in one of these has stopped; only retry, wipe or delete move it on. */
export const terminalStatuses: DeploymentStatus[] = ['ready', 'failed', 'cancelled', 'wiped'];

const SSH_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]{30,}={0,3}( [^\r\n]*)?$/;
export const sshPublicKeySchema = z.string().trim().regex(SSH_KEY, {
  message:
    'Paste an OpenSSH public key: ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521 and its base64 body',
});

const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `Enter ${what}` })
    .max(max, { message: `Keep ${what} under ${max} characters` });

export const regionSpecSchema = z.strictObject({
  provider: z.string().trim().toLowerCase(),
  cloudRegion: z.string().trim().toLowerCase(),
  controlPlaneSize: z.string().trim(),
  workerSize: z.string().trim(),
  workerCount: z
    .number()
    .int()
    .min(0, { message: 'At least 0 workers' })
    .max(50, { message: 'At most 50 workers' }),
});

export const provisionDomainSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('pool'), poolDomain: domainNameSchema, subdomain: subdomainLabelSchema }),
  z.strictObject({ mode: z.literal('byo-manual'), domain: domainNameSchema }),
  z.strictObject({
    mode: z.literal('byo-api'),
    domain: domainNameSchema,
    registrar: registrarIdSchema,
    credentials: registrarCredentialsSchema,
  }),
]);
export type ProvisionDomain = z.infer<typeof provisionDomainSchema>;

/** The operator's Provision click. Checked field by field against the catalog. */
export const provisionRequestSchema = z
  .strictObject({
    org: z.strictObject({
      name: text(100, 'the organisation name'),
      industry: text(100, 'the industry'),
      size: text(40, 'the organisation size'),
      headquarters: text(120, 'the headquarters'),
      compliance: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
    }),
    topology: z.strictObject({
      regions: z.array(regionSpecSchema).min(1, { message: 'Add at least one region' }).max(5),
      haEnabled: z.boolean(),
    }),
    credentials: z.strictObject({
      hetznerToken: hetznerTokenSchema,
      hetznerProjectId: hetznerProjectIdSchema,
      sshPublicKey: sshPublicKeySchema,
    }),
    components: z.array(z.string().trim().min(1).max(64)).max(200).default([]),
    domain: provisionDomainSchema,
    adminEmail: emailSchema,
    /** The Sovereign's outbound mail; without it its Catalyst keeps mail in the dev outbox. */
    smtp: sovereignSmtpSchema.optional(),
  })
  .superRefine((request, ctx) => {
    request.topology.regions.forEach((region, i) => {
      const path = ['topology', 'regions', i];
      const provider = findProvider(region.provider);
      if (!provider) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'provider'],
          message: `Unknown provider "${region.provider}"`,
        });
        return;
      }
      // A provider without a module yet is a well-formed request the api cannot carry out (422, unavailableRegions).
      if (!provider.available) return;
      if (request.topology.regions.findIndex((r) => r.cloudRegion === region.cloudRegion) < i) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'cloudRegion'],
          message: `${region.cloudRegion} is already one of the regions: each region once`,
        });
      }
      if (!findRegion(provider.id, region.cloudRegion)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'cloudRegion'],
          message: `${provider.name} has no region "${region.cloudRegion}"`,
        });
      }
      if (!findNodeSize(provider.id, region.controlPlaneSize)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'controlPlaneSize'],
          message: `${provider.name} has no server type "${region.controlPlaneSize}"`,
        });
      }
      if (region.workerCount > 0 && !findNodeSize(provider.id, region.workerSize)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'workerSize'],
          message: `${provider.name} has no server type "${region.workerSize}"`,
        });
      }
    });
    for (const id of unknownComponentIds(request.components)) {
      const why = notInstallable[id];
      ctx.addIssue({
        code: 'custom',
        path: ['components', request.components.indexOf(id)],
        message: why ? `"${id}" cannot be installed yet: ${why}` : `Unknown component "${id}"`,
      });
    }
    for (const { id, missing } of missingDependencies(request.components)) {
      ctx.addIssue({
        code: 'custom',
        path: ['components', request.components.indexOf(id)],
        message: `"${id}" needs ${missing.map((m) => `"${m}"`).join(', ')}: select ${missing.length > 1 ? 'them' : 'it'} too`,
      });
    }
  });
export type ProvisionRequest = z.infer<typeof provisionRequestSchema>;

export const createDeploymentResponseSchema = z.object({
  id: z.uuid(),
  status: z.enum(deploymentStatuses),
  fqdn: z.string(),
  streamURL: z.string(),
});

/**
 * The regions of a request whose provider has no OpenTofu module yet (only Hetzner Cloud has one): shown in the
 * wizard, never provisioned. The api refuses a request naming one (422 provider_not_available).
 */
export function unavailableRegions(
  request: Pick<ProvisionRequest, 'topology'>,
): { index: number; message: string }[] {
  return request.topology.regions.flatMap((region, index) => {
    const provider = findProvider(region.provider);
    return provider && !provider.available
      ? [
          {
            index,
            message: `${provider.name} is not available yet; Catalyst provisions on Hetzner Cloud today`,
          },
        ]
      : [];
  });
}

/**
 * What each region (one cluster) of a run goes through, after the deployment's shared phases have built it:
 * its cloud resources (one OpenTofu apply builds every region), its control plane posting its kubeconfig back,
 * and its bootstrap kit becoming Ready.
 */
export const regionPhaseNames = ['infrastructure', 'kubeconfig', 'bootstrap-kit'] as const;
export type RegionPhaseName = (typeof regionPhaseNames)[number];

export const regionSnapshotSchema = z.object({
  /** The cloud region id (fsn1, nbg1, …): the region's key, its cluster's name and its DNS label. */
  region: z.string(),
  provider: z.string(),
  phases: z.array(
    z.object({ name: z.enum(regionPhaseNames), status: z.enum(phaseStatuses), error: z.string().optional() }),
  ),
  controlPlaneIP: z.string().optional(),
  loadBalancerIP: z.string().optional(),
});
export type RegionSnapshot = z.infer<typeof regionSnapshotSchema>;

export const phaseSnapshotSchema = z.object({
  name: z.enum(phaseNames),
  status: z.enum(phaseStatuses),
  startedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
  error: z.string().optional(),
});

export const deploymentResultSchema = z.object({
  controlPlaneIP: z.string(),
  loadBalancerIP: z.string(),
  consoleURL: z.string(),
});

export const deploymentSchema = z.object({
  id: z.uuid(),
  fqdn: z.string(),
  status: z.enum(deploymentStatuses),
  orgName: z.string(),
  domainMode: z.enum(['pool', 'byo-manual', 'byo-api']),
  phases: z.array(phaseSnapshotSchema),
  /** One per region, in the request's order (the first is the primary). */
  regions: z.array(regionSnapshotSchema),
  /** Every region's bootstrap-kit releases: one row per region and release. */
  components: z.array(
    z.object({ id: z.string(), region: z.string(), state: z.string(), message: z.string().optional() }),
  ),
  result: deploymentResultSchema.optional(),
  error: z.string().optional(),
  /** True while cloud resources may exist: such a record can only be deleted after a wipe. */
  hasCloudResources: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Deployment = z.infer<typeof deploymentSchema>;
export const deploymentListSchema = z.object({ deployments: z.array(deploymentSchema) });

/** POST /api/v1/deployments/:id/handover: a one-time sign-in link to a ready Sovereign's console. */
export const handoverLinkSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  expiresAt: z.iso.datetime(),
});
export type HandoverLink = z.infer<typeof handoverLinkSchema>;

export const retryRequestSchema = z.strictObject({
  hetznerToken: hetznerTokenSchema.optional(),
  /** A component's retry only: the region whose cluster retries it (every region's when absent). */
  region: z.string().trim().toLowerCase().min(1).max(32).optional(),
});
/** GET /api/v1/deployments/:id/kubeconfig: which region's cluster (the primary when absent). */
export const kubeconfigQuerySchema = z.strictObject({
  region: z.string().trim().toLowerCase().min(1).max(32).optional(),
});
export const wipeRequestSchema = z.strictObject({ hetznerToken: hetznerTokenSchema });

/** Server-sent events of a run: every one carries the deployment's sequence number. */
const base = { seq: z.number().int(), time: z.iso.datetime() };
export const deploymentEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('phase'),
    phase: z.enum(phaseNames),
    status: z.enum(phaseStatuses),
    error: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('log'),
    phase: z.string(),
    stream: z.enum(['stdout', 'stderr']),
    line: z.string(),
  }),
  z.object({
    ...base,
    type: z.literal('resource'),
    phase: z.string(),
    address: z.string(),
    action: z.string(),
    status: z.enum(['planned', 'started', 'in-progress', 'complete', 'errored']),
    elapsedMs: z.number().optional(),
    /** The region the resource belongs to (its instance key up to the first "/"); absent for shared ones. */
    region: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('component'),
    component: z.string(),
    /** Absent only in events stored before runs had regions (they were the first region's). */
    region: z.string().optional(),
    state: z.string(),
    message: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('region'),
    region: z.string(),
    phase: z.enum(regionPhaseNames),
    status: z.enum(phaseStatuses),
    error: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('deployment'),
    status: z.enum(deploymentStatuses),
    error: z.string().optional(),
  }),
]);
export type DeploymentEvent = z.infer<typeof deploymentEventSchema>;
/** An event before it has its sequence number and time. */
export type DeploymentEventInput = DeploymentEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'seq' | 'time'>
    : never
  : never;
