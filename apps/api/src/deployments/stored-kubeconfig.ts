import type { Sealer } from '../crypto/sealer.js';
import {
  InvalidKubeconfigError,
  type KubeApiEndpoint,
  parseSovereignKubeconfig,
  type SovereignKubeconfig,
} from '../helmwatch/kubeconfig.js';
import { kubeconfigNotReady, storedKubeconfigInvalid } from './deployments.errors.js';
import type { DeploymentRow } from './deployments.repository.js';

type KubeconfigRow = Pick<DeploymentRow, 'id' | 'fqdn' | 'result' | 'sealedKubeconfig'>;

/** Where this deployment's kube-apiserver may be: its load balancer, its first control plane, its name. */
export function kubeApiEndpointOf(
  row: Pick<DeploymentRow, 'fqdn' | 'result'>,
  port: number,
): KubeApiEndpoint {
  const result = (row.result ?? {}) as { loadBalancerIP?: string; controlPlaneIP?: string };
  return {
    hosts: [result.loadBalancerIP, result.controlPlaneIP, row.fqdn].filter((h): h is string => !!h),
    port,
  };
}

/**
 * The stored kubeconfig, parsed again under the same rules as a posted one every time it is used,
 * so a row stored before those rules (or written behind the api's back) cannot bypass them.
 */
export function loadStoredKubeconfig(row: KubeconfigRow, sealer: Sealer, port: number): SovereignKubeconfig {
  if (!row.sealedKubeconfig) throw kubeconfigNotReady();
  try {
    return parseSovereignKubeconfig(
      sealer.unseal(row.sealedKubeconfig, row.id),
      kubeApiEndpointOf(row, port),
    );
  } catch (error) {
    if (!(error instanceof InvalidKubeconfigError)) throw error;
    throw storedKubeconfigInvalid(error.issues);
  }
}
