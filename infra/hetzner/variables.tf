# Every variable the api writes to `tofu.auto.tfvars.json` (apps/api/src/deployments/tfvars.ts).
# infra/test/tfvars.contract.test.ts checks both ways: each key written is declared
# here with a matching type, and each variable without a default is written. A variable added here
# without a default breaks provisioning until the api writes it.
#
# The api validates the provision request first (libs/contracts); the checks below repeat the rules
# that matter to this module so that a bad value fails at `tofu plan` with a clear message instead
# of half-way through `apply`.

# ---------------------------------------------------------------------------------------------
# Identity of the Sovereign
# ---------------------------------------------------------------------------------------------

variable "deployment_id" {
  type        = string
  description = "The api's deployment id (a UUID). Labels every resource (catalyst.openova.io/deployment) and addresses the kubeconfig post-back."

  validation {
    # Also a valid Hetzner label value: at most 63 characters, letters or digits at both ends.
    condition     = can(regex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", var.deployment_id))
    error_message = "deployment_id must be 1-63 letters, digits or hyphens, starting and ending with a letter or digit."
  }
}

variable "sovereign_fqdn" {
  type        = string
  description = "The Sovereign's domain (e.g. omantel.omani.works): console.<fqdn> is its console; resources are named catalyst-<fqdn with dots as dashes>-<role>."

  validation {
    condition     = length(var.sovereign_fqdn) <= 253
    error_message = "sovereign_fqdn must be at most 253 characters."
  }

  validation {
    # Lower-case RFC 1123 labels of 1-63 characters, at least two of them (libs/contracts isDomainName).
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.sovereign_fqdn))
    error_message = "sovereign_fqdn must be a lower-case domain name such as cloud.example.com (labels of 1-63 letters, digits or hyphens, no trailing dot)."
  }

  validation {
    condition     = can(regex("\\.[a-z0-9-]*[a-z][a-z0-9-]*$", var.sovereign_fqdn))
    error_message = "sovereign_fqdn must end in a top-level domain that contains a letter."
  }
}

variable "org_name" {
  type        = string
  description = "The organisation's display name; passed to the bootstrap kit (SOVEREIGN_ORG_NAME)."

  validation {
    condition     = length(trimspace(var.org_name)) > 0 && length(var.org_name) <= 100 && !can(regex("[[:cntrl:]]", var.org_name))
    error_message = "org_name must be 1-100 characters on one line."
  }
}

variable "admin_email" {
  type        = string
  description = "The first sovereign-admin's e-mail; also the ACME account e-mail of the Sovereign's certificates."

  validation {
    condition     = length(var.admin_email) <= 254 && can(regex("^[^@\\s\"\\\\]+@[^@\\s\"\\\\]+\\.[^@\\s\"\\\\]+$", var.admin_email))
    error_message = "admin_email must be an e-mail address such as admin@example.com."
  }
}

# ---------------------------------------------------------------------------------------------
# Hetzner Cloud
# ---------------------------------------------------------------------------------------------

variable "hcloud_token" {
  type        = string
  description = "Hetzner Cloud API token (Read & Write) of the project the Sovereign is created in."
  sensitive   = true

  validation {
    # The hcloud provider itself refuses any other length.
    condition     = can(regex("^[A-Za-z0-9]{64}$", var.hcloud_token))
    error_message = "hcloud_token must be 64 letters and digits (Hetzner Console: Security, API tokens)."
  }
}

variable "hcloud_project_id" {
  type        = string
  description = "Hetzner Cloud project id (the number in the Console URL); recorded on the nodes in /var/lib/catalyst/sovereign.json."

  validation {
    condition     = can(regex("^[0-9]{1,20}$", var.hcloud_project_id))
    error_message = "hcloud_project_id must be the project's number (up to 20 digits)."
  }
}

variable "ha_enabled" {
  type        = bool
  description = "true: three control-plane nodes (embedded etcd quorum) in every region; false: one."
}

