import type { DeploymentStatus, PhaseStatus } from '@catalyst/contracts';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.schema.js';

/**
 * A Sovereign's provisioning record. Secrets live only sealed (token until the run stops, registrar
 * credentials, the SMTP password until delivered; each region's kubeconfig in deployment_regions); the request is
 * stored without them. A run is owned by one replica through the lease columns.
 */
export const deployments = pgTable(
  'deployments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fqdn: text('fqdn').notNull(),
    /** Written only through run-state.ts's transition(). */
    status: text('status').$type<DeploymentStatus>().notNull(),
    /** The provision request minus every secret. */
    request: jsonb('request').notNull(),
    installSet: text('install_set').array().notNull(),
    hetznerProjectId: text('hetzner_project_id').notNull(),
    reservationId: uuid('reservation_id'),
    sealedHetznerToken: text('sealed_hetzner_token'),
    sealedRegistrarCredentials: text('sealed_registrar_credentials'),
    /** The Sovereign's SMTP password until the run has handed it to the Sovereign (catalyst-smtp Secret). */
    sealedSmtpPassword: text('sealed_smtp_password'),
    result: jsonb('result'),
    error: text('error'),
    /** Set once tofu may have created something; cleared by a completed wipe. */
    hasCloudResources: boolean('has_cloud_resources').notNull().default(false),
    /** What the owner runs next: `provision` (the phases) or `wipe` (destroy and release). */
    kind: text('kind').notNull().default('provision'),
    eventSeq: bigint('event_seq', { mode: 'number' }).notNull().default(0),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One live deployment per name: only a wiped record lets the name be provisioned again.
    uniqueIndex('deployments_live_fqdn_idx').on(t.fqdn).where(sql`status <> 'wiped'`),
    index('deployments_runnable_idx').on(t.status, t.leaseExpiresAt),
  ],
);

export const deploymentPhases = pgTable(
  'deployment_phases',
  {
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    status: text('status').$type<PhaseStatus>().notNull().default('pending'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.deploymentId, t.name] })],
);

/** The run's stream, rows first: SSE readers on any replica backfill from here by sequence. */
export const deploymentEvents = pgTable(
  'deployment_events',
  {
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.deploymentId, t.seq] })],
);

/**
 * One cluster of the Sovereign per region of the request (position 0 is the primary): where its run stands
 * (regionPhaseNames), its addresses once tofu has built it, and its control plane's kubeconfig post-back — a
 * one-time bearer per region (only its hash), then the kubeconfig itself, sealed.
 */
export const deploymentRegions = pgTable(
  'deployment_regions',
  {
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    region: text('region').notNull(),
    position: integer('position').notNull(),
    provider: text('provider').notNull(),
    infrastructureStatus: text('infrastructure_status').$type<PhaseStatus>().notNull().default('pending'),
    kubeconfigStatus: text('kubeconfig_status').$type<PhaseStatus>().notNull().default('pending'),
    bootstrapKitStatus: text('bootstrap_kit_status').$type<PhaseStatus>().notNull().default('pending'),
    /** Why the region's failed phase failed; cleared when a phase of it runs again. */
    error: text('error'),
    controlPlaneIp: text('control_plane_ip'),
    loadBalancerIp: text('load_balancer_ip'),
    kubeconfigTokenHash: text('kubeconfig_token_hash'),
    /** When the post-back bearer stops being accepted; null until a run issues it. */
    kubeconfigTokenExpiresAt: timestamp('kubeconfig_token_expires_at', { withTimezone: true }),
    sealedKubeconfig: text('sealed_kubeconfig'),
  },
  (t) => [
    primaryKey({ columns: [t.deploymentId, t.region] }),
    // The post-back finds its region by the bearer's hash.
    index('deployment_regions_token_idx').on(t.kubeconfigTokenHash),
  ],
);

/** The bootstrap kit as last seen on each region's cluster: one row per region and expected HelmRelease. */
export const deploymentComponents = pgTable(
  'deployment_components',
  {
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    region: text('region').notNull(),
    componentId: text('component_id').notNull(),
    state: text('state').notNull().default('pending'),
    message: text('message'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.deploymentId, t.region, t.componentId] })],
);
