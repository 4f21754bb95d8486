# One Sovereign on Hetzner Cloud: one k3s cluster per region of the request, all in one root module.
# Every per-region resource is `for_each` over local.regions (keyed by the region's Hetzner location,
# e.g. hcloud_network.main["fsn1"]); every per-node resource over local.nodes (keyed
# "<region>/<node>", e.g. hcloud_server.control_plane["fsn1/cp1"], hcloud_server.worker["fsn1/w1"]).
# The region of any resource address is therefore its instance key up to the first "/" (the api reads
# it from tofu's -json events). Per region: a private network, a firewall, 1 or 3 k3s control planes,
# N workers, an lb11 load balancer in front of the control planes, and a primary IPv4 per node.
# Shared: the SSH key and, with more than one region, the ClusterMesh CA (tls provider) and a floating
# IPv4 per region (assigned to its cp1) that the clustermesh-apiserver's LoadBalancer Service takes.
#
# Addresses of region i (its position in var.regions, 0 = primary): network 10.<i>.0.0/16, subnet
# 10.<i>.1.0/24 (cp1 .2, cp2 .3, cp3 .4, w1 .10 … w50 .59, load balancer .254), k3s cluster-cidr
# (pods) 10.<42+2i>.0.0/16, service-cidr 10.<43+2i>.0.0/16 (cluster DNS at .10); Cilium cluster name =
# the region id, cluster id = i+1. Region 0 is exactly the one-region layout (10.42/10.43 = k3s defaults).
#
# One region = no mesh: nodes talk over the private network and the names are exactly
# catalyst-<slug>-<role>. More than one region = ClusterMesh with WireGuard over the nodes' public
# IPv4s (k3s node-ip = the node's primary IP), names catalyst-<slug>-<region>-<role>, and every
# firewall admits WireGuard/VXLAN/kubelet/etcd from every node of the Sovereign.
#
# Naming: slug = the fqdn with dots as dashes (catalyst-omantel-omani-works-cp1). Server names are
# hostnames and k3s node names, i.e. ONE DNS label of at most 63 characters; the longest suffix is
# "-w50" ("-<region>-w50" with more than one region), so a slug longer than 50 characters (50 minus
# "-<longest region id>" with more than one region) is cut to 41 (resp. 41 minus that) and given "-"
# and the first 8 hex of sha256(fqdn) (still unique, still stable across runs).
#
# Labels: every resource that takes labels carries
#   catalyst.openova.io/sovereign  = <fqdn>          (a Hetzner label value: <= 63 characters,
#                                                     letters/digits at the ends, "-_." inside;
#                                                     an fqdn of up to 63 characters fits as-is)
#   catalyst.openova.io/deployment = <deployment_id> (exact, for the api's orphan sweep)
# and every per-region or per-node resource also catalyst.openova.io/region = <region> (the shared
# SSH key has no region). An fqdn longer than 63 characters (the api accepts up to 253) is cut to 54
# and given "-" and the first 8 hex of sha256(fqdn); the exact value is output as sovereign_label.
# Servers and their primary IPs also carry catalyst.openova.io/role = control-plane | worker.
# (hcloud_network_subnet, the load balancer's network, services and targets and the floating IP
# assignment take no labels.)

