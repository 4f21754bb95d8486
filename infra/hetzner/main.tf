# One Sovereign on Hetzner Cloud: a private network, a firewall, 1 or 3 k3s control planes,
# N workers and an lb11 load balancer in front of the control planes.
#
# Naming: catalyst-<slug>-<role>, slug = the fqdn with dots as dashes (catalyst-omantel-omani-works-cp1).
# Server names are hostnames and k3s node names, i.e. ONE DNS label of at most 63 characters; the
# longest role suffix is "-w50", so a slug longer than 50 characters is cut to 41 and given "-" and
# the first 8 hex of sha256(fqdn) (still unique, still stable across runs).
#
# Labels: every resource that takes labels carries
#   catalyst.openova.io/sovereign  = <fqdn>          (a Hetzner label value: <= 63 characters,
#                                                     letters/digits at the ends, "-_." inside;
#                                                     an fqdn of up to 63 characters fits as-is)
#   catalyst.openova.io/deployment = <deployment_id> (exact, for the api's orphan sweep)
# An fqdn longer than 63 characters (the api accepts up to 253) is cut to 54 and given "-" and the
# first 8 hex of sha256(fqdn); the exact value is output as sovereign_label. Servers also carry
# catalyst.openova.io/role = control-plane | worker. (hcloud_network_subnet takes no labels.)

locals {
  slug_full = replace(var.sovereign_fqdn, ".", "-")
  fqdn_hash = substr(sha256(var.sovereign_fqdn), 0, 8)
  slug      = length(local.slug_full) <= 50 ? local.slug_full : "${replace(substr(local.slug_full, 0, 41), "/-+$/", "")}-${local.fqdn_hash}"
  prefix    = "catalyst-${local.slug}"

  sovereign_label = length(var.sovereign_fqdn) <= 63 ? var.sovereign_fqdn : "${replace(substr(var.sovereign_fqdn, 0, 54), "/[-.]+$/", "")}-${local.fqdn_hash}"

  labels = {
    "catalyst.openova.io/sovereign"  = local.sovereign_label
    "catalyst.openova.io/deployment" = var.deployment_id
  }

  image = "ubuntu-24.04"

  network_zone = {
    fsn1 = "eu-central"
    nbg1 = "eu-central"
    hel1 = "eu-central"
    ash  = "us-east"
    hil  = "us-west"
  }[var.region]

  network_cidr = "10.0.0.0/16"
  subnet_cidr  = "10.0.1.0/24"

  control_plane_count = var.ha_enabled ? 3 : 1
  # cp1 = 10.0.1.2, cp2 = .3, cp3 = .4; w1 = 10.0.1.10 … w50 = .59; the load balancer takes .254 so
  # that Hetzner's automatic assignment can never take a node's address first.
  control_plane_ips = [for i in range(local.control_plane_count) : cidrhost(local.subnet_cidr, i + 2)]
  worker_ips        = [for i in range(var.worker_count) : cidrhost(local.subnet_cidr, i + 10)]
  lb_private_ip     = cidrhost(local.subnet_cidr, 254)

  # Where Cilium (kube-proxy replacement) reaches the kube-apiserver from every node: cp1 when there
  # is one control plane, the load balancer's private address (port 6443 → every control plane) in HA.
  kube_api_internal_host = var.ha_enabled ? local.lb_private_ip : local.control_plane_ips[0]

  # The node join secret. Derived from the (secret) API token so that nothing else needs storing;
  # user_data changes are ignored below, so a later token rotation does not replace the servers.
  k3s_token = sha256("${var.hcloud_token}/${var.sovereign_fqdn}/k3s-join")

  # Bootstrap-kit releases that only some Sovereigns run. Each is a Kustomize Component under
  # clusters/_template/bootstrap-kit/components/<id>/ (the contract test keeps this list and those
  # directories equal); every other kit release is always installed. See clusters/_template/README.md.
  optional_kit_components = [
    "alloy",
    "bge",
    "clickhouse",
    "debezium",
    "falco",
    "ferretdb",
    "flink",
    "grafana",
    "iceberg",
    "keycloak",
    "knative",
    "langfuse",
    "librechat",
    "litmus",
    "livekit",
    "loki",
    "matrix",
    "milvus",
    "mimir",
    "neo4j",
    "ntfy",
    "opensearch",
    "opentelemetry",
    "sigstore",
    "stalwart",
    "strimzi",
    "strongswan",
    "stunner",
    "tempo",
    "temporal",
    "trivy",
    "vllm",
  ]
  kit_component_paths     = [for id in sort(tolist(setintersection(toset(local.optional_kit_components), toset(var.components)))) : "components/${id}"]

  public_tcp_ports = {
    http     = 80
    https    = 443
    kube-api = 6443
  }

  # listen port → NodePort of the Cilium ingress (80/443), or the kube-apiserver (6443).
  lb_services = {
    http     = { listen = 80, destination = 31080 }
    https    = { listen = 443, destination = 31443 }
    kube-api = { listen = 6443, destination = 6443 }
  }
}

