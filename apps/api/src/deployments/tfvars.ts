import { platformVersions } from '@catalyst/contracts';

/**
 * Everything `tofu.auto.tfvars.json` holds: exactly the variables infra/hetzner/variables.tf declares
 * (a contract test parses the .tf files and checks names and types both ways).
 */
export interface Tfvars {
  deployment_id: string;
  sovereign_fqdn: string;
  org_name: string;
  admin_email: string;
  hcloud_token: string;
  hcloud_project_id: string;
  /** Every region's control planes count (1, or 3 with HA). */
  ha_enabled: boolean;
  /** One cluster per entry, in request order (the first is the primary); `cloud_region` keys everything per region. */
  regions: {
    provider: string;
    cloud_region: string;
    control_plane_size: string;
    worker_size: string;
    worker_count: number;
  }[];
  ssh_public_key: string;
  domain_mode: string;
  /**
   * Region (cloud_region) → the one-time token that region's cloud-init uses to PUT its kubeconfig back; only
   * hashes are stored by the api, and the token presented says which region posted.
   */
  kubeconfig_bearer_tokens: Record<string, string>;
  catalyst_api_url: string;
  gitops_repo_url: string;
  gitops_branch: string;
  k3s_version: string;
  cilium_version: string;
  flux_version: string;
  /** The install set, substituted into the bootstrap kit so only selected components are reconciled. */
  components: string[];
  /**
   * The public half of the deployment's handover key (base64 SPKI, one line): the Sovereign's Catalyst checks
   * the one-time handover link with it (CATALYST_HANDOVER_PUBLIC_KEY through the kit).
   */
  handover_public_key: string;
}

export interface TfvarsInput {
  deploymentId: string;
  fqdn: string;
  orgName: string;
  adminEmail: string;
  hetznerToken: string;
  hetznerProjectId: string;
  regions: {
    provider: string;
    cloudRegion: string;
    controlPlaneSize: string;
    workerSize: string;
    workerCount: number;
  }[];
  haEnabled: boolean;
  sshPublicKey: string;
  domainMode: string;
  /** Region (cloudRegion) → its one-time kubeconfig token: exactly one per region. */
  kubeconfigTokens: Record<string, string>;
  apiUrl: string;
  gitopsRepoUrl: string;
  gitopsBranch: string;
  components: string[];
  /** handoverKeyPairFor(…).publicKeyBase64 (deployments/handover-link.ts). */
  handoverPublicKey: string;
}

export function buildTfvars(input: TfvarsInput): Tfvars {
  if (input.regions.length === 0) throw new Error('a provision request has at least one region');
  const regionIds = input.regions.map((r) => r.cloudRegion);
  const tokenIds = Object.keys(input.kubeconfigTokens);
  if (
    tokenIds.length !== regionIds.length ||
    !regionIds.every((r) => Object.hasOwn(input.kubeconfigTokens, r))
  ) {
    throw new Error('one kubeconfig token per region is required');
  }
  return {
    deployment_id: input.deploymentId,
    sovereign_fqdn: input.fqdn,
    org_name: input.orgName,
    admin_email: input.adminEmail,
    hcloud_token: input.hetznerToken,
    hcloud_project_id: input.hetznerProjectId,
    ha_enabled: input.haEnabled,
    regions: input.regions.map((r) => ({
      provider: r.provider,
      cloud_region: r.cloudRegion,
      control_plane_size: r.controlPlaneSize,
      worker_size: r.workerSize,
      worker_count: r.workerCount,
    })),
    ssh_public_key: input.sshPublicKey,
    domain_mode: input.domainMode,
    kubeconfig_bearer_tokens: Object.fromEntries(
      regionIds.map((r) => [r, input.kubeconfigTokens[r] as string]),
    ),
    catalyst_api_url: input.apiUrl,
    gitops_repo_url: input.gitopsRepoUrl,
    gitops_branch: input.gitopsBranch,
    k3s_version: platformVersions.k3s,
    cilium_version: platformVersions.cilium,
    flux_version: platformVersions.flux,
    components: input.components,
    handover_public_key: input.handoverPublicKey,
  };
}