locals {
  # ---------------------------------------------------------------------------------------------
  # Regions: keyed by the Hetzner location, index = position in the request (0 = primary)
  # ---------------------------------------------------------------------------------------------
  regions        = { for i, r in var.regions : r.cloud_region => merge(r, { index = i }) }
  primary_region = var.regions[0].cloud_region
  multi_region   = length(var.regions) > 1

  slug_full       = replace(var.sovereign_fqdn, ".", "-")
  fqdn_hash       = substr(sha256(var.sovereign_fqdn), 0, 8)
  longest_region  = max([for r in var.regions : length(r.cloud_region)]...)
  slug_max        = local.multi_region ? 49 - local.longest_region : 50
  slug            = length(local.slug_full) <= local.slug_max ? local.slug_full : "${replace(substr(local.slug_full, 0, local.slug_max - 9), "/-+$/", "")}-${local.fqdn_hash}"
  prefix          = "catalyst-${local.slug}"
  region_prefixes = { for k, r in local.regions : k => local.multi_region ? "${local.prefix}-${k}" : local.prefix }

  sovereign_label = length(var.sovereign_fqdn) <= 63 ? var.sovereign_fqdn : "${replace(substr(var.sovereign_fqdn, 0, 54), "/[-.]+$/", "")}-${local.fqdn_hash}"

  labels = {
    "catalyst.openova.io/sovereign"  = local.sovereign_label
    "catalyst.openova.io/deployment" = var.deployment_id
  }
  region_labels = { for k, r in local.regions : k => merge(local.labels, { "catalyst.openova.io/region" = k }) }

  image = "ubuntu-24.04"

  network_zones = {
    fsn1 = "eu-central"
    nbg1 = "eu-central"
    hel1 = "eu-central"
    ash  = "us-east"
    hil  = "us-west"
  }

  # Per region (see the header): nothing overlaps between regions, region 0 is today's layout.
  network_cidrs = { for k, r in local.regions : k => "10.${r.index}.0.0/16" }
  subnet_cidrs  = { for k, r in local.regions : k => "10.${r.index}.1.0/24" }
  pod_cidrs     = { for k, r in local.regions : k => "10.${42 + 2 * r.index}.0.0/16" }
  service_cidrs = { for k, r in local.regions : k => "10.${43 + 2 * r.index}.0.0/16" }
  cluster_ids   = { for k, r in local.regions : k => r.index + 1 }
  # The load balancer takes .254 so that Hetzner's automatic assignment can never take a node's address first.
  lb_private_ips = { for k, r in local.regions : k => cidrhost(local.subnet_cidrs[k], 254) }

  control_plane_count = var.ha_enabled ? 3 : 1

  # Every node of the Sovereign, keyed "<region>/<node>": cp1 = .2, cp2 = .3, cp3 = .4; w1 = .10 … w50 = .59.
  control_plane_nodes = merge([
    for k, r in local.regions : {
      for n in range(local.control_plane_count) : "${k}/cp${n + 1}" => {
        region      = k
        role        = "control-plane"
        name        = "${local.region_prefixes[k]}-cp${n + 1}"
        private_ip  = cidrhost(local.subnet_cidrs[k], n + 2)
        server_type = r.control_plane_size
        primary     = n == 0
      }
    }
  ]...)
  worker_nodes = merge([
    for k, r in local.regions : {
      for n in range(r.worker_count) : "${k}/w${n + 1}" => {
        region      = k
        role        = "worker"
        name        = "${local.region_prefixes[k]}-w${n + 1}"
        private_ip  = cidrhost(local.subnet_cidrs[k], n + 10)
        server_type = r.worker_size
        primary     = false
      }
    }
  ]...)
  nodes = merge(local.control_plane_nodes, local.worker_nodes)

  # Where Cilium (kube-proxy replacement) reaches the kube-apiserver from every node of a region: its
  # cp1 with one control plane, its load balancer's private address (port 6443 → every control plane) in HA.
  kube_api_internal_hosts = {
    for k, r in local.regions : k => var.ha_enabled ? local.lb_private_ips[k] : local.control_plane_nodes["${k}/cp1"].private_ip
  }

  # The node join secret (one per Sovereign; each region's cluster has its own etcd, so sharing it joins
  # nothing across regions). Derived from the (secret) API token so that nothing else needs storing;
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
  kit_component_paths = [for id in sort(tolist(setintersection(toset(local.optional_kit_components), toset(var.components)))) : "components/${id}"]
  # Not a catalog component: the ClusterMesh values of bp-cilium, included only with more than one region.
  mesh_component_paths = local.multi_region ? ["components/clustermesh"] : []

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
  lb_service_instances = merge([
    for k, r in local.regions : { for name, s in local.lb_services : "${k}/${name}" => merge(s, { region = k }) }
  ]...)

  # ---------------------------------------------------------------------------------------------
  # The mesh (more than one region only)
  # ---------------------------------------------------------------------------------------------

  # Node-to-node traffic over the public IPv4s, admitted from every node of the Sovereign (its primary
  # IPs): WireGuard (Cilium's encryption), VXLAN (Cilium's tunnel), the kubelet, etcd (client and peer)
  # and the clustermesh-apiserver (2379, mTLS) behind each region's floating IP. 6443 is public anyway.
  mesh_regions = { for k, r in local.regions : k => r if local.multi_region }
  mesh_rules = {
    wireguard = { protocol = "udp", port = "51871" }
    vxlan     = { protocol = "udp", port = "8472" }
    kubelet   = { protocol = "tcp", port = "10250" }
    etcd      = { protocol = "tcp", port = "2379-2380" }
  }
  node_source_ips = [for key in sort(keys(local.nodes)) : "${hcloud_primary_ip.node[key].ip_address}/32"]

  clustermesh_ips = { for k, r in local.regions : k => local.multi_region ? hcloud_floating_ip.clustermesh[k].ip_address : "" }
  # Cilium's clustermesh.config.clusters of each region: every OTHER region.
  clustermesh_peers = {
    for k, r in local.regions : k => [
      for other in sort(keys(local.regions)) : { name = other, ips = [local.clustermesh_ips[other]], port = 2379 } if other != k
    ]
  }
}