resource "hcloud_network" "main" {
  name     = "${local.prefix}-net"
  ip_range = local.network_cidr
  labels   = local.labels
}

resource "hcloud_network_subnet" "main" {
  network_id   = hcloud_network.main.id
  type         = "cloud"
  network_zone = local.network_zone
  ip_range     = local.subnet_cidr
}

resource "hcloud_firewall" "main" {
  name   = "${local.prefix}-fw"
  labels = local.labels

  dynamic "rule" {
    for_each = local.public_tcp_ports
    content {
      description = rule.key
      direction   = "in"
      protocol    = "tcp"
      port        = tostring(rule.value)
      source_ips  = ["0.0.0.0/0", "::/0"]
    }
  }

  rule {
    description = "icmp"
    direction   = "in"
    protocol    = "icmp"
    source_ips  = ["0.0.0.0/0", "::/0"]
  }

  dynamic "rule" {
    for_each = length(var.ssh_allowed_cidrs) > 0 ? [var.ssh_allowed_cidrs] : []
    content {
      description = "ssh"
      direction   = "in"
      protocol    = "tcp"
      port        = "22"
      source_ips  = rule.value
    }
  }
}

resource "hcloud_ssh_key" "main" {
  name       = "${local.prefix}-ssh"
  public_key = var.ssh_public_key
  labels     = local.labels
}

resource "hcloud_load_balancer" "main" {
  name               = "${local.prefix}-lb"
  load_balancer_type = "lb11"
  location           = var.region
  labels             = local.labels

  algorithm {
    type = "round_robin"
  }
}

resource "hcloud_load_balancer_network" "main" {
  load_balancer_id = hcloud_load_balancer.main.id
  subnet_id        = hcloud_network_subnet.main.id
  ip               = local.lb_private_ip
}

resource "hcloud_load_balancer_service" "main" {
  for_each = local.lb_services

  load_balancer_id = hcloud_load_balancer.main.id
  protocol         = "tcp"
  listen_port      = each.value.listen
  destination_port = each.value.destination
}

