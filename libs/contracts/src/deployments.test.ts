import { describe, expect, it } from 'vitest';
import { phaseNames, retryRunsTofu } from './deployments.js';

describe('retryRunsTofu', () => {
  it('needs the Hetzner token for a retry from any phase up to tofu-output, and for none after it', () => {
    expect(phaseNames.filter(retryRunsTofu)).toEqual([
      'preflight',
      'tofu-init',
      'tofu-plan',
      'tofu-apply',
      'tofu-output',
    ]);
  });

  it('never asks it for a bootstrap-kit component or an unknown name', () => {
    expect(retryRunsTofu('cilium')).toBe(false);
    expect(retryRunsTofu('')).toBe(false);
  });
});
