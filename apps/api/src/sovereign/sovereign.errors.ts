import { AppError } from '../common/app-error.js';

/** A mothership has no components of its own to show: its console reads deployments instead. */
export const notASovereign = () =>
  new AppError(
    404,
    'not_a_sovereign',
    'This Catalyst is a mothership (CATALYST_MODE=mothership): it has no Sovereign components of its own',
  );

export const componentNotFound = (namespace: string, name: string) =>
  new AppError(404, 'component_not_found', `No component HelmRelease ${namespace}/${name} on this cluster`);

/** The cluster is configured but its API did not answer as asked. */
export const clusterUnreachable = (what: string) =>
  new AppError(503, 'cluster_unavailable', `The cluster's API did not answer: ${what}`);
