import type { ComponentState } from '@catalyst/contracts';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export interface HelmRelease {
  metadata: {
    name: string;
    namespace?: string;
    generation?: number;
    resourceVersion?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  status?: { observedGeneration?: number; conditions?: Condition[]; lastHandledReconcileAt?: string };
}

const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

const FAILED_REASONS = new Set([
  'InstallFailed',
  'UpgradeFailed',
  'TestFailed',
  'RollbackFailed',
  'RollbackSucceeded',
  'UninstallFailed',
  'UninstallSucceeded',
  'ChartPullError',
  'ChartLoadError',
  'ValuesError',
]);
const WAITING_REASONS = new Set(['DependencyNotReady', 'SourceNotReady', 'ArtifactFailed']);

/**
 * A HelmRelease's state as the operator should read it (kstatus rules, docs/external-apis.md,
 * "Kubernetes and Flux"): a status older than the spec is still work in progress; Stalled is terminal
 * failure; Ready=True without Reconciling is done; a failure while helm-controller is still retrying is
 * not final yet.
 */
export function deriveState(release: HelmRelease): { state: ComponentState; message?: string } {
  const generation = release.metadata.generation;
  const conditions = release.status?.conditions ?? [];
  const find = (type: string) => conditions.find((c) => c.type === type);
  const ready = find('Ready');
  const stalled = find('Stalled');
  const reconciling = find('Reconciling');
  const message = ready?.message ?? stalled?.message;

  if (!ready) return { state: 'pending', message: 'Waiting for helm-controller to pick the release up' };
  // A reconcile was requested (a retry) and helm-controller has not handled it yet: the old verdict no longer counts.
  const requested = release.metadata.annotations?.[REQUESTED_AT];
  if (requested && release.status?.lastHandledReconcileAt !== requested) {
    return { state: 'installing', message: 'Reconcile requested; waiting for helm-controller' };
  }
  if (stalled?.status === 'True') return { state: 'failed', message: stalled.message ?? message };
  const current =
    generation === undefined ||
    (release.status?.observedGeneration === generation &&
      (ready.observedGeneration === undefined || ready.observedGeneration === generation));
  if (!current) return { state: 'installing', message: 'A new generation is being reconciled' };
  if (ready.status === 'True') {
    return reconciling?.status === 'True'
      ? { state: 'installing', message }
      : { state: 'installed', message };
  }
  if (ready.status === 'Unknown') return { state: 'installing', message };
  if (WAITING_REASONS.has(ready.reason ?? '') || /dependency '.*' is not ready/i.test(ready.message ?? '')) {
    return { state: 'pending', message };
  }
  if (FAILED_REASONS.has(ready.reason ?? '')) {
    // helm-controller is still remediating: surface the message, but the verdict is not in.
    return reconciling?.status === 'True' ? { state: 'degraded', message } : { state: 'failed', message };
  }
  return { state: 'degraded', message };
}
