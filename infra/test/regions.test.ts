// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL and Flux placeholders (${…}) are the subject of these tests
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { providers } from '@catalyst/contracts';
import { parse } from '@cdktf/hcl2json';
import { load, loadAll } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderTemplate } from './tftpl.js';

/*
 * Issue #17: infra/hetzner builds every region of the request. Static checks of main.tf (parsed with the HCL
 * parser) and of the cloud-init templates rendered for one and for two regions (tftpl.ts renders them as
 * templatefile() does; no tofu binary here).
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const moduleDir = join(repoRoot, 'infra/hetzner');
const meshDir = join(repoRoot, 'clusters/_template/bootstrap-kit/components/clustermesh');
const read = (path: string) => readFileSync(path, 'utf8');

// biome-ignore lint/suspicious/noExplicitAny: hcl2json answers untyped JSON
type Hcl = Record<string, any>;
type Yaml = Record<string, unknown>;
const get = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, key) => (v as Yaml | undefined)?.[key], value);

let hcl: { resource: Hcl; locals: Hcl; output: Hcl };

beforeAll(async () => {
  const merged: typeof hcl = { resource: {}, locals: {}, output: {} };
  for (const name of readdirSync(moduleDir).filter((n) => n.endsWith('.tf'))) {
    const file = (await parse(name, read(join(moduleDir, name)))) as Hcl;
    for (const [type, byName] of Object.entries((file.resource ?? {}) as Hcl)) {
      merged.resource[type] = { ...merged.resource[type], ...byName };
    }
    for (const block of (file.locals ?? []) as Hcl[]) Object.assign(merged.locals, block);
    for (const [n, blocks] of Object.entries((file.output ?? {}) as Record<string, Hcl[]>)) {
      merged.output[n] = blocks[0];
    }
  }
  hcl = merged;
});

const resource = (type: string, name = 'main'): Hcl => hcl.resource[type]?.[name]?.[0] ?? {};

// ---------------------------------------------------------------------------------------------
// The per-region address expressions of main.tf, evaluated for region index i
// ---------------------------------------------------------------------------------------------

/** Evaluates `a + b * r.index`-style integer arithmetic (the only arithmetic the CIDR locals use). */
function arithmetic(expression: string, index: number): number {
  const source = expression.replaceAll('r.index', String(index));
  if (!/^[\d\s+*]+$/.test(source)) throw new Error(`unsupported arithmetic ${expression}`);
  return source
    .split('+')
    .map((sum) => sum.split('*').reduce((product, factor) => product * Number(factor.trim()), 1))
    .reduce((a, b) => a + b, 0);
}

/** `{ for k, r in local.regions : k => "10.${…}.0.0/16" }` → the string for region index i. */
function perRegionString(local: string, index: number): string {
  const expression = String(hcl.locals[local]);
  const body = /^\$\{\{ for k, r in local\.regions : k => "(.*)" \}\}$/.exec(expression)?.[1];
  if (body === undefined) throw new Error(`local.${local} = ${expression} is not a per-region string`);
  return body.replace(/\$\{([^}]*)\}/g, (_, inner: string) => String(arithmetic(inner, index)));
}

const ipv4 = (cidr: string) => {
  const [address, bits] = cidr.split('/');
  const value = (address ?? '').split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  return { value, bits: Number(bits) };
};
const overlaps = (a: string, b: string) => {
  const x = ipv4(a);
  const y = ipv4(b);
  const bits = Math.min(x.bits, y.bits);
  const mask = bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - bits);
  return (x.value & mask) >>> 0 === (y.value & mask) >>> 0;
};

