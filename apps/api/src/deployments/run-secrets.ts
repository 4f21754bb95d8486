import { createHash } from 'node:crypto';
import { deriveRunSecret, type SecretKeys } from '../crypto/keys.js';

/** How a post-back bearer is kept: only this hash is stored, never the token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The cluster's node join secret as infra/hetzner/main.tf derives it (`local.k3s_token`), mirrored
 * so the redactor can mask it: tofu renders it into user_data, so plans and errors may quote it.
 * A contract test keeps this formula and the module's equal.
 */
export function k3sJoinToken(hetznerToken: string, fqdn: string): string {
  return createHash('sha256').update(`${hetznerToken}/${fqdn}/k3s-join`).digest('hex');
}

/**
 * A region's kubeconfig post-back bearer: derived from the run key, the deployment and the region, so every
 * replica knows it and nothing but its hash is stored. Each region's control plane gets its own (tfvars
 * `kubeconfig_bearer_tokens`), so the post-back says which region it is.
 */
export function kubeconfigTokenOf(keys: SecretKeys, deploymentId: string, region: string): string {
  return deriveRunSecret(keys, 'kubeconfig-token', `${deploymentId}\n${region}`);
}
