# Catalyst: one Sovereign = one k3s cluster per region on Hetzner Cloud (ClusterMesh between them).
#
# The api stages this directory into a per-Sovereign workdir, writes `tofu.auto.tfvars.json`
# (apps/api/src/deployments/tfvars.ts) and runs init/plan/apply/output there.
#
# State: the `pg` backend is declared empty on purpose. The api supplies the connection through
# the environment (PG_CONN_STR, PG_SCHEMA_NAME: one schema per Sovereign), so no credentials are
# written into this module, the workdir or the plan file.
#
# State encryption: supplied at run time through TF_ENCRYPTION (OpenTofu >= 1.7). No encryption
# block lives here, because its passphrase would have to be a file or a variable.

terraform {
  # hcloud 1.64+ supports OpenTofu 1.10 and newer (the api's preflight asks for 1.10 too).
  required_version = ">= 1.10.0"

  required_providers {
    hcloud = {
      source = "hetznercloud/hcloud"
      # Pinned exactly; offline installs mirror this one version (docs/configuration.md). 1.67+ knows
      # only `location` for servers and primary IPs (Hetzner's API dropped `datacenter` after 1 July 2026).
      version = "1.68.0"
    }
    # The ClusterMesh CA of a multi-region Sovereign (no network access: keys are made locally).
    tls = {
      source  = "hashicorp/tls"
      version = "4.2.1"
    }
  }

  backend "pg" {}
}

# The endpoint comes from HCLOUD_ENDPOINT (the api points it at its Hetzner emulator in tests).
provider "hcloud" {
  token = var.hcloud_token
}