describe('infra/hetzner: one cluster per region', () => {
  it('keys the regions by cloud_region with their request index, and knows whether there is a mesh', () => {
    expect(hcl.locals.regions).toBe(
      '${{ for i, r in var.regions : r.cloud_region => merge(r, { index = i }) }}',
    );
    expect(hcl.locals.multi_region).toBe('${length(var.regions) > 1}');
    expect(hcl.locals.primary_region).toBe('${var.regions[0].cloud_region}');
  });

  it('gives every region distinct networks, pod and service CIDRs, and region 0 exactly the one-region layout', () => {
    const all: string[] = [];
    for (let i = 0; i < 5; i++) {
      const network = perRegionString('network_cidrs', i);
      const subnet = perRegionString('subnet_cidrs', i);
      const pods = perRegionString('pod_cidrs', i);
      const services = perRegionString('service_cidrs', i);
      expect(
        overlaps(subnet, network) && ipv4(subnet).bits > ipv4(network).bits,
        `${subnet} in ${network}`,
      ).toBe(true);
      all.push(network, pods, services);
    }
    expect(all).toHaveLength(15);
    for (const [i, a] of all.entries()) {
      for (const b of all.slice(i + 1)) expect(overlaps(a, b), `${a} overlaps ${b}`).toBe(false);
    }
    expect([0, 1].map((i) => perRegionString('network_cidrs', i))).toEqual(['10.0.0.0/16', '10.1.0.0/16']);
    expect([0, 1].map((i) => perRegionString('subnet_cidrs', i))).toEqual(['10.0.1.0/24', '10.1.1.0/24']);
    expect([0, 1, 4].map((i) => perRegionString('pod_cidrs', i))).toEqual([
      '10.42.0.0/16',
      '10.44.0.0/16',
      '10.50.0.0/16',
    ]);
    expect([0, 1, 4].map((i) => perRegionString('service_cidrs', i))).toEqual([
      '10.43.0.0/16',
      '10.45.0.0/16',
      '10.51.0.0/16',
    ]);
    expect(hcl.locals.cluster_ids).toBe('${{ for k, r in local.regions : k => r.index + 1 }}');
    expect(hcl.locals.lb_private_ips).toBe(
      '${{ for k, r in local.regions : k => cidrhost(local.subnet_cidrs[k], 254) }}',
    );
  });

  it('creates every per-region resource for_each region and every per-node resource for_each node', () => {
    const expected: Record<string, string> = {
      'hcloud_network.main': '${local.regions}',
      'hcloud_network_subnet.main': '${local.regions}',
      'hcloud_firewall.main': '${local.regions}',
      'hcloud_load_balancer.main': '${local.regions}',
      'hcloud_load_balancer_network.main': '${local.regions}',
      'hcloud_load_balancer_service.main': '${local.lb_service_instances}',
      'hcloud_floating_ip.clustermesh': '${local.mesh_regions}',
      'hcloud_floating_ip_assignment.clustermesh': '${local.mesh_regions}',
      'hcloud_primary_ip.node': '${local.nodes}',
      'hcloud_server.control_plane': '${local.control_plane_nodes}',
      'hcloud_server.worker': '${local.worker_nodes}',
      'hcloud_load_balancer_target.control_plane': '${local.control_plane_nodes}',
    };
    const shared = [
      'hcloud_ssh_key.main',
      'tls_private_key.clustermesh_ca',
      'tls_self_signed_cert.clustermesh_ca',
    ];
    const found: string[] = [];
    for (const [type, byName] of Object.entries(hcl.resource as Record<string, Record<string, Hcl[]>>)) {
      for (const [name, [r]] of Object.entries(byName) as [string, Hcl[]][]) {
        const address = `${type}.${name}`;
        found.push(address);
        if (shared.includes(address)) {
          expect(r?.for_each, address).toBeUndefined();
          continue;
        }
        expect(r?.for_each, address).toBe(expected[address]);
        expect(r?.count, address).toBeUndefined();
      }
    }
    expect(found.sort()).toEqual([...Object.keys(expected), ...shared].sort());
    // The shared CA exists only with more than one region; the mesh regions are all regions then, none otherwise.
    expect(resource('tls_private_key', 'clustermesh_ca').count).toBe('${local.multi_region ? 1 : 0}');
    expect(resource('tls_self_signed_cert', 'clustermesh_ca').count).toBe('${local.multi_region ? 1 : 0}');
    expect(hcl.locals.mesh_regions).toBe('${{ for k, r in local.regions : k => r if local.multi_region }}');
    // Keys: "<region>/<node>" and "<region>/<service>", so the region is the key up to the first "/".
    expect(String(hcl.locals.control_plane_nodes)).toContain('"${k}/cp${n + 1}" => {');
    expect(String(hcl.locals.worker_nodes)).toContain('"${k}/w${n + 1}" => {');
    expect(String(hcl.locals.lb_service_instances)).toContain('"${k}/${name}" => merge(s, { region = k })');
    expect(hcl.locals.nodes).toBe('${merge(local.control_plane_nodes, local.worker_nodes)}');
  });

  it('names resources per region (exactly the one-region names with one region) and labels them with their region', () => {
    expect(hcl.locals.region_prefixes).toBe(
      '${{ for k, r in local.regions : k => local.multi_region ? "${local.prefix}-${k}" : local.prefix }}',
    );
    expect(hcl.locals.region_labels).toBe(
      '${{ for k, r in local.regions : k => merge(local.labels, { "catalyst.openova.io/region" = k }) }}',
    );
    expect(String(hcl.locals.control_plane_nodes)).toContain(
      'name        = "${local.region_prefixes[k]}-cp${n + 1}"',
    );
    expect(String(hcl.locals.worker_nodes)).toContain(
      'name        = "${local.region_prefixes[k]}-w${n + 1}"',
    );
    const suffixes: Record<string, string> = {
      'hcloud_network.main': '-net',
      'hcloud_firewall.main': '-fw',
      'hcloud_load_balancer.main': '-lb',
      'hcloud_floating_ip.clustermesh': '-mesh',
    };
    for (const [address, suffix] of Object.entries(suffixes)) {
      const [type, name] = address.split('.') as [string, string];
      expect(resource(type, name).name, address).toBe(`\${local.region_prefixes[each.key]}${suffix}`);
      expect(resource(type, name).labels, address).toBe('${local.region_labels[each.key]}');
    }
    for (const address of ['hcloud_server.control_plane', 'hcloud_server.worker', 'hcloud_primary_ip.node']) {
      const [type, name] = address.split('.') as [string, string];
      expect(resource(type, name).name, address).toBe('${each.value.name}');
      expect(String(resource(type, name).labels), address).toMatch(
        /^\$\{merge\(local\.region_labels\[each\.value\.region\], \{ "catalyst\.openova\.io\/role" = /,
      );
    }

    // The names the module gives (mirroring the locals above): unique across regions, one DNS label each.
    const namesFor = (regionIds: string[], workers: number) => {
      const prefix = 'catalyst-omantel-omani-works';
      const regionPrefix = (r: string) => (regionIds.length > 1 ? `${prefix}-${r}` : prefix);
      return regionIds.flatMap((r) => [
        ...['net', 'fw', 'lb', 'cp1', 'cp2', 'cp3'].map((role) => `${regionPrefix(r)}-${role}`),
        ...Array.from({ length: workers }, (_, n) => `${regionPrefix(r)}-w${n + 1}`),
      ]);
    };
    const one = namesFor(['fsn1'], 2);
    expect(one).toEqual(
      expect.arrayContaining(['catalyst-omantel-omani-works-cp1', 'catalyst-omantel-omani-works-net']),
    );
    const two = namesFor(['fsn1', 'nbg1'], 50);
    expect(new Set(two).size).toBe(two.length);
    expect(two).toEqual(expect.arrayContaining(['catalyst-omantel-omani-works-nbg1-w50']));
  });

  it('gives every node a primary IPv4 in its region before the servers, and the servers use it', () => {
    const primaryIp = resource('hcloud_primary_ip', 'node');
    expect(primaryIp).toMatchObject({
      type: 'ipv4',
      auto_delete: true,
      // In the node's location: Hetzner's API no longer knows a primary IP's (or server's) datacenter.
      location: '${each.value.region}',
    });
    expect(primaryIp).not.toHaveProperty('datacenter');
    // Provider 1.62+ warns about an assignee_type without an assignee_id (the server takes the IP itself).
    expect(primaryIp).not.toHaveProperty('assignee_type');
    expect(primaryIp).not.toHaveProperty('assignee_id');
    expect(hcl.locals).not.toHaveProperty('datacenters');
    const locations = providers.find((p) => p.id === 'hetzner')?.regions.map((r) => r.id) ?? [];
    expect(Object.keys(hcl.locals.network_zones as object).sort()).toEqual([...locations].sort());

    for (const name of ['control_plane', 'worker']) {
      const server = resource('hcloud_server', name);
      expect(server.public_net?.[0], name).toEqual({
        ipv4_enabled: true,
        ipv4: '${hcloud_primary_ip.node[each.key].id}',
        ipv6_enabled: true,
      });
      expect(server.location, name).toBe('${each.value.region}');
      expect(server, name).not.toHaveProperty('datacenter');
      expect(server.firewall_ids, name).toEqual(['${hcloud_firewall.main[each.value.region].id}']);
      expect(server.network?.[0]?.network_id, name).toBe('${hcloud_network.main[each.value.region].id}');
      // Each node joins its own region's cp1.
      expect(String(server.user_data), name).toMatch(
        /join_ip\s*=\s*local\.control_plane_nodes\["\$\{each\.value\.region\}\/cp1"\]\.private_ip/,
      );
    }
    expect(resource('hcloud_load_balancer', 'main').location).toBe('${each.key}');
    expect(resource('hcloud_load_balancer_target', 'control_plane').load_balancer_id).toBe(
      '${hcloud_load_balancer.main[each.value.region].id}',
    );
  });

  it('opens the firewall as before, plus WireGuard, VXLAN, kubelet and etcd from every node of the Sovereign with more than one region', () => {
    const firewall = resource('hcloud_firewall');
    const dynamicRules = firewall.dynamic?.rule ?? firewall.dynamic?.[0]?.rule;
    expect(dynamicRules).toBeDefined();
    const rules = (Array.isArray(dynamicRules) ? dynamicRules : [dynamicRules]) as Hcl[];
    const mesh = rules.find((r) => String(r.for_each).includes('local.mesh_rules'));
    expect(mesh?.for_each).toBe('${{ for name, r in local.mesh_rules : name => r if local.multi_region }}');
    expect(mesh?.content?.[0]).toMatchObject({
      direction: 'in',
      protocol: '${rule.value.protocol}',
      port: '${rule.value.port}',
      source_ips: '${local.node_source_ips}',
    });
    expect(hcl.locals.mesh_rules).toEqual({
      wireguard: { protocol: 'udp', port: '51871' },
      vxlan: { protocol: 'udp', port: '8472' },
      kubelet: { protocol: 'tcp', port: '10250' },
      etcd: { protocol: 'tcp', port: '2379-2380' },
    });
    // Every node's primary IP (not the servers: no cycle), as a /32.
    expect(hcl.locals.node_source_ips).toBe(
      '${[for key in sort(keys(local.nodes)) : "${hcloud_primary_ip.node[key].ip_address}/32"]}',
    );
    // Public as before: 80/443/6443, ICMP, SSH only when asked for.
    expect(rules.find((r) => r.for_each === '${local.public_tcp_ports}')?.content?.[0]?.source_ips).toEqual([
      '0.0.0.0/0',
      '::/0',
    ]);
    expect(firewall.rule).toEqual([expect.objectContaining({ protocol: 'icmp' })]);
    expect(rules.find((r) => String(r.for_each).includes('ssh_allowed_cidrs'))).toBeDefined();
  });

  it('gives each region a floating IPv4 for its clustermesh-apiserver, on its cp1, and never a NodePort', () => {
    expect(resource('hcloud_floating_ip', 'clustermesh')).toMatchObject({
      type: 'ipv4',
      home_location: '${each.key}',
    });
    expect(resource('hcloud_floating_ip_assignment', 'clustermesh')).toMatchObject({
      floating_ip_id: '${hcloud_floating_ip.clustermesh[each.key].id}',
      server_id: '${hcloud_server.control_plane["${each.key}/cp1"].id}',
    });
    expect(hcl.locals.clustermesh_ips).toBe(
      '${{ for k, r in local.regions : k => local.multi_region ? hcloud_floating_ip.clustermesh[k].ip_address : "" }}',
    );
    // Not one load balancer service or firewall rule for 2379 on a NodePort: the clustermesh-apiserver is
    // reached on its LoadBalancer address only.
    expect(
      Object.values(hcl.locals.lb_services as Record<string, { listen: number }>).map((s) => s.listen),
    ).toEqual([80, 443, 6443]);
    const template = read(join(moduleDir, 'cloudinit-control-plane.tftpl'));
    expect(template).not.toMatch(/NodePort/);
  });

  it('outputs every region for the api, and the primary region as before', () => {
    const regions = String(hcl.output.regions?.value);
    for (const key of [
      'control_plane_ip = hcloud_server.control_plane["${k}/cp1"].ipv4_address',
      'load_balancer_ip = hcloud_load_balancer.main[k].ipv4',
      'cluster_name     = k',
      'cluster_id       = local.cluster_ids[k]',
      'pod_cidr         = local.pod_cidrs[k]',
      'service_cidr     = local.service_cidrs[k]',
      'clustermesh_ip   = local.clustermesh_ips[k]',
    ]) {
      expect(regions).toContain(key);
    }
    expect(regions).toMatch(/^\$\{\{\s+for k, r in local\.regions : k => \{/);
    expect(hcl.output.control_plane_ip?.value).toBe(
      '${hcloud_server.control_plane["${local.primary_region}/cp1"].ipv4_address}',
    );
    expect(hcl.output.load_balancer_ip?.value).toBe(
      '${hcloud_load_balancer.main[local.primary_region].ipv4}',
    );
  });

  it('passes each control plane its own region: token, CIDRs, cluster, mesh', () => {
    const userData = String(resource('hcloud_server', 'control_plane').user_data);
    for (const line of [
      /region\s*=\s*each\.value\.region\n/,
      /kubeconfig_bearer_token\s*=\s*var\.kubeconfig_bearer_tokens\[each\.value\.region\]\n/,
      /pod_cidr\s*=\s*local\.pod_cidrs\[each\.value\.region\]\n/,
      /service_cidr\s*=\s*local\.service_cidrs\[each\.value\.region\]\n/,
      /cluster_dns\s*=\s*cidrhost\(local\.service_cidrs\[each\.value\.region\], 10\)\n/,
      /cluster_id\s*=\s*local\.cluster_ids\[each\.value\.region\]\n/,
      /lb_ipv4\s*=\s*hcloud_load_balancer\.main\[each\.value\.region\]\.ipv4\n/,
      /kube_api_internal_host\s*=\s*local\.kube_api_internal_hosts\[each\.value\.region\]\n/,
      /clustermesh_ip\s*=\s*local\.clustermesh_ips\[each\.value\.region\]\n/,
      /clustermesh_peers\s*=\s*local\.clustermesh_peers\[each\.value\.region\]\n/,
      /public_ip\s*=\s*hcloud_primary_ip\.node\[each\.key\]\.ip_address\n/,
      /kit_component_paths\s*=\s*concat\(local\.kit_component_paths, local\.mesh_component_paths\)\n/,
      /clustermesh_ca_key_b64\s*=\s*local\.multi_region \? base64encode\(tls_private_key\.clustermesh_ca\[0\]\.private_key_pem\) : ""\n/,
    ]) {
      expect(userData).toMatch(line);
    }
    // Peers: every OTHER region, at its floating IP, port 2379.
    expect(String(hcl.locals.clustermesh_peers)).toContain(
      '{ name = other, ips = [local.clustermesh_ips[other]], port = 2379 } if other != k',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The cloud-init templates, rendered
// ---------------------------------------------------------------------------------------------

const FIP = { fsn1: '198.51.100.10', nbg1: '198.51.100.20' } as const;
const CA_CERT = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString(
  'base64',
);
const CA_KEY = Buffer.from('-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n').toString(
  'base64',
);

type Region = 'fsn1' | 'nbg1';

/** The templatefile() arguments main.tf passes a control plane (the contract test keeps the names equal). */
function controlPlaneVars(regionIds: Region[], region: Region, node = 1): Record<string, unknown> {
  const index = regionIds.indexOf(region);
  const multi = regionIds.length > 1;
  const prefix = multi ? `catalyst-omantel-omani-works-${region}` : 'catalyst-omantel-omani-works';
  const regions = regionIds.map((r) => ({
    provider: 'hetzner',
    cloud_region: r,
    control_plane_size: 'cpx32',
    worker_size: 'cpx42',
    worker_count: 2,
  }));
  return {
    node_name: `${prefix}-cp${node}`,
    primary: node === 1,
    private_ip: `10.${index}.1.${node + 1}`,
    public_ip: `203.0.113.${10 * index + node}`,
    join_ip: `10.${index}.1.2`,
    k3s_token: 'k3s-token',
    sovereign_fqdn: 'omantel.omani.works',
    sovereign_label: 'omantel.omani.works',
    deployment_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    org_name: 'Omantel "Cloud"',
    admin_email: 'admin@omantel.om',
    hcloud_project_id: '1234567',
    regions,
    facts_regions: regions.map((r) => ({
      provider: r.provider,
      region: r.cloud_region,
      controlPlaneSize: r.control_plane_size,
      workerSize: r.worker_size,
      workerCount: r.worker_count,
    })),
    domain_mode: 'pool',
    ha_enabled: false,
    region,
    worker_count: 2,
    cluster_name: region,
    cluster_id: index + 1,
    pod_cidr: `10.${42 + 2 * index}.0.0/16`,
    service_cidr: `10.${43 + 2 * index}.0.0/16`,
    cluster_dns: `10.${43 + 2 * index}.0.10`,
    lb_ipv4: `192.0.2.${index + 1}`,
    lb_private_ip: `10.${index}.1.254`,
    kube_api_internal_host: `10.${index}.1.2`,
    multi_region: multi,
    clustermesh_ip: multi ? FIP[region] : '',
    clustermesh_peers: multi
      ? regionIds.filter((r) => r !== region).map((r) => ({ name: r, ips: [FIP[r]], port: 2379 }))
      : [],
    clustermesh_ca_cert_b64: multi ? CA_CERT : '',
    clustermesh_ca_key_b64: multi ? CA_KEY : '',
    k3s_version: 'v0.0.0+k3s1',
    cilium_version: '0.0.0',
    flux_version: '0.0.0',
    catalyst_charts_oci: 'oci://ghcr.io/openova-io/charts',
    catalyst_api_url: 'https://catalyst.openova.io',
    kubeconfig_bearer_token: `token-of-${region}-${'x'.repeat(32)}`,
    handover_public_key: 'MCowBQYDK2VwAyEA',
    gitops_repo_url: 'https://github.com/openova-io/openova',
    gitops_branch: 'main',
    components: ['grafana', 'loki'],
    kit_component_paths: [
      'components/grafana',
      'components/loki',
      ...(multi ? ['components/clustermesh'] : []),
    ],
  };
}

interface CloudConfig {
  write_files: { path: string; permissions: string; content: string }[];
}

function renderControlPlane(regionIds: Region[], region: Region, node = 1) {
  const text = renderTemplate(
    read(join(moduleDir, 'cloudinit-control-plane.tftpl')),
    controlPlaneVars(regionIds, region, node),
  );
  expect(text.startsWith('#cloud-config\n')).toBe(true);
  const config = load(text) as CloudConfig;
  const file = (path: string) => config.write_files.find((f) => f.path === path);
  const script = file('/usr/local/sbin/catalyst-bootstrap.sh')?.content ?? '';
  const flux = loadAll(file('/var/lib/catalyst/flux-bootstrap.yaml')?.content ?? '') as Yaml[];
  const kit = flux.find((d) => get(d, 'metadata.name') === 'bootstrap-kit');
  return {
    text,
    file,
    script,
    k3s: load(file('/etc/rancher/k3s/config.yaml')?.content ?? '') as Yaml,
    cilium: load(file('/var/lib/catalyst/cilium-values.yaml')?.content ?? 'null') as Yaml | null,
    kit,
    substitute: (get(kit, 'spec.postBuild.substitute') ?? {}) as Record<string, string>,
  };
}

describe('cloud-init for one region: exactly today, no mesh', () => {
  const cp = () => renderControlPlane(['fsn1'], 'fsn1');

  it('renders a valid cloud-config whose k3s runs on the private network with the default CIDRs', () => {
    const { k3s } = cp();
    expect(k3s).toMatchObject({
      'cluster-init': true,
      'node-ip': '10.0.1.2',
      'advertise-address': '10.0.1.2',
      'cluster-cidr': '10.42.0.0/16',
      'service-cidr': '10.43.0.0/16',
      'cluster-dns': '10.43.0.10',
    });
    expect(k3s).not.toHaveProperty('node-external-ip');
  });

  it('installs Cilium with only the per-Sovereign value, creates no CA and includes no clustermesh component', () => {
    const { cilium, file, script, kit, text } = cp();
    expect(cilium).toEqual({ cilium: { k8sServiceHost: '10.0.1.2' } });
    expect(file('/var/lib/catalyst/cilium-ca-values.yaml')).toBeUndefined();
    expect(file('/var/lib/catalyst/clustermesh-ca-secret.yaml')).toBeUndefined();
    expect(script).not.toContain('clustermesh');
    expect(script).toContain('--values /var/lib/catalyst/cilium-values.yaml');
    expect(get(kit, 'spec.components')).toEqual(['components/grafana', 'components/loki']);
    const code = text
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .join('\n');
    expect(code).not.toMatch(
      /wireguard|components\/clustermesh|clustermesh-ca|lbipam|useAPIServer|node-external-ip/i,
    );
  });

  it('hands the kit its cluster: name and id real, no mesh address, no peers', () => {
    expect(cp().substitute).toMatchObject({
      REGION: 'fsn1',
      CLUSTER_NAME: 'fsn1',
      CLUSTER_ID: '1',
      CLUSTERMESH_IP: '',
      CLUSTERMESH_PEERS_JSON: '[]',
      POD_CIDR: '10.42.0.0/16',
      SERVICE_CIDR: '10.43.0.0/16',
      SOVEREIGN_ORG_NAME: 'Omantel Cloud',
    });
  });

  it('renders a joining control plane and a worker on the private network', () => {
    const cp2 = renderControlPlane(['fsn1'], 'fsn1', 2);
    expect(cp2.k3s).toMatchObject({ server: 'https://10.0.1.2:6443', 'node-ip': '10.0.1.3' });
    expect(cp2.file('/var/lib/catalyst/flux-bootstrap.yaml')).toBeUndefined();
    const worker = load(
      (
        load(
          renderTemplate(read(join(moduleDir, 'cloudinit-worker.tftpl')), workerVars(['fsn1'], 'fsn1')),
        ) as CloudConfig
      ).write_files.find((f) => f.path === '/etc/rancher/k3s/config.yaml')?.content ?? '',
    ) as Yaml;
    expect(worker).toEqual({
      server: 'https://10.0.1.2:6443',
      token: 'k3s-token',
      'node-ip': '10.0.1.10',
      'node-label': ['catalyst.openova.io/role=worker'],
    });
  });
});

function workerVars(regionIds: Region[], region: Region): Record<string, unknown> {
  const index = regionIds.indexOf(region);
  return {
    node_name: `catalyst-omantel-omani-works${regionIds.length > 1 ? `-${region}` : ''}-w1`,
    private_ip: `10.${index}.1.10`,
    public_ip: `203.0.113.${10 * index + 5}`,
    multi_region: regionIds.length > 1,
    join_ip: `10.${index}.1.2`,
    k3s_token: 'k3s-token',
    k3s_version: 'v0.0.0+k3s1',
    sovereign_fqdn: 'omantel.omani.works',
  };
}

describe('cloud-init for two regions: one ClusterMesh', () => {
  const nbg1 = () => renderControlPlane(['fsn1', 'nbg1'], 'nbg1');

  it("runs k3s on the node's public IPv4 with the region's own CIDRs", () => {
    expect(nbg1().k3s).toMatchObject({
      'node-ip': '203.0.113.11',
      'node-external-ip': '203.0.113.11',
      'advertise-address': '10.1.1.2',
      'cluster-cidr': '10.44.0.0/16',
      'service-cidr': '10.45.0.0/16',
      'cluster-dns': '10.45.0.10',
    });
    const worker = load(
      (
        load(
          renderTemplate(
            read(join(moduleDir, 'cloudinit-worker.tftpl')),
            workerVars(['fsn1', 'nbg1'], 'nbg1'),
          ),
        ) as CloudConfig
      ).write_files.find((f) => f.path === '/etc/rancher/k3s/config.yaml')?.content ?? '',
    ) as Yaml;
    expect(worker).toMatchObject({
      server: 'https://10.1.1.2:6443',
      'node-ip': '203.0.113.15',
      'node-external-ip': '203.0.113.15',
    });
  });

  it('installs Cilium with the mesh values: cluster name/id, WireGuard, a LoadBalancer apiserver on the floating IP, the other region as peer', () => {
    const { cilium } = nbg1();
    expect(cilium).toEqual({
      cilium: {
        k8sServiceHost: '10.1.1.2',
        cluster: { name: 'nbg1', id: 2 },
        encryption: { enabled: true, type: 'wireguard' },
        clustermesh: {
          useAPIServer: true,
          apiserver: {
            service: { type: 'LoadBalancer', annotations: { 'lbipam.cilium.io/ips': FIP.nbg1 } },
            tls: { auto: { enabled: true, method: 'helm' } },
          },
          config: { enabled: true, clusters: [{ name: 'fsn1', ips: [FIP.fsn1], port: 2379 }] },
        },
      },
    });
    expect(JSON.stringify(cilium)).not.toContain(CA_KEY);
  });

  it('hands Cilium and the kit the shared CA from 0600 files, the Secret before the kit', () => {
    const { file, script } = nbg1();
    const caValues = file('/var/lib/catalyst/cilium-ca-values.yaml');
    expect(caValues?.permissions).toBe('0600');
    expect(load(caValues?.content ?? '')).toEqual({
      cilium: { tls: { ca: { cert: CA_CERT, key: CA_KEY } } },
    });
    const secretFile = file('/var/lib/catalyst/clustermesh-ca-secret.yaml');
    expect(secretFile?.permissions).toBe('0600');
    expect(load(secretFile?.content ?? '')).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'catalyst-clustermesh-ca', namespace: 'flux-system' },
      type: 'Opaque',
      stringData: { 'ca.crt': CA_CERT, 'ca.key': CA_KEY },
    });
    expect(Buffer.from(CA_CERT, 'base64').toString()).toContain('BEGIN CERTIFICATE');
    expect(script).toContain('--values /var/lib/catalyst/cilium-ca-values.yaml \\\n');
    const secret = script.indexOf('kubectl apply -f /var/lib/catalyst/clustermesh-ca-secret.yaml');
    const kit = script.indexOf('kubectl apply -f /var/lib/catalyst/flux-bootstrap.yaml');
    expect(secret).toBeGreaterThan(script.indexOf('fluxcd/flux2/releases/download'));
    expect(kit).toBeGreaterThan(secret);
  });

  it("hands the kit this region's cluster and peers, includes components/clustermesh, and keeps every region in the facts", () => {
    const { substitute, kit } = nbg1();
    expect(substitute).toMatchObject({
      REGION: 'nbg1',
      CLUSTER_NAME: 'nbg1',
      CLUSTER_ID: '2',
      CLUSTERMESH_IP: FIP.nbg1,
      POD_CIDR: '10.44.0.0/16',
      SERVICE_CIDR: '10.45.0.0/16',
      LOAD_BALANCER_IPV4: '192.0.2.2',
    });
    expect(JSON.parse(substitute.CLUSTERMESH_PEERS_JSON ?? '')).toEqual([
      { ips: [FIP.fsn1], name: 'fsn1', port: 2379 },
    ]);
    expect(
      JSON.parse(substitute.SOVEREIGN_REGIONS_JSON ?? '').map((r: { region: string }) => r.region),
    ).toEqual(['fsn1', 'nbg1']);
    expect(get(kit, 'spec.components')).toEqual([
      'components/grafana',
      'components/loki',
      'components/clustermesh',
    ]);
    // Every postBuild value is a string (Flux's substitute is a map of strings).
    for (const [name, value] of Object.entries(substitute)) expect(typeof value, name).toBe('string');
  });

  it('posts the kubeconfig with this region’s token and load balancer', () => {
    const { file, script } = nbg1();
    expect(file('/var/lib/catalyst/kubeconfig-auth.header')?.content).toBe(
      `Authorization: Bearer token-of-nbg1-${'x'.repeat(32)}\n`,
    );
    expect(script).toContain("sed 's#https://127.0.0.1:6443#https://192.0.2.2:6443#'");
  });

  it("gives the kit's components/clustermesh exactly the values cloud-init installed Cilium with", () => {
    const { cilium, substitute } = nbg1();
    const component = load(read(join(meshDir, 'kustomization.yaml'))) as Yaml;
    const patches = (component.patches ?? []) as { patch: string; target?: Yaml }[];
    const patch = patches.find((p) => get(p, 'target.name') === 'bp-cilium');
    expect(patch, 'a patch of bp-cilium').toBeDefined();
    // Flux's postBuild substitution of the kit, then the YAML parsed.
    const vars: Record<string, string> = { ...substitute, KUBE_API_INTERNAL_HOST: '10.1.1.2' };
    const substituted = (patch?.patch ?? '').replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g,
      (whole, name: string) => (name in vars ? (vars[name] as string) : whole),
    );
    const release = load(substituted) as Yaml;
    const base = loadAll(read(join(repoRoot, 'clusters/_template/bootstrap-kit/01-cilium.yaml'))) as Yaml[];
    const baseValues = get(base[0], 'spec.values') as Yaml;
    const merged = structuredClone(baseValues);
    const deepMerge = (into: Yaml, from: Yaml) => {
      for (const [k, v] of Object.entries(from)) {
        if (v && typeof v === 'object' && !Array.isArray(v) && into[k] && typeof into[k] === 'object')
          deepMerge(into[k] as Yaml, v as Yaml);
        else into[k] = v;
      }
    };
    deepMerge(merged, get(release, 'spec.values') as Yaml);
    const withHost = JSON.parse(JSON.stringify(merged).replaceAll('${KUBE_API_INTERNAL_HOST}', '10.1.1.2'));
    expect(withHost).toEqual(cilium);
    // The CA comes from the Secret cloud-init creates, at the paths cloud-init's CA values use.
    expect(get(release, 'spec.valuesFrom')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'Secret',
          name: 'catalyst-clustermesh-ca',
          valuesKey: 'ca.crt',
          targetPath: 'cilium.tls.ca.cert',
        }),
        expect.objectContaining({
          kind: 'Secret',
          name: 'catalyst-clustermesh-ca',
          valuesKey: 'ca.key',
          targetPath: 'cilium.tls.ca.key',
        }),
      ]),
    );
  });
});