resource "hcloud_network" "main" {
  for_each = local.regions

  name     = "${local.region_prefixes[each.key]}-net"
  ip_range = local.network_cidrs[each.key]
  labels   = local.region_labels[each.key]
}

resource "hcloud_network_subnet" "main" {
  for_each = local.regions

  network_id   = hcloud_network.main[each.key].id
  type         = "cloud"
  network_zone = local.network_zones[each.key]
  ip_range     = local.subnet_cidrs[each.key]
}

# Created before the servers, so every region's firewall can name every node's public IPv4. Created in
# the node's location (Hetzner removed the `datacenter` of primary IPs and servers from its API after
# 1 July 2026), unassigned: the server takes it through public_net.ipv4. No assignee_type: since
# provider 1.62 it only goes with an assignee_id, and the provider warns about it alone.
resource "hcloud_primary_ip" "node" {
  for_each = local.nodes

  name        = each.value.name
  type        = "ipv4"
  location    = each.value.region
  auto_delete = true
  labels      = merge(local.region_labels[each.value.region], { "catalyst.openova.io/role" = each.value.role })
}

resource "hcloud_firewall" "main" {
  for_each = local.regions

  name   = "${local.region_prefixes[each.key]}-fw"
  labels = local.region_labels[each.key]

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

  # More than one region: the nodes talk over their public IPv4s (one region: over the private network,
  # which no firewall filters).
  dynamic "rule" {
    for_each = { for name, r in local.mesh_rules : name => r if local.multi_region }
    content {
      description = rule.key
      direction   = "in"
      protocol    = rule.value.protocol
      port        = rule.value.port
      source_ips  = local.node_source_ips
    }
  }
}

resource "hcloud_ssh_key" "main" {
  name       = "${local.prefix}-ssh"
  public_key = var.ssh_public_key
  labels     = local.labels

  lifecycle {
    # Checked here rather than in the variable's validation: it compares two variables (the keys are no secret).
    precondition {
      condition     = nonsensitive(toset(keys(var.kubeconfig_bearer_tokens))) == toset(keys(local.regions))
      error_message = "kubeconfig_bearer_tokens must hold exactly one token per region of regions (keyed by cloud_region)."
    }
  }
}

resource "hcloud_load_balancer" "main" {
  for_each = local.regions

  name               = "${local.region_prefixes[each.key]}-lb"
  load_balancer_type = "lb11"
  location           = each.key
  labels             = local.region_labels[each.key]

  algorithm {
    type = "round_robin"
  }
}

