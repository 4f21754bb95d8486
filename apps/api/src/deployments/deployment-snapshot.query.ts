import type { Deployment, DeploymentStatus, PhaseStatus } from '@catalyst/contracts';
import type pg from 'pg';
import { kitComponents, type RegionState } from './region-snapshot.js';

/**
 * A deployment with its phases (in order), its regions and the components the watches have seen, in one round trip: a named
 * statement, so each pooled connection plans it once. Timestamps inside the JSON arrays come back as ISO strings.
 */
const SNAPSHOT_SQL = `
  select d.id, d.fqdn, d.status, d.request, d.install_set, d.result, d.error, d.has_cloud_resources,
         d.created_at, d.updated_at,
         coalesce((select json_agg(json_build_object('name', p.name, 'status', p.status, 'startedAt', p.started_at,
                                                     'finishedAt', p.finished_at, 'error', p.error)
                                   order by p.position)
                     from deployment_phases p where p.deployment_id = d.id), '[]') as phases,
         coalesce((select json_agg(json_build_object('region', r.region, 'provider', r.provider,
                                                     'infrastructureStatus', r.infrastructure_status,
                                                     'kubeconfigStatus', r.kubeconfig_status,
                                                     'bootstrapKitStatus', r.bootstrap_kit_status, 'error', r.error,
                                                     'controlPlaneIp', r.control_plane_ip,
                                                     'loadBalancerIp', r.load_balancer_ip)
                                   order by r.position)
                     from deployment_regions r where r.deployment_id = d.id), '[]') as regions,
         coalesce((select json_agg(json_build_object('region', c.region, 'componentId', c.component_id,
                                                     'state', c.state, 'message', c.message))
                     from deployment_components c where c.deployment_id = d.id), '[]') as components
    from deployments d
   where d.id = $1`;

interface SnapshotRow {
  id: string;
  fqdn: string;
  status: DeploymentStatus;
  request: unknown;
  install_set: string[];
  result: unknown;
  error: string | null;
  has_cloud_resources: boolean;
  created_at: Date;
  updated_at: Date;
  phases: {
    name: string;
    status: PhaseStatus;
    startedAt: string | null;
    finishedAt: string | null;
    error: string | null;
  }[];
  regions: RegionState[];
  components: { region: string; componentId: string; state: string; message: string | null }[];
}

/** What DeploymentsService's toDeployment() needs, read in one query. */
export interface DeploymentSnapshotParts {
  row: {
    id: string;
    fqdn: string;
    status: DeploymentStatus;
    request: unknown;
    result: unknown;
    error: string | null;
    hasCloudResources: boolean;
    createdAt: Date;
    updatedAt: Date;
  };
  phases: {
    name: string;
    status: PhaseStatus;
    startedAt: Date | null;
    finishedAt: Date | null;
    error: string | null;
  }[];
  regions: RegionState[];
  /** One per region and expected kit release, in the kit's order; pending until the region's watch has seen it. */
  components: Deployment['components'];
}

const asDate = (value: string | null) => (value === null ? null : new Date(value));

/** The snapshot's parts of deployment `id`, or undefined when there is none. */
export async function readDeploymentSnapshot(
  pool: pg.Pool,
  id: string,
): Promise<DeploymentSnapshotParts | undefined> {
  const { rows } = await pool.query<SnapshotRow>({
    name: 'deployment-snapshot',
    text: SNAPSHOT_SQL,
    values: [id],
  });
  const row = rows[0];
  if (!row) return undefined;
  return {
    row: {
      id: row.id,
      fqdn: row.fqdn,
      status: row.status,
      request: row.request,
      result: row.result,
      error: row.error,
      hasCloudResources: row.has_cloud_resources,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    },
    phases: row.phases.map((p) => ({
      name: p.name,
      status: p.status,
      startedAt: asDate(p.startedAt),
      finishedAt: asDate(p.finishedAt),
      error: p.error,
    })),
    regions: row.regions,
    components: kitComponents(
      row.install_set,
      row.regions.map((r) => r.region),
      row.components,
    ),
  };
}

/**
 * Reads of one key shared by the requests that arrive together: while a read of a key is running, requests for it
 * wait and then share the one read that starts after it. Each request is answered from a read that began after it
 * arrived, so it sees every write committed before it asked; many readers of one deployment cost one query per
 * round trip instead of one each.
 */
export class CoalescedReads<T> {
  private readonly slots = new Map<string, { running?: Promise<T>; next?: Promise<T> }>();

  read(key: string, load: () => Promise<T>): Promise<T> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = {};
      this.slots.set(key, slot);
    }
    if (!slot.running) return this.start(key, slot, load);
    if (slot.next) return slot.next;
    const current = slot;
    const next = slot.running.then(
      () => this.startNext(key, current, load),
      () => this.startNext(key, current, load),
    );
    current.next = next;
    return next;
  }

  /** Keys with a read running or waiting (for tests). */
  get size(): number {
    return this.slots.size;
  }

  private startNext(key: string, slot: { running?: Promise<T>; next?: Promise<T> }, load: () => Promise<T>) {
    slot.next = undefined;
    return this.start(key, slot, load);
  }

  private start(key: string, slot: { running?: Promise<T>; next?: Promise<T> }, load: () => Promise<T>) {
    const running = load().finally(() => {
      if (slot.running === running) slot.running = undefined;
      if (!slot.running && !slot.next && this.slots.get(key) === slot) this.slots.delete(key);
    });
    slot.running = running;
    return running;
  }
}
