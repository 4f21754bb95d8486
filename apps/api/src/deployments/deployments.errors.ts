import { AppError, NotFoundError } from '../common/app-error.js';
import type { KubeconfigIssue } from '../helmwatch/kubeconfig.js';

/** The deployments' refusals: each a code the screens branch on (docs/architecture.md) and words for people. */

export const deploymentNotFound = () =>
  new NotFoundError('No deployment has this id', 'deployment_not_found');
export const fqdnInUse = (fqdn: string) =>
  new AppError(409, 'fqdn_in_use', `${fqdn} is already held by a live deployment or allocation`);
/** A Sovereign (CATALYST_MODE=sovereign) runs itself: new Sovereigns come from the mothership. */
export const notOnASovereign = () =>
  new AppError(
    403,
    'not_on_a_sovereign',
    'This Catalyst is a Sovereign: new Sovereigns are provisioned from the mothership that created it',
  );

// Retry, cancel, wipe, delete: what an operator asks of a run in the wrong state.
export const unknownPhaseOrComponent = (name: string) =>
  new AppError(
    400,
    'unknown_phase',
    `"${name}" is neither a phase nor a bootstrap-kit component of this deployment`,
  );
export const unknownRegion = (region: string) =>
  new AppError(400, 'unknown_region', `"${region}" is not one of this deployment's regions`);
export const regionOnlyForComponents = (phase: string) =>
  new AppError(
    400,
    'validation_failed',
    `"${phase}" is a phase of the whole Sovereign: a region can only be named for a component's retry`,
    { issues: [{ path: 'region', message: 'Only a component is retried per region' }] },
  );
export const providerNotAvailable = (issues: { path: string; message: string }[]) =>
  new AppError(422, 'provider_not_available', issues.map((i) => i.message).join('; '), { issues });
export const notRetryable = (status: string) =>
  new AppError(409, 'not_retryable', `The run is ${status}; only a failed or cancelled run can be retried`);
export const phaseNotReached = (phase: string, firstOpen: string) =>
  new AppError(409, 'phase_not_reached', `Retry from ${firstOpen} or earlier: ${phase} has not been reached`);
export const hetznerTokenRequired = () =>
  new AppError(422, 'hetzner_token_required', 'This retry runs OpenTofu: send the Hetzner token with it', {
    issues: [{ path: 'hetznerToken', message: 'Required to run OpenTofu again' }],
  });
export const notCancellable = (status: string) =>
  new AppError(409, 'not_cancellable', `The run is ${status}; only a queued or running run can be cancelled`);
export const notWipeable = (status: string) =>
  new AppError(409, 'not_wipeable', `The run is ${status}; cancel it or let it finish before wiping`);
export const wipeFirst = (fqdn: string) =>
  new AppError(409, 'wipe_first', `${fqdn} still has cloud resources; wipe it first`);
export const runInProgress = (status: string) =>
  new AppError(409, 'run_in_progress', `The run is ${status}; cancel it first`);

/** A handover link is for a Sovereign whose console answered (the run is ready). */
export const notReadyForHandover = (status: string) =>
  new AppError(
    409,
    'not_ready',
    `The run is ${status}; a handover link exists only once the Sovereign is ready`,
  );

// The kubeconfig post-back and its download.
export const missingBearer = () =>
  new AppError(401, 'missing_bearer', 'Send the run token as Authorization: Bearer <token>');
export const invalidBearer = () =>
  new AppError(401, 'invalid_bearer', 'This token does not authorise a kubeconfig for this deployment');
export const expiredBearer = (
  message = 'This token has expired: a run issues it for the kubeconfig timeout plus a margin',
) => new AppError(401, 'expired_bearer', message);
export const emptyKubeconfig = () =>
  new AppError(422, 'empty_kubeconfig', 'The body is empty: send the kubeconfig YAML');
export const kubeconfigTooLarge = () =>
  new AppError(422, 'kubeconfig_too_large', 'A kubeconfig is at most 1 MiB');
export const kubeconfigAlreadyPosted = () =>
  new AppError(
    409,
    'kubeconfig_already_posted',
    'This deployment already has its kubeconfig; the token is spent',
  );
export const kubeconfigNotReady = (message = 'The cluster has not posted its kubeconfig yet') =>
  new AppError(409, 'kubeconfig_not_ready', message);

/** A stored kubeconfig that no longer passes the strict rules (helmwatch/kubeconfig.ts) is never used. */
export const storedKubeconfigInvalid = (issues: KubeconfigIssue[]) =>
  new AppError(
    409,
    'stored_kubeconfig_invalid',
    `The stored kubeconfig of this deployment is not used: ${issues[0]?.path}: ${issues[0]?.message}`,
    { issues },
  );

// A bootstrap-kit component's retry, asked of the Sovereign's API.
export const releaseNotFound = (release: string) =>
  new AppError(409, 'release_not_found', `${release} is not on the cluster yet`);
export const sovereignUnreachable = (release: string) =>
  new AppError(502, 'sovereign_unreachable', `The Sovereign's API did not accept the retry of ${release}`);

/** An illegal move is a bug in Catalyst, never the operator's mistake: it surfaces as a 500 with a clear log. */
export class IllegalTransition extends AppError {
  constructor(kind: 'deployment' | 'phase', from: string, to: string) {
    super(500, 'illegal_transition', `A ${kind} cannot move from ${from} to ${to}`);
  }
}

/** A phase failed for a reason the operator can read (it becomes the phase's and the run's error). */
export class PhaseFailed extends Error {
  /** The regions the failure is theirs, when it is not the whole run's (named in the deployment's error). */
  constructor(
    message: string,
    readonly regions: readonly string[] = [],
  ) {
    super(message);
  }
}
