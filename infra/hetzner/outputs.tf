# Read by the api after apply (`tofu output -json`, apps/api/src/deployments/run.service.ts).

output "control_plane_ip" {
  description = "Public IPv4 of the first control plane."
  value       = hcloud_server.control_plane[0].ipv4_address
}

output "load_balancer_ip" {
  description = "Public IPv4 of the load balancer: the Sovereign's DNS records point here (80/443 ingress, 6443 kube-apiserver)."
  value       = hcloud_load_balancer.main.ipv4
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