variable "regions" {
  type = list(object({
    provider           = string
    cloud_region       = string
    control_plane_size = string
    worker_size        = string
    worker_count       = number
  }))
  description = "Every region of the request, in its order (the first is the primary): one k3s cluster each, keyed by cloud_region (a Hetzner location), with its control-plane size, worker size and worker count."

  validation {
    condition     = length(var.regions) >= 1 && length(var.regions) <= 5
    error_message = "regions must hold 1 to 5 entries."
  }

  validation {
    # Only Hetzner has a module; the api refuses other providers before this runs (422).
    condition     = alltrue([for r in var.regions : contains(["hetzner"], r.provider)])
    error_message = "Each region's provider must be hetzner: this module builds Hetzner Cloud regions only (other providers have no module yet)."
  }

  validation {
    condition     = alltrue([for r in var.regions : contains(["fsn1", "nbg1", "hel1", "ash", "hil"], r.cloud_region)])
    error_message = "Each region's cloud_region must be one of fsn1, nbg1, hel1, ash, hil."
  }

  validation {
    condition     = length(distinct([for r in var.regions : r.cloud_region])) == length(var.regions)
    error_message = "Each region's cloud_region must be unique: one cluster per Hetzner location."
  }

  validation {
    condition     = alltrue([for r in var.regions : can(regex("^(cx|cpx|ccx|cax)[0-9]{1,3}$", r.control_plane_size))])
    error_message = "Each region's control_plane_size must be a Hetzner server type such as cpx32, cx33, ccx23 or cax21."
  }

  validation {
    condition     = alltrue([for r in var.regions : r.worker_size == "" || can(regex("^(cx|cpx|ccx|cax)[0-9]{1,3}$", r.worker_size))])
    error_message = "Each region's worker_size must be empty or a Hetzner server type such as cpx42, cx43, ccx33 or cax31."
  }

  validation {
    condition     = alltrue([for r in var.regions : r.worker_count >= 0 && r.worker_count <= 50 && floor(r.worker_count) == r.worker_count])
    error_message = "Each region's worker_count must be a whole number from 0 to 50."
  }

  validation {
    condition     = alltrue([for r in var.regions : r.worker_count == 0 || r.worker_size != ""])
    error_message = "Each region's worker_size is required when its worker_count is above 0."
  }
}

variable "ssh_public_key" {
  type        = string
  description = "OpenSSH public key installed for root on every node (ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521)."

  validation {
    condition     = can(regex("^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]{30,}={0,3}( [^\\r\\n]*)?$", var.ssh_public_key))
    error_message = "ssh_public_key must be one OpenSSH public key line: ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521 and its base64 body."
  }
}

variable "ssh_allowed_cidrs" {
  type        = list(string)
  description = "Source networks allowed to reach TCP 22 on the nodes. Empty (the default): no SSH rule, so port 22 is closed."
  default     = []

  validation {
    condition     = alltrue([for c in var.ssh_allowed_cidrs : can(cidrhost(c, 0))])
    error_message = "Each ssh_allowed_cidrs entry must be a CIDR block such as 203.0.113.0/24 or 2001:db8::/32."
  }
}

variable "domain_mode" {
  type        = string
  description = "How the Sovereign's domain is delegated: pool (a subdomain of a Catalyst pool domain), byo-manual or byo-api."

  validation {
    condition     = contains(["pool", "byo-manual", "byo-api"], var.domain_mode)
    error_message = "domain_mode must be one of pool, byo-manual, byo-api."
  }
}

# ---------------------------------------------------------------------------------------------
# Catalyst (the api that provisions this Sovereign) and GitOps
# ---------------------------------------------------------------------------------------------

variable "kubeconfig_bearer_tokens" {
  type        = map(string)
  description = "One one-time token per region (keyed by cloud_region): that region's first control plane presents it (Authorization: Bearer) when it PUTs its kubeconfig back to the api, which keeps only its hash and so knows the region. Exactly the regions' keys (checked on hcloud_ssh_key.main)."
  sensitive   = true

  validation {
    condition     = length(var.kubeconfig_bearer_tokens) >= 1 && alltrue([for k in keys(var.kubeconfig_bearer_tokens) : contains(["fsn1", "nbg1", "hel1", "ash", "hil"], k)])
    error_message = "kubeconfig_bearer_tokens must be keyed by the regions' cloud_region (fsn1, nbg1, hel1, ash, hil), one token per region."
  }

  validation {
    # RFC 6750 b64token.
    condition     = alltrue([for t in values(var.kubeconfig_bearer_tokens) : can(regex("^[A-Za-z0-9._~+/-]{32,512}=*$", t))])
    error_message = "Each kubeconfig_bearer_tokens value must be 32-512 token characters (A-Z a-z 0-9 - . _ ~ + /)."
  }
}

