// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux placeholders (${…}) are the subject of these tests
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  bootstrapKitReleases,
  defaultSelection,
  expectedKitReleases,
  installSet,
  mandatoryComponentIds,
} from '@catalyst/contracts';
import { load, loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chartsDir,
  compileSchema,
  dependsOnOf,
  get,
  installOrder,
  isRecord,
  kitDir,
  mergeValues,
  readChart,
  readYaml,
  repoRoot,
  schemaErrors,
  type Yaml,
} from './helpers/charts.js';
import { ensureKubectl, kustomize } from './helpers/kubectl.js';

/**
 * clusters/_template rendered the way Flux renders it (kustomize with the Kustomization's spec.components), by a
 * real kustomize: with no optional component, with every one, and with the wizard's default selection.
 */
let kubectl: string;
let work: string;
beforeAll(() => {
  kubectl = ensureKubectl(repoRoot);
  work = mkdtempSync(join(tmpdir(), 'catalyst-kit-render-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const optionalIds: readonly string[] = bootstrapKitReleases.filter((r) => r.optional).map((r) => r.id);

/**
 * The kit as Flux applies it: kustomize's output, then postBuild substitution as kustomize-controller does it —
 * a plain text replacement of `${NAME}` in each object's YAML, parsed again afterwards — so a value substituted
 * unquoted (CLUSTER_ID, CLUSTERMESH_PEERS_JSON) takes the type its text has.
 */
function renderSubstituted(components: readonly string[], vars: Record<string, string>): Yaml[] {
  const dir = mkdtempSync(join(work, 'kit-'));
  const kustomization = [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    `  - ${relative(dir, kitDir)}`,
    ...(components.length ? ['components:'] : []),
    ...components.map((id) => `  - ${relative(dir, join(kitDir, 'components', id))}`),
  ].join('\n');
  writeFileSync(join(dir, 'kustomization.yaml'), `${kustomization}\n`);
  const text = kustomize(kubectl, dir).replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g,
    (whole, name: string) => vars[name] ?? whole,
  );
  return (loadAll(text) as Yaml[]).filter(Boolean);
}

/** The kit with these optional components, as Flux's spec.components includes them (placeholders left as they are). */
const render = (components: readonly string[]): Yaml[] => renderSubstituted(components, {});

/** Every dependsOn target is rendered too, and the releases can be installed in some order (no cycle). */
function expectInstallable(releases: Yaml[]): string[] {
  const names = new Set(releases.map((r) => get(r, 'metadata.name') as string));
  for (const release of releases)
    for (const target of dependsOnOf(release))
      expect(names.has(target), `${get(release, 'metadata.name')} → ${target} is not rendered`).toBe(true);
  const { order, stuck } = installOrder(releases);
  expect(stuck, 'a cycle among these').toEqual([]);
  return order;
}

const selections: [string, string[]][] = [
  ['no optional component', mandatoryComponentIds()],
  ['every optional component', [...mandatoryComponentIds(), ...optionalIds]],
  ['the default selection', installSet(defaultSelection())],
];

describe('clusters/_template rendered by kustomize', () => {
  it.each(selections)(
    'renders with %s: exactly the releases the run watches, installable in order',
    (_, selection) => {
      const chosen = selection.filter((id) => optionalIds.includes(id));
      const releases = render(chosen).filter((doc) => doc.kind === 'HelmRelease');
      const names = releases.map((r) => get(r, 'metadata.name') as string);
      expect(names.sort()).toEqual(
        expectedKitReleases(selection)
          .map((id) => `bp-${id}`)
          .sort(),
      );
      const order = expectInstallable(releases);
      expect(order[0]).toBe('bp-cilium');
    },
  );

  it('gives every release the dependsOn of the one mapping (libs/contracts bootstrap-kit.ts)', () => {
    const releases = render(optionalIds).filter((doc) => doc.kind === 'HelmRelease');
    for (const { id, dependsOn } of bootstrapKitReleases) {
      const release = releases.find((r) => get(r, 'metadata.name') === `bp-${id}`);
      expect(release, `bp-${id}`).toBeDefined();
      // Keycloak, when selected, also goes before Gitea (the seed's keycloak → gitea → catalyst-platform).
      const extra = id === 'gitea' ? ['bp-keycloak'] : [];
      expect(dependsOnOf(release as Yaml).sort(), `bp-${id}`).toEqual(
        [...dependsOn.map((d) => `bp-${d}`), ...extra].sort(),
      );
    }
  });

  it('holds only kinds the cluster knows before the kit (a custom resource of a kit chart would fail its dry-run)', () => {
    // Flux applies the kit in one server-side dry-run: one object whose CRD a kit release brings (a CloudNativePG
    // Cluster, say) fails the whole apply, so the release bringing the CRD never installs. Such objects belong in the
    // chart of the release that needs them. Cilium is there before Flux (cloud-init installs it).
    const known = new Set([
      'v1/Namespace',
      'v1/Secret',
      'v1/ConfigMap',
      'helm.toolkit.fluxcd.io/v2/HelmRelease',
      'source.toolkit.fluxcd.io/v1/HelmRepository',
      'cilium.io/v2/CiliumClusterwideNetworkPolicy',
      'cilium.io/v2alpha1/CiliumLoadBalancerIPPool',
    ]);
    for (const doc of render([...optionalIds, 'clustermesh']))
      expect(known.has(`${doc.apiVersion}/${doc.kind}`), `${doc.kind} ${get(doc, 'metadata.name')}`).toBe(
        true,
      );
  });

  it('puts Keycloak before Gitea only when Keycloak is selected', () => {
    const gitea = (components: string[]) =>
      render(components).find(
        (doc) => doc.kind === 'HelmRelease' && get(doc, 'metadata.name') === 'bp-gitea',
      );
    expect(dependsOnOf(gitea([]) as Yaml)).not.toContain('bp-keycloak');
    expect(dependsOnOf(gitea(['keycloak']) as Yaml)).toContain('bp-keycloak');
  });
});

/** Two regions as infra/hetzner's cloud-init describes them to Flux (postBuild.substitute), with test-net IPs. */
const meshRegions = [
  { region: 'fsn1', id: 1, ip: '203.0.113.10' },
  { region: 'nbg1', id: 2, ip: '198.51.100.20' },
];
const meshVars = (region: string): Record<string, string> => {
  const self = meshRegions.find((r) => r.region === region) as (typeof meshRegions)[number];
  const peers = meshRegions
    .filter((r) => r.region !== region)
    .map((r) => ({ name: r.region, ips: [r.ip], port: 2379 }));
  return {
    REGION: region,
    CLUSTER_NAME: region,
    CLUSTER_ID: String(self.id),
    CLUSTERMESH_IP: self.ip,
    CLUSTERMESH_PEERS_JSON: JSON.stringify(peers),
    POD_CIDR: `10.${42 + 2 * (self.id - 1)}.0.0/16`,
    SERVICE_CIDR: `10.${43 + 2 * (self.id - 1)}.0.0/16`,
  };
};

/** The key paths of `overlay` the vendored upstream values lack (lists, leaves and annotations end the walk). */
function missingUpstream(overlay: unknown, upstream: unknown, path: string[] = []): string[] {
  if (!isRecord(overlay) || path.at(-1) === 'annotations') return [];
  return Object.entries(overlay).flatMap(([key, value]) =>
    isRecord(upstream) && key in upstream
      ? missingUpstream(value, upstream[key], [...path, key])
      : [[...path, key].join('.')],
  );
}

describe('the clustermesh Component (multi-region Sovereigns)', () => {
  const ciliumOf = (docs: Yaml[]) =>
    docs.find((d) => d.kind === 'HelmRelease' && get(d, 'metadata.name') === 'bp-cilium') as Yaml;
  const poolsOf = (docs: Yaml[]) => docs.filter((d) => d.kind === 'CiliumLoadBalancerIPPool');
  const renders = new Map<string, Yaml[]>();
  const rendered = (region: string) => {
    if (!renders.has(region))
      renders.set(region, renderSubstituted([...optionalIds, 'clustermesh'], meshVars(region)));
    return renders.get(region) as Yaml[];
  };

  it.each(meshRegions)(
    'meshes $region (cluster id $id) with the other region over WireGuard',
    ({ region, id, ip }) => {
      const docs = rendered(region);
      const release = ciliumOf(docs);
      const cilium = get(release, 'spec.values.cilium') as Yaml;
      expect(get(cilium, 'cluster')).toEqual({ name: region, id });
      expect(get(cilium, 'encryption')).toEqual({ enabled: true, type: 'wireguard' });
      expect(get(cilium, 'clustermesh.useAPIServer')).toBe(true);
      // The clustermesh-apiserver is a LoadBalancer on this region's floating IP, never a NodePort.
      expect(get(cilium, 'clustermesh.apiserver.service.type')).toBe('LoadBalancer');
      expect(
        get(cilium, ['clustermesh', 'apiserver', 'service', 'annotations', 'lbipam.cilium.io/ips']),
      ).toBe(ip);
      expect(get(cilium, 'clustermesh.apiserver.tls.auto')).toEqual({ enabled: true, method: 'helm' });
      // The peers: every other region, as a list (the unquoted JSON survived substitution as YAML).
      expect(get(cilium, 'clustermesh.config.enabled')).toBe(true);
      const others = meshRegions.filter((r) => r.region !== region);
      expect(get(cilium, 'clustermesh.config.clusters')).toEqual(
        others.map((r) => ({ name: r.region, ips: [r.ip], port: 2379 })),
      );
      // What the base sets is kept (the Component patches, it does not replace).
      expect(get(cilium, 'k8sServiceHost')).toBe('${KUBE_API_INTERNAL_HOST}');
      expect(get(release, 'spec.releaseName')).toBe('cilium');

      // The LB IPAM pool: exactly this region's IP, for the clustermesh-apiserver Service only.
      const pools = poolsOf(docs);
      expect(pools).toHaveLength(1);
      expect(get(pools[0], 'apiVersion')).toBe('cilium.io/v2alpha1');
      expect(get(pools[0], 'spec.blocks')).toEqual([{ cidr: `${ip}/32` }]);
      expect(get(pools[0], 'spec.serviceSelector')).toEqual({
        matchLabels: {
          'k8s-app': 'clustermesh-apiserver',
          'app.kubernetes.io/name': 'clustermesh-apiserver',
        },
      });
    },
  );

  it.each(meshRegions)(
    'gives $region the shared CA only through valuesFrom (no key material inline)',
    ({ region }) => {
      const docs = rendered(region);
      const release = ciliumOf(docs);
      expect(get(release, 'spec.valuesFrom')).toEqual([
        {
          kind: 'Secret',
          name: 'catalyst-clustermesh-ca',
          valuesKey: 'ca.crt',
          targetPath: 'cilium.tls.ca.cert',
        },
        {
          kind: 'Secret',
          name: 'catalyst-clustermesh-ca',
          valuesKey: 'ca.key',
          targetPath: 'cilium.tls.ca.key',
        },
      ]);
      expect(get(release, 'spec.values.cilium.tls')).toBeUndefined();
      // The Secret is cloud-init's: the kit neither defines it nor carries anything that looks like a key.
      expect(
        docs.some((d) => d.kind === 'Secret' && get(d, 'metadata.name') === 'catalyst-clustermesh-ca'),
      ).toBe(false);
      const text = JSON.stringify(docs);
      expect(text).not.toMatch(/BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)|LS0tLS1CRUdJTi/);
    },
  );

  it('gives the regions distinct cluster names and ids, each peering with the other', () => {
    const clusters = meshRegions.map(
      ({ region }) => get(ciliumOf(rendered(region)), 'spec.values.cilium.cluster') as Yaml,
    );
    expect(new Set(clusters.map((c) => c.name)).size).toBe(meshRegions.length);
    expect(new Set(clusters.map((c) => c.id)).size).toBe(meshRegions.length);
    for (const c of clusters) expect(c.id).toBeGreaterThanOrEqual(1);
    for (const { region } of meshRegions) {
      const peers = get(
        ciliumOf(rendered(region)),
        'spec.values.cilium.clustermesh.config.clusters',
      ) as Yaml[];
      expect(peers.map((p) => p.name)).not.toContain(region);
      const ips = get(poolsOf(rendered(region))[0], 'spec.blocks.0.cidr');
      for (const peer of peers) expect(ips).not.toBe(`${(peer.ips as string[])[0]}/32`);
    }
  });

  it('sets only keys the pinned cilium chart has, and the values pass bp-cilium values.schema.json', () => {
    const upstream = readYaml(join(chartsDir, 'upstream-values', 'bp-cilium.yaml'));
    const release = ciliumOf(rendered('fsn1'));
    const cilium = get(release, 'spec.values.cilium');
    expect(missingUpstream(cilium, upstream)).toEqual([]);
    // valuesFrom's targets too: tls.ca.cert / tls.ca.key (Cilium 1.16's common CA, not clustermesh.apiserver.tls.ca).
    for (const { targetPath } of get(release, 'spec.valuesFrom') as { targetPath: string }[]) {
      const [chart, ...path] = targetPath.split('.');
      expect(chart).toBe('cilium');
      expect(get(upstream, path), targetPath).toBe('');
    }
    // The finder finds: a key the chart lacks is reported.
    expect(missingUpstream({ clustermesh: { apiserver: { servise: {} } } }, upstream)).toEqual([
      'clustermesh.apiserver.servise',
    ]);
    const { values, schema } = readChart('bp-cilium');
    const merged = mergeValues(values, get(release, 'spec.values'));
    expect(schemaErrors(compileSchema(schema), merged)).toEqual([]);
  });

  it('leaves a one-region Sovereign exactly as today: no mesh, no WireGuard, no LoadBalancer, no pool', () => {
    const docs = renderSubstituted(optionalIds, { REGION: 'fsn1' });
    const release = ciliumOf(docs);
    const cilium = get(release, 'spec.values.cilium') as Yaml;
    for (const key of ['cluster', 'encryption', 'clustermesh', 'tls'])
      expect(cilium[key], key).toBeUndefined();
    expect(get(release, 'spec.valuesFrom')).toBeUndefined();
    expect(poolsOf(docs)).toEqual([]);
    expect(JSON.stringify(docs)).not.toMatch(/LoadBalancer"|catalyst-clustermesh|CLUSTERMESH_/);
  });
});

describe('the clustermesh values cloud-init installs Cilium with', () => {
  it('are the values the kit gives bp-cilium, so adopting the install changes nothing', () => {
    // infra/hetzner/cloudinit-control-plane.tftpl's /var/lib/catalyst/cilium-values.yaml, rendered for fsn1 of
    // two regions the way templatefile() would (jsonencode → JSON text, %{ } directives with multi_region true).
    const template = readFileSync(
      join(repoRoot, 'infra/hetzner/cloudinit-control-plane.tftpl'),
      'utf8',
    ).split('\n');
    const start = template.findIndex((l) => l.includes('path: /var/lib/catalyst/cilium-values.yaml'));
    const contentAt = template.findIndex((l, i) => i > start && l.trim() === 'content: |');
    const block: string[] = [];
    for (const line of template.slice(contentAt + 1)) {
      if (/^\s*%\{/.test(line)) continue;
      if (!line.trim() || !line.startsWith('      ')) break;
      block.push(line.slice(6));
    }
    const vars = meshVars('fsn1');
    const peers = JSON.parse(vars.CLUSTERMESH_PEERS_JSON as string);
    const text = block
      .join('\n')
      .replaceAll('${jsonencode(cluster_name)}', JSON.stringify(vars.CLUSTER_NAME))
      .replaceAll('${cluster_id}', vars.CLUSTER_ID as string)
      .replaceAll('${jsonencode(clustermesh_ip)}', JSON.stringify(vars.CLUSTERMESH_IP))
      .replaceAll('${jsonencode(clustermesh_peers)}', JSON.stringify(peers))
      .replaceAll('${kube_api_internal_host}', '${KUBE_API_INTERNAL_HOST}');
    expect(text, 'every template expression is known here').not.toMatch(/\$\{(?!KUBE_API_INTERNAL_HOST\})/);
    const installed = load(text) as Yaml;
    const release = renderSubstituted(['clustermesh'], vars).find(
      (d) => d.kind === 'HelmRelease' && get(d, 'metadata.name') === 'bp-cilium',
    );
    expect(installed).toEqual(get(release, 'spec.values'));
  });
});
