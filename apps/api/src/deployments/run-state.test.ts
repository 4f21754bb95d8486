import { deploymentStatuses, phaseStatuses } from '@catalyst/contracts';
import { describe, expect, it } from 'vitest';
import {
  deploymentTransitions,
  IllegalTransition,
  phaseTransitions,
  transition,
  transitionPhase,
} from './run-state.js';

describe('the run state machine', () => {
  const legalDeployment = new Set([
    'queued>running',
    'queued>cancelled',
    'running>running',
    'running>ready',
    'running>failed',
    'running>cancelled',
    'ready>wiping',
    'failed>queued',
    'failed>wiping',
    'cancelled>queued',
    'cancelled>wiping',
    'wiping>wiped',
    'wiping>failed',
  ]);
  const legalPhase = new Set([
    'pending>running',
    'pending>skipped',
    'pending>failed',
    'running>running',
    'running>succeeded',
    'running>failed',
    'running>pending',
    'succeeded>pending',
    'failed>pending',
    'failed>running',
    'skipped>pending',
  ]);

  it('allows every legal deployment move and refuses every other one', () => {
    for (const from of deploymentStatuses) {
      for (const to of deploymentStatuses) {
        if (legalDeployment.has(`${from}>${to}`)) expect(transition(from, to)).toEqual({ from, to });
        else expect(() => transition(from, to), `${from} → ${to}`).toThrow(IllegalTransition);
      }
    }
  });

  it('allows every legal phase move and refuses every other one', () => {
    for (const from of phaseStatuses) {
      for (const to of phaseStatuses) {
        if (legalPhase.has(`${from}>${to}`)) expect(transitionPhase(from, to)).toEqual({ from, to });
        else expect(() => transitionPhase(from, to), `${from} → ${to}`).toThrow(IllegalTransition);
      }
    }
  });

  it('declares every status exactly once, and wiped is final', () => {
    expect(Object.keys(deploymentTransitions).sort()).toEqual([...deploymentStatuses].sort());
    expect(Object.keys(phaseTransitions).sort()).toEqual([...phaseStatuses].sort());
    expect(deploymentTransitions.wiped).toEqual([]);
  });
});
