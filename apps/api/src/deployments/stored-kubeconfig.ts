import type { Sealer } from '../crypto/sealer.js';
import {
  InvalidKubeconfigError,
  type KubeApiEndpoint,
  parseSovereignKubeconfig,
  type SovereignKubeconfig,
} from '../helmwatch/kubeconfig.js';
import { kubeconfigNotReady, storedKubeconfigInvalid } from './deployments.errors.js';
import type { RegionRow } from './deployments.repository.js';

/** A region of a deployment as its kubeconfig is checked: the deployment (id, name) and the region's addresses. */
export type KubeconfigRegion = Pick<RegionRow, 'controlPlaneIp' | 'loadBalancerIp' | 'sealedKubeconfig'> & {
  /** The deployment's id: the sealed kubeconfig is bound to it. */
  id: string;
  fqdn: string;
};

/** Where a region's kube-apiserver may be: its load balancer, its first control plane, the Sovereign's name. */
export function kubeApiEndpointOf(
  region: Pick<KubeconfigRegion, 'fqdn' | 'controlPlaneIp' | 'loadBalancerIp'>,
  port: number,
): KubeApiEndpoint {
  return {
    hosts: [region.loadBalancerIp, region.controlPlaneIp, region.fqdn].filter((h): h is string => !!h),
    port,
  };
}

/**
 * A region's stored kubeconfig, parsed again under the same rules as a posted one every time it is used,
 * so a row stored before those rules (or written behind the api's back) cannot bypass them.
 */
export function loadStoredKubeconfig(
  region: KubeconfigRegion,
  sealer: Sealer,
  port: number,
): SovereignKubeconfig {
  if (!region.sealedKubeconfig) throw kubeconfigNotReady();
  try {
    return parseSovereignKubeconfig(
      sealer.unseal(region.sealedKubeconfig, region.id),
      kubeApiEndpointOf(region, port),
    );
  } catch (error) {
    if (!(error instanceof InvalidKubeconfigError)) throw error;
    throw storedKubeconfigInvalid(error.issues);
  }
}