variable "handover_public_key" {
  type        = string
  description = "The public half of this Sovereign's handover key: the base64 of its Ed25519 SubjectPublicKeyInfo (DER), the PEM body on one line. The kit hands it to the Sovereign's Catalyst as CATALYST_HANDOVER_PUBLIC_KEY, which checks the one-time handover link the api signs with the private half (never written anywhere)."

  validation {
    # The Ed25519 SPKI prefix (MCowBQYDK2VwAyEA) and 32 key bytes, canonical base64.
    condition     = can(regex("^MCowBQYDK2VwAyEA[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$", var.handover_public_key))
    error_message = "handover_public_key must be an Ed25519 public key as one line of base64 SPKI (MCowBQYDK2VwAyEA followed by 44 characters), without the PEM lines."
  }
}

variable "catalyst_api_url" {
  type        = string
  description = "Base URL of the Catalyst api, without a trailing slash; the kubeconfig goes to <url>/api/v1/deployments/<deployment_id>/kubeconfig."

  validation {
    condition     = can(regex("^https?://[^\\s/?#]+(/[^\\s?#]*[^\\s?#/])?$", var.catalyst_api_url))
    error_message = "catalyst_api_url must be an http(s) URL without a trailing slash, query or fragment."
  }
}

variable "gitops_repo_url" {
  type        = string
  description = "Git repository (http or https) Flux reconciles clusters/_template from."

  validation {
    condition     = can(regex("^https?://[^\\s]+$", var.gitops_repo_url))
    error_message = "gitops_repo_url must be an http(s) URL of a Git repository."
  }
}

variable "gitops_branch" {
  type        = string
  description = "Branch of gitops_repo_url Flux follows."

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,200}$", var.gitops_branch)) && !can(regex("\\.\\.", var.gitops_branch))
    error_message = "gitops_branch must be a branch name (letters, digits, . _ / -)."
  }
}

variable "catalyst_charts_oci" {
  type        = string
  description = "OCI registry path of the bootstrap kit's bp-* charts (oci://<registry>/<path>, no trailing slash), where .github/workflows/blueprint-release.yaml publishes them: cloud-init installs bp-cilium from it and the kit's HelmRepository catalyst-charts points at it (CATALYST_CHARTS_OCI)."
  default     = "oci://ghcr.io/openova-io/charts"

  validation {
    condition     = can(regex("^oci://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)+$", var.catalyst_charts_oci))
    error_message = "catalyst_charts_oci must be an oci:// registry path without a trailing slash, such as oci://ghcr.io/openova-io/charts."
  }
}

# ---------------------------------------------------------------------------------------------
# Platform versions: platformVersions in libs/contracts/src/catalog.ts, never literals here
# ---------------------------------------------------------------------------------------------

variable "k3s_version" {
  type        = string
  description = "k3s release installed on every node, as vMAJOR.MINOR.PATCH+k3sN."

  validation {
    condition     = can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+\\+k3s[0-9]+$", var.k3s_version))
    error_message = "k3s_version must be a k3s release tag: vMAJOR.MINOR.PATCH+k3sN."
  }
}

variable "cilium_version" {
  type        = string
  description = "Cilium chart version cloud-init installs and bp-cilium adopts, as MAJOR.MINOR.PATCH."

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.cilium_version))
    error_message = "cilium_version must be MAJOR.MINOR.PATCH (no leading v)."
  }
}

variable "flux_version" {
  type        = string
  description = "Flux release cloud-init installs and bp-flux keeps (its FluxInstance distribution version), as MAJOR.MINOR.PATCH."

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.flux_version))
    error_message = "flux_version must be MAJOR.MINOR.PATCH (no leading v)."
  }
}

variable "components" {
  type        = list(string)
  description = "Catalog ids of the components the Sovereign installs. Optional bootstrap-kit releases are gated on it (see local.optional_kit_components in main.tf); the whole list reaches the kit as CATALYST_COMPONENTS."

  validation {
    condition     = length(var.components) <= 200 && alltrue([for c in var.components : can(regex("^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$", c))])
    error_message = "components must be at most 200 catalog ids (lower-case letters, digits and hyphens)."
  }
}
