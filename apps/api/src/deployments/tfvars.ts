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
  /** The first region's Hetzner location; the cluster lives there. */
  region: string;
  control_plane_size: string;
  worker_size: string;
  worker_count: number;
  ha_enabled: boolean;
  regions: {
    provider: string;
    cloud_region: string;
    control_plane_size: string;
    worker_size: string;
    worker_count: number;
  }[];
  ssh_public_key: string;
  domain_mode: string;
  /** One-time token cloud-init uses to PUT the kubeconfig back; only its hash is stored by the api. */
  kubeconfig_bearer_token: string;
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
  kubeconfigToken: string;
  apiUrl: string;
  gitopsRepoUrl: string;
  gitopsBranch: string;
  components: string[];
  /** handoverKeyPairFor(…).publicKeyBase64 (deployments/handover-link.ts). */
  handoverPublicKey: string;
}

export function buildTfvars(input: TfvarsInput): Tfvars {
  const [primary] = input.regions;
  if (!primary) throw new Error('a provision request has at least one region');
  return {
    deployment_id: input.deploymentId,
    sovereign_fqdn: input.fqdn,
    org_name: input.orgName,
    admin_email: input.adminEmail,
    hcloud_token: input.hetznerToken,
    hcloud_project_id: input.hetznerProjectId,
    region: primary.cloudRegion,
    control_plane_size: primary.controlPlaneSize,
    worker_size: primary.workerSize,
    worker_count: primary.workerCount,
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
    kubeconfig_bearer_token: input.kubeconfigToken,
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
