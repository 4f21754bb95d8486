import { describe, expect, it } from 'vitest';
import { type Condition, deriveState, type HelmRelease } from './helmrelease-state.js';

function release(conditions: Condition[], generation = 2, observedGeneration = 2): HelmRelease {
  return {
    metadata: { name: 'bp-gitea', generation },
    status: { observedGeneration, conditions: conditions.map((c) => ({ observedGeneration, ...c })) },
  };
}

describe('deriveState', () => {
  const cases: [string, HelmRelease, string][] = [
    ['no status yet', { metadata: { name: 'bp-x', generation: 1 } }, 'pending'],
    ['Ready=True', release([{ type: 'Ready', status: 'True', reason: 'InstallSucceeded' }]), 'installed'],
    [
      'Ready=True but still reconciling',
      release([
        { type: 'Ready', status: 'True', reason: 'UpgradeSucceeded' },
        { type: 'Reconciling', status: 'True', reason: 'Progressing' },
      ]),
      'installing',
    ],
    [
      'Ready=Unknown (progressing)',
      release([{ type: 'Ready', status: 'Unknown', reason: 'Progressing' }]),
      'installing',
    ],
    [
      'status older than the spec',
      release([{ type: 'Ready', status: 'True', reason: 'InstallSucceeded' }], 3, 2),
      'installing',
    ],
    [
      'waiting on a dependency',
      release([
        {
          type: 'Ready',
          status: 'False',
          reason: 'DependencyNotReady',
          message: "dependency 'flux-system/bp-cilium' is not ready",
        },
      ]),
      'pending',
    ],
    [
      'install failed, no retries left',
      release([{ type: 'Ready', status: 'False', reason: 'InstallFailed' }]),
      'failed',
    ],
    [
      'install failed while helm-controller retries',
      release([
        { type: 'Ready', status: 'False', reason: 'InstallFailed' },
        { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry' },
      ]),
      'degraded',
    ],
    [
      'stalled',
      release([
        { type: 'Ready', status: 'False', reason: 'UpgradeFailed' },
        {
          type: 'Stalled',
          status: 'True',
          reason: 'RetriesExceeded',
          message: 'Failed to upgrade after 3 attempt(s)',
        },
      ]),
      'failed',
    ],
    [
      'another Ready=False reason',
      release([{ type: 'Ready', status: 'False', reason: 'ReconciliationFailed' }]),
      'degraded',
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(`says ${expected} for ${name}`, () => {
      expect(deriveState(input).state).toBe(expected);
    });
  }

  it('carries the condition message to the operator', () => {
    const failed = release([
      {
        type: 'Ready',
        status: 'False',
        reason: 'InstallFailed',
        message: 'timed out waiting for the condition',
      },
    ]);
    expect(deriveState(failed).message).toBe('timed out waiting for the condition');
  });

  it('treats a release whose requested reconcile is not handled yet as installing, whatever it said before', () => {
    const stalled = release([
      { type: 'Ready', status: 'False', reason: 'InstallFailed' },
      { type: 'Stalled', status: 'True', reason: 'RetriesExceeded' },
    ]);
    stalled.metadata.annotations = { 'reconcile.fluxcd.io/requestedAt': '2026-11-24T10:00:00Z' };
    expect(deriveState(stalled).state).toBe('installing');
    stalled.status = { ...stalled.status, lastHandledReconcileAt: '2026-11-24T10:00:00Z' };
    expect(deriveState(stalled).state).toBe('failed');
  });
});