resource "hcloud_load_balancer_network" "main" {
  for_each = local.regions

  load_balancer_id = hcloud_load_balancer.main[each.key].id
  subnet_id        = hcloud_network_subnet.main[each.key].id
  ip               = local.lb_private_ips[each.key]
}

resource "hcloud_load_balancer_service" "main" {
  for_each = local.lb_service_instances

  load_balancer_id = hcloud_load_balancer.main[each.value.region].id
  protocol         = "tcp"
  listen_port      = each.value.listen
  destination_port = each.value.destination
}

# The mesh's shared CA: every region's clustermesh-apiserver and agents get their certificates from it
# (Cilium's tls.ca, through the Secret flux-system/catalyst-clustermesh-ca cloud-init creates), so every
# cluster trusts the others. Only with more than one region.
resource "tls_private_key" "clustermesh_ca" {
  count = local.multi_region ? 1 : 0

  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_self_signed_cert" "clustermesh_ca" {
  count = local.multi_region ? 1 : 0

  private_key_pem       = tls_private_key.clustermesh_ca[0].private_key_pem
  is_ca_certificate     = true
  validity_period_hours = 87600 # ten years
  allowed_uses          = ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"]

  subject {
    common_name  = "Cilium ClusterMesh CA ${local.sovereign_label}"
    organization = "Catalyst"
  }
}

# The address of each region's clustermesh-apiserver (a LoadBalancer Service whose IP Cilium's LB IPAM
# takes from a pool holding exactly this address); Hetzner routes it to the region's cp1.
resource "hcloud_floating_ip" "clustermesh" {
  for_each = local.mesh_regions

  name          = "${local.region_prefixes[each.key]}-mesh"
  type          = "ipv4"
  home_location = each.key
  description   = "Cilium clustermesh-apiserver of ${var.sovereign_fqdn} in ${each.key}"
  labels        = local.region_labels[each.key]
}

resource "hcloud_floating_ip_assignment" "clustermesh" {
  for_each = local.mesh_regions

  floating_ip_id = hcloud_floating_ip.clustermesh[each.key].id
  server_id      = hcloud_server.control_plane["${each.key}/cp1"].id
}

