# Read by the api after apply (`tofu output -json`, apps/api/src/deployments/run.service.ts).

output "regions" {
  description = "Per region (keyed by its cloud_region): its cp1's and load balancer's public IPv4, its cluster's name and Cilium cluster id, pod and service CIDRs, and its clustermesh-apiserver address (\"\" with one region)."
  value = {
    for k, r in local.regions : k => {
      control_plane_ip = hcloud_server.control_plane["${k}/cp1"].ipv4_address
      load_balancer_ip = hcloud_load_balancer.main[k].ipv4
      cluster_name     = k
      cluster_id       = local.cluster_ids[k]
      pod_cidr         = local.pod_cidrs[k]
      service_cidr     = local.service_cidrs[k]
      clustermesh_ip   = local.clustermesh_ips[k]
    }
  }
}

output "control_plane_ip" {
  description = "Public IPv4 of the primary region's first control plane."
  value       = hcloud_server.control_plane["${local.primary_region}/cp1"].ipv4_address
}

output "load_balancer_ip" {
  description = "Public IPv4 of the primary region's load balancer (80/443 ingress, 6443 kube-apiserver); every region's is in regions."
  value       = hcloud_load_balancer.main[local.primary_region].ipv4
}

output "sovereign_fqdn" {
  description = "The Sovereign's domain."
  value       = var.sovereign_fqdn
}

output "console_url" {
  description = "The Sovereign's console."
  value       = "https://console.${var.sovereign_fqdn}"
}

output "sovereign_label" {
  description = "Value of the catalyst.openova.io/sovereign label on every resource (the fqdn, or its shortened form when the fqdn is longer than 63 characters)."
  value       = local.sovereign_label
}
