import {
  type ComponentState,
  type Deployment,
  expectedKitReleases,
  type PhaseStatus,
  type RegionSnapshot,
  regionPhaseNames,
} from '@catalyst/contracts';
import { REGION_PHASE_COLUMNS, type RegionPatch, type RegionRow } from './deployments.repository.js';

/**
 * What a region's snapshot is made of (a deployment_regions row, or the snapshot query's JSON of it): which region,
 * and everything a run writes of it.
 */
export type RegionState = Pick<RegionRow, 'region' | 'provider'> & Required<RegionPatch>;

/** A region as the api answers it: its three phases (the failed one carries the region's error), its addresses. */
export function toRegionSnapshot(r: RegionState): RegionSnapshot {
  return {
    region: r.region,
    provider: r.provider,
    phases: regionPhaseNames.map((name) => {
      const status = r[REGION_PHASE_COLUMNS[name]] as PhaseStatus;
      return { name, status, ...(status === 'failed' && r.error ? { error: r.error } : {}) };
    }),
    ...(r.controlPlaneIp ? { controlPlaneIP: r.controlPlaneIp } : {}),
    ...(r.loadBalancerIp ? { loadBalancerIP: r.loadBalancerIp } : {}),
  };
}

interface StoredComponent {
  region: string;
  componentId: string;
  state: string;
  message: string | null;
  updatedAt?: Date;
}

/**
 * One row per region and expected kit release, regions in order and releases in the kit's order; pending until
 * the region's watch has seen it.
 */
export function kitComponents(
  installSet: string[],
  regions: readonly string[],
  stored: readonly StoredComponent[],
): (Deployment['components'][number] & { state: ComponentState; updatedAt?: string })[] {
  const seen = new Map(stored.map((c) => [`${c.region}/${c.componentId}`, c]));
  const expected = expectedKitReleases(installSet);
  return regions.flatMap((region) =>
    expected.map((id) => {
      const found = seen.get(`${region}/${id}`);
      return {
        id,
        region,
        state: (found?.state ?? 'pending') as ComponentState,
        ...(found?.message ? { message: found.message } : {}),
        ...(found?.updatedAt ? { updatedAt: found.updatedAt.toISOString() } : {}),
      };
    }),
  );
}