resource "hcloud_server" "control_plane" {
  for_each = local.control_plane_nodes

  name         = each.value.name
  image        = local.image
  server_type  = each.value.server_type
  location     = each.value.region
  ssh_keys     = [hcloud_ssh_key.main.id]
  firewall_ids = [hcloud_firewall.main[each.value.region].id]
  labels       = merge(local.region_labels[each.value.region], { "catalyst.openova.io/role" = "control-plane" })

  public_net {
    ipv4_enabled = true
    ipv4         = hcloud_primary_ip.node[each.key].id
    ipv6_enabled = true
  }

  network {
    network_id = hcloud_network.main[each.value.region].id
    ip         = each.value.private_ip
    alias_ips  = []
  }

  user_data = templatefile("${path.module}/cloudinit-control-plane.tftpl", {
    # this node
    node_name  = each.value.name
    primary    = each.value.primary
    private_ip = each.value.private_ip
    public_ip  = hcloud_primary_ip.node[each.key].ip_address
    join_ip    = local.control_plane_nodes["${each.value.region}/cp1"].private_ip
    k3s_token  = local.k3s_token
    # the Sovereign
    sovereign_fqdn    = var.sovereign_fqdn
    sovereign_label   = local.sovereign_label
    deployment_id     = var.deployment_id
    org_name          = var.org_name
    admin_email       = var.admin_email
    hcloud_project_id = var.hcloud_project_id
    regions           = var.regions
    facts_regions     = [for r in var.regions : { provider = r.provider, region = r.cloud_region, controlPlaneSize = r.control_plane_size, workerSize = r.worker_size, workerCount = r.worker_count }]
    domain_mode       = var.domain_mode
    ha_enabled        = var.ha_enabled
    # this node's region (its cluster)
    region                 = each.value.region
    worker_count           = local.regions[each.value.region].worker_count
    cluster_name           = each.value.region
    cluster_id             = local.cluster_ids[each.value.region]
    pod_cidr               = local.pod_cidrs[each.value.region]
    service_cidr           = local.service_cidrs[each.value.region]
    cluster_dns            = cidrhost(local.service_cidrs[each.value.region], 10)
    lb_ipv4                = hcloud_load_balancer.main[each.value.region].ipv4
    lb_private_ip          = local.lb_private_ips[each.value.region]
    kube_api_internal_host = local.kube_api_internal_hosts[each.value.region]
    # the mesh (more than one region; empty otherwise)
    multi_region            = local.multi_region
    clustermesh_ip          = local.clustermesh_ips[each.value.region]
    clustermesh_peers       = local.clustermesh_peers[each.value.region]
    clustermesh_ca_cert_b64 = local.multi_region ? base64encode(tls_self_signed_cert.clustermesh_ca[0].cert_pem) : ""
    clustermesh_ca_key_b64  = local.multi_region ? base64encode(tls_private_key.clustermesh_ca[0].private_key_pem) : ""
    # versions (platformVersions of the catalog)
    k3s_version    = var.k3s_version
    cilium_version = var.cilium_version
    flux_version   = var.flux_version
    # the bp-* charts (cloud-init installs bp-cilium from there; the kit's HelmRepository points there)
    catalyst_charts_oci = var.catalyst_charts_oci
    # kubeconfig post-back: this region's one-time token
    catalyst_api_url        = var.catalyst_api_url
    kubeconfig_bearer_token = var.kubeconfig_bearer_tokens[each.value.region]
    # handover: the Sovereign's Catalyst checks the mothership's one-time link with this public key
    handover_public_key = var.handover_public_key
    # GitOps
    gitops_repo_url     = var.gitops_repo_url
    gitops_branch       = var.gitops_branch
    components          = var.components
    kit_component_paths = concat(local.kit_component_paths, local.mesh_component_paths)
  })

  # The subnet must exist before a server can take an address in it.
  depends_on = [hcloud_network_subnet.main, hcloud_load_balancer_network.main]

  lifecycle {
    # cloud-init runs once; a changed template (or rotated token) must not replace a running node.
    ignore_changes = [user_data, image, ssh_keys]
  }
}

resource "hcloud_load_balancer_target" "control_plane" {
  for_each = local.control_plane_nodes

  type             = "server"
  load_balancer_id = hcloud_load_balancer.main[each.value.region].id
  server_id        = hcloud_server.control_plane[each.key].id
  use_private_ip   = true

  depends_on = [hcloud_load_balancer_network.main]
}

resource "hcloud_server" "worker" {
  for_each = local.worker_nodes

  name         = each.value.name
  image        = local.image
  server_type  = each.value.server_type
  location     = each.value.region
  ssh_keys     = [hcloud_ssh_key.main.id]
  firewall_ids = [hcloud_firewall.main[each.value.region].id]
  labels       = merge(local.region_labels[each.value.region], { "catalyst.openova.io/role" = "worker" })

  public_net {
    ipv4_enabled = true
    ipv4         = hcloud_primary_ip.node[each.key].id
    ipv6_enabled = true
  }

  network {
    network_id = hcloud_network.main[each.value.region].id
    ip         = each.value.private_ip
    alias_ips  = []
  }

  user_data = templatefile("${path.module}/cloudinit-worker.tftpl", {
    node_name      = each.value.name
    private_ip     = each.value.private_ip
    public_ip      = hcloud_primary_ip.node[each.key].ip_address
    multi_region   = local.multi_region
    join_ip        = local.control_plane_nodes["${each.value.region}/cp1"].private_ip
    k3s_token      = local.k3s_token
    k3s_version    = var.k3s_version
    sovereign_fqdn = var.sovereign_fqdn
  })

  # Workers join their region's cp1; creating them after it keeps the join retries short.
  depends_on = [hcloud_network_subnet.main, hcloud_server.control_plane]

  lifecycle {
    ignore_changes = [user_data, image, ssh_keys]
  }
}