resource "hcloud_server" "control_plane" {
  count = local.control_plane_count

  name         = "${local.prefix}-cp${count.index + 1}"
  image        = local.image
  server_type  = var.control_plane_size
  location     = var.region
  ssh_keys     = [hcloud_ssh_key.main.id]
  firewall_ids = [hcloud_firewall.main.id]
  labels       = merge(local.labels, { "catalyst.openova.io/role" = "control-plane" })

  public_net {
    ipv4_enabled = true
    ipv6_enabled = true
  }

  network {
    network_id = hcloud_network.main.id
    ip         = local.control_plane_ips[count.index]
    alias_ips  = []
  }

  user_data = templatefile("${path.module}/cloudinit-control-plane.tftpl", {
    # this node
    node_name  = "${local.prefix}-cp${count.index + 1}"
    primary    = count.index == 0
    private_ip = local.control_plane_ips[count.index]
    join_ip    = local.control_plane_ips[0]
    k3s_token  = local.k3s_token
    # the cluster
    sovereign_fqdn         = var.sovereign_fqdn
    sovereign_label        = local.sovereign_label
    deployment_id          = var.deployment_id
    org_name               = var.org_name
    admin_email            = var.admin_email
    hcloud_project_id      = var.hcloud_project_id
    region                 = var.region
    regions                = var.regions
    facts_regions          = [for r in var.regions : { provider = r.provider, region = r.cloud_region, controlPlaneSize = r.control_plane_size, workerSize = r.worker_size, workerCount = r.worker_count }]
    domain_mode            = var.domain_mode
    ha_enabled             = var.ha_enabled
    worker_count           = var.worker_count
    lb_ipv4                = hcloud_load_balancer.main.ipv4
    lb_private_ip          = local.lb_private_ip
    kube_api_internal_host = local.kube_api_internal_host
    # versions (platformVersions of the catalog)
    k3s_version    = var.k3s_version
    cilium_version = var.cilium_version
    flux_version   = var.flux_version
    # the bp-* charts (cloud-init installs bp-cilium from there; the kit's HelmRepository points there)
    catalyst_charts_oci = var.catalyst_charts_oci
    # kubeconfig post-back
    catalyst_api_url        = var.catalyst_api_url
    kubeconfig_bearer_token = var.kubeconfig_bearer_token
    # handover: the Sovereign's Catalyst checks the mothership's one-time link with this public key
    handover_public_key = var.handover_public_key
    # GitOps
    gitops_repo_url     = var.gitops_repo_url
    gitops_branch       = var.gitops_branch
    components          = var.components
    kit_component_paths = local.kit_component_paths
  })

  # The subnet must exist before a server can take an address in it.
  depends_on = [hcloud_network_subnet.main, hcloud_load_balancer_network.main]

  lifecycle {
    # cloud-init runs once; a changed template (or rotated token) must not replace a running node.
    ignore_changes = [user_data, image, ssh_keys]

    precondition {
      condition     = var.worker_count == 0 || var.worker_size != ""
      error_message = "worker_size is required when worker_count is above 0."
    }
  }
}

resource "hcloud_load_balancer_target" "control_plane" {
  count = local.control_plane_count

  type             = "server"
  load_balancer_id = hcloud_load_balancer.main.id
  server_id        = hcloud_server.control_plane[count.index].id
  use_private_ip   = true

  depends_on = [hcloud_load_balancer_network.main]
}

resource "hcloud_server" "worker" {
  count = var.worker_count

  name         = "${local.prefix}-w${count.index + 1}"
  image        = local.image
  server_type  = var.worker_size
  location     = var.region
  ssh_keys     = [hcloud_ssh_key.main.id]
  firewall_ids = [hcloud_firewall.main.id]
  labels       = merge(local.labels, { "catalyst.openova.io/role" = "worker" })

  public_net {
    ipv4_enabled = true
    ipv6_enabled = true
  }

  network {
    network_id = hcloud_network.main.id
    ip         = local.worker_ips[count.index]
    alias_ips  = []
  }

  user_data = templatefile("${path.module}/cloudinit-worker.tftpl", {
    node_name      = "${local.prefix}-w${count.index + 1}"
    private_ip     = local.worker_ips[count.index]
    join_ip        = local.control_plane_ips[0]
    k3s_token      = local.k3s_token
    k3s_version    = var.k3s_version
    sovereign_fqdn = var.sovereign_fqdn
  })

  # Workers join cp1; creating them after it keeps the join retries short.
  depends_on = [hcloud_network_subnet.main, hcloud_server.control_plane]

  lifecycle {
    ignore_changes = [user_data, image, ssh_keys]
  }
}
