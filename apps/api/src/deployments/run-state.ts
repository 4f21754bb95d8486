import type { DeploymentStatus, PhaseStatus } from '@catalyst/contracts';
import { IllegalTransition } from './deployments.errors.js';

export { IllegalTransition };

/**
 * The run as a state machine (docs/architecture.md, "The provisioning run"): every status a deployment
 * or a phase may move to, declared once. Writers go through `transition()`/`transitionPhase()`, so no
 * caller can invent a move; the repository writes a status only from the `Transition` these return
 * (never a bare string).
 */

/** A provision request creates its deployment queued, with every phase pending (the column default). */
export const initialDeploymentStatus = 'queued' satisfies DeploymentStatus;

export const deploymentTransitions: Readonly<Record<DeploymentStatus, readonly DeploymentStatus[]>> = {
  // The scheduler claims it, or the operator cancels it before any replica did.
  queued: ['running', 'cancelled'],
  // `running → running`: a replica resumes a run whose owner died or shut down.
  running: ['running', 'ready', 'failed', 'cancelled'],
  // A retry (of a phase or a kit component) queues the run again; a wipe starts from any stopped run.
  ready: ['wiping'],
  failed: ['queued', 'wiping'],
  cancelled: ['queued', 'wiping'],
  // A resumed wipe writes no status (it is still wiping). A wipe that fails leaves the run failed, to
  // be wiped again (or retried).
  wiping: ['wiped', 'failed'],
  wiped: [],
};

export const phaseTransitions: Readonly<Record<PhaseStatus, readonly PhaseStatus[]>> = {
  // `pending → failed`: a cancel that lands between phases is recorded on the phase the run stopped before.
  pending: ['running', 'skipped', 'failed'],
  // `running → running`: the phase restarts after its replica died mid-phase (phases are idempotent).
  // `running → failed` also covers a cancel; `running → pending` a retry that resets a phase the run stopped in.
  running: ['running', 'succeeded', 'failed', 'pending'],
  // A retry from an earlier phase sets every later one back to pending.
  succeeded: ['pending'],
  // `failed → running`: a replica that recorded the phase's failure died (or lost its lease) before it
  // recorded the run's; the run is still running and the replica that resumes it starts that phase again.
  failed: ['pending', 'running'],
  skipped: ['pending'],
};

declare const checked: unique symbol;

/** A deployment move `transition()` found legal: what the repository's status writes take. */
export interface DeploymentTransition {
  readonly from: DeploymentStatus;
  readonly to: DeploymentStatus;
  readonly [checked]: 'deployment';
}

/** A phase move `transitionPhase()` found legal. */
export interface PhaseTransition {
  readonly from: PhaseStatus;
  readonly to: PhaseStatus;
  readonly [checked]: 'phase';
}

export function canTransition(from: DeploymentStatus, to: DeploymentStatus): boolean {
  return deploymentTransitions[from].includes(to);
}

/** The move from the status the caller read (under the row's lock) to `to`; throws if it is illegal. */
export function transition(from: DeploymentStatus, to: DeploymentStatus): DeploymentTransition {
  if (!canTransition(from, to)) throw new IllegalTransition('deployment', from, to);
  return { from, to } as DeploymentTransition;
}

export function transitionPhase(from: PhaseStatus, to: PhaseStatus): PhaseTransition {
  if (!phaseTransitions[from].includes(to)) throw new IllegalTransition('phase', from, to);
  return { from, to } as PhaseTransition;
}
