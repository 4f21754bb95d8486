import { componentIdOf, type SovereignComponent } from '@catalyst/contracts';
import { type Condition, deriveState, type HelmRelease } from '../helmwatch/helmrelease-state.js';

/** The parts of a Flux v2 HelmRelease a component shows, beyond what deriveState reads. */
export type ListedRelease = HelmRelease & {
  spec?: { chart?: { spec?: { chart?: string; version?: string } } };
  status?: {
    lastAttemptedRevision?: string;
    /** Newest first (helm-controller's Snapshots). */
    history?: { chartName?: string; chartVersion?: string }[];
  };
};

/** An RFC 3339 time as the contract's UTC instant, or nothing when it cannot be read. */
function instant(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** One HelmRelease as the console shows it: where it is, its state, its chart and its last reconcile. */
export function toSovereignComponent(release: ListedRelease): SovereignComponent {
  const { state, message } = deriveState(release);
  const conditions = (release.status?.conditions ?? []) as (Condition & { lastTransitionTime?: string })[];
  const ready = conditions.find((c) => c.type === 'Ready');
  const released = release.status?.history?.[0];
  const chart = released?.chartName ?? release.spec?.chart?.spec?.chart;
  const version =
    released?.chartVersion ?? release.status?.lastAttemptedRevision ?? release.spec?.chart?.spec?.version;
  const updatedAt = instant(ready?.lastTransitionTime);
  return {
    id: componentIdOf(release.metadata.name),
    namespace: release.metadata.namespace ?? '',
    name: release.metadata.name,
    state,
    ...(message ? { message } : {}),
    ...(ready?.reason ? { reason: ready.reason } : {}),
    ...(chart ? { chart } : {}),
    ...(version ? { version } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}
