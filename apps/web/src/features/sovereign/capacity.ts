import { findNodeSize, installSetFootprint } from '@catalyst/contracts';

/** The share of each node left to the system (the OS, k3s, the kubelet, the container runtime). */
export const SYSTEM_HEADROOM = 0.1;

export interface Footprint {
  cpuMillis: number;
  memoryMiB: number;
}

/** What the capacity check needs of one region: the wizard's region draft has these fields. */
export interface RegionNodes {
  provider: string;
  cloudRegion: string;
  controlPlaneSize: string;
  workerSize: string;
  workerCount: number;
}

export interface RegionCapacity {
  index: number;
  cloudRegion: string;
  /** Control planes (three with HA) plus workers. */
  nodes: number;
  /** What the nodes have, in all. */
  cpuMillis: number;
  memoryMiB: number;
  /** What is left for the components once the system's share is kept back. */
  usableCpuMillis: number;
  usableMemoryMiB: number;
  fits: boolean;
  /** Sizes this provider does not offer: they count as nothing. */
  unknownSizes: string[];
}

export interface CapacityCheck {
  requested: Footprint;
  regions: RegionCapacity[];
  /** The region with the least room for the footprint (the first of equals): the one the figures name. */
  tightest: RegionCapacity | undefined;
  fits: boolean;
}

/**
 * Checks a footprint against the nodes the wizard chose. Each region is its own cluster running the whole kit,
 * so every region must hold the footprint on its own (regions are not added up): per region the control planes
 * (three with HA, one without; k3s runs workloads on them) and the workers, each node less SYSTEM_HEADROOM.
 */
export function checkCapacity(
  requested: Footprint,
  regions: readonly RegionNodes[],
  haEnabled: boolean,
): CapacityCheck {
  const perRegion = regions.map((region, index): RegionCapacity => {
    const cp = findNodeSize(region.provider, region.controlPlaneSize);
    const worker = findNodeSize(region.provider, region.workerSize);
    const controlPlanes = haEnabled ? 3 : 1;
    const workers = Math.max(0, region.workerCount);
    const unknownSizes = [
      ...(cp ? [] : [region.controlPlaneSize]),
      ...(worker || workers === 0 ? [] : [region.workerSize]),
    ];
    const cpuMillis = controlPlanes * (cp?.vcpu ?? 0) * 1000 + workers * (worker?.vcpu ?? 0) * 1000;
    const memoryMiB = controlPlanes * (cp?.ramGb ?? 0) * 1024 + workers * (worker?.ramGb ?? 0) * 1024;
    const usableCpuMillis = Math.floor(cpuMillis * (1 - SYSTEM_HEADROOM));
    const usableMemoryMiB = Math.floor(memoryMiB * (1 - SYSTEM_HEADROOM));
    return {
      index,
      cloudRegion: region.cloudRegion,
      nodes: controlPlanes + workers,
      cpuMillis,
      memoryMiB,
      usableCpuMillis,
      usableMemoryMiB,
      fits: requested.cpuMillis <= usableCpuMillis && requested.memoryMiB <= usableMemoryMiB,
      unknownSizes,
    };
  });
  const room = (r: RegionCapacity) =>
    Math.min(
      usableShare(requested.cpuMillis, r.usableCpuMillis),
      usableShare(requested.memoryMiB, r.usableMemoryMiB),
    );
  const tightest = perRegion.reduce<RegionCapacity | undefined>(
    (least, r) => (least === undefined || room(r) < room(least) ? r : least),
    undefined,
  );
  return { requested, regions: perRegion, tightest, fits: perRegion.every((r) => r.fits) };
}

/** How many times the footprint fits into what is usable (Infinity when nothing is requested). */
function usableShare(requested: number, usable: number): number {
  return requested === 0 ? Number.POSITIVE_INFINITY : usable / requested;
}

/** The check for an install set: its kit releases' footprint (installSetFootprint) against the nodes. */
export function installSetCapacity(
  install: readonly string[],
  regions: readonly RegionNodes[],
  haEnabled: boolean,
): CapacityCheck {
  return checkCapacity(installSetFootprint([...install]), regions, haEnabled);
}

/** vCPU for people: "3", "2.5", "0.25". */
export function formatVcpu(cpuMillis: number): string {
  return String(Math.round(cpuMillis / 10) / 100);
}

/** GiB for people, to one decimal: "4.6", "14.4". */
export function formatGib(memoryMiB: number): string {
  return String(Math.round((memoryMiB / 1024) * 10) / 10);
}
