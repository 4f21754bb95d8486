import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  componentCatalogSchema,
  components,
  defaultSelection,
  dependentsOf,
  families,
  findComponent,
  findNodeSize,
  findProvider,
  findRegion,
  installSet,
  installSetRequestSchema,
  mandatoryComponentIds,
  nodeSizes,
  notInstallable,
  providerCatalogSchema,
  providerIds,
  providers,
  recommendedNodeSize,
  unknownComponentIds,
} from './index.js';

// The oracle lists, copied from the facts inventory (§6.6), not derived from the catalog.
const EFFECTIVE_MANDATORY = [
  'cert-manager',
  'cilium',
  'cnpg',
  'coraza',
  'crossplane',
  'envoy',
  'external-dns',
  'external-secrets',
  'flux',
  'gitea',
  'harbor',
  'keda',
  'kserve',
  'kyverno',
  'openbao',
  'opentofu',
  'powerdns',
  'reloader',
  'seaweedfs',
  'valkey',
  'velero',
  'vpa',
];
const DEFAULT_EXTRAS = [
  'alloy',
  'debezium',
  'falco',
  'grafana',
  'keycloak',
  'livekit',
  'loki',
  'mimir',
  'opensearch',
  'opentelemetry',
  'sigstore',
  'stalwart',
  'strimzi',
  'stunner',
  'tempo',
  'trivy',
];
const WITHOUT_LOGO = ['bge', 'powerdns'];

const logoDir = new URL('../../../apps/web/public/component-logos/', import.meta.url);

/** Asserts that every id in `order` comes after all of its dependencies. */
function expectDependencyOrder(order: string[]) {
  const seen = new Set<string>();
  for (const id of order) {
    for (const dep of findComponent(id)?.dependencies ?? []) {
      expect(seen.has(dep), `${dep} must come before ${id}`).toBe(true);
    }
    seen.add(id);
  }
}

describe('component catalog', () => {
  it('declares 63 components in 9 families and offers every one it can install, each in a known family', () => {
    expect(components.length + Object.keys(notInstallable).length).toBe(63);
    for (const id of Object.keys(notInstallable)) expect(findComponent(id), id).toBeUndefined();
    expect(families.map((f) => f.id)).toEqual([
      'pilot',
      'spine',
      'surge',
      'silo',
      'guardian',
      'insights',
      'fabric',
      'cortex',
      'relay',
    ]);
    const familyIds = new Set(families.map((f) => f.id));
    for (const component of components) expect(familyIds.has(component.family), component.id).toBe(true);
    expect(components.filter((c) => c.family === 'guardian').map((c) => c.id)).toContain('cert-manager');
    expect(components.filter((c) => c.family === 'cortex')).toHaveLength(8);
  });

  it('has unique ids, a name and a one-sentence description for each', () => {
    expect(new Set(components.map((c) => c.id)).size).toBe(components.length);
    for (const component of components) {
      expect(component.name, component.id).not.toBe('');
      expect(component.description, component.id).toMatch(/^[A-Za-z].{19,}\.$/);
      expect(component.description, `${component.id}: one sentence`).not.toMatch(/[.:;] [A-Z]/);
    }
  });

  it('names only existing components as dependencies, without cycles', () => {
    const ids = new Set(components.map((c) => c.id));
    for (const component of components) {
      for (const dep of component.dependencies) expect(ids.has(dep), `${component.id} → ${dep}`).toBe(true);
      expect(component.dependencies, component.id).not.toContain(component.id);
    }
    // Depth-first search with an "on the current path" mark: reaching a marked node is a cycle.
    const state = new Map<string, 'active' | 'done'>();
    const visit = (id: string, path: string[]) => {
      if (state.get(id) === 'done') return;
      expect(state.get(id), `cycle: ${[...path, id].join(' → ')}`).not.toBe('active');
      state.set(id, 'active');
      for (const dep of findComponent(id)?.dependencies ?? []) visit(dep, [...path, id]);
      state.set(id, 'done');
    };
    for (const component of components) visit(component.id, []);
  });

  it('promotes cnpg and valkey to mandatory: the 22 effective-mandatory components', () => {
    expect(mandatoryComponentIds()).toEqual(EFFECTIVE_MANDATORY);
    expect(components.filter((c) => c.mandatory).map((c) => c.id)).toHaveLength(22);
    for (const id of ['cnpg', 'valkey']) {
      expect(findComponent(id)).toMatchObject({ tier: 'recommended', mandatory: true, recommended: false });
    }
    expect(findComponent('grafana')).toMatchObject({
      tier: 'recommended',
      mandatory: false,
      recommended: true,
    });
    expect(findComponent('strongswan')).toMatchObject({
      tier: 'optional',
      mandatory: false,
      recommended: false,
    });
  });

  it('selects the 38 mandatory and recommended components it can install by default', () => {
    const expected = [...EFFECTIVE_MANDATORY, ...DEFAULT_EXTRAS].sort();
    expect(defaultSelection()).toEqual(expected);
    expect(defaultSelection()).toHaveLength(38);
  });

  it('installs the mandatory set alone, each component after its dependencies, ties by id', () => {
    const order = installSet([]);
    expect([...order].sort()).toEqual(EFFECTIVE_MANDATORY);
    expectDependencyOrder(order);
    expect(order).toEqual([
      'cilium',
      'cnpg',
      'coraza',
      'crossplane',
      'envoy',
      'flux',
      'gitea',
      'keda',
      'kserve',
      'kyverno',
      'openbao',
      'external-secrets',
      'opentofu',
      'powerdns',
      'external-dns',
      'cert-manager',
      'reloader',
      'seaweedfs',
      'valkey',
      'harbor',
      'velero',
      'vpa',
    ]);
  });

  it('adds what a selection needs: librechat brings ferretdb, which brings cnpg', () => {
    const order = installSet(['librechat']);
    expect(order).toHaveLength(24);
    expect(order).toContain('ferretdb');
    expect(order.indexOf('cnpg')).toBeLessThan(order.indexOf('ferretdb'));
    expect(order.indexOf('ferretdb')).toBeLessThan(order.indexOf('librechat'));
    expectDependencyOrder(order);
  });

  it('orders a selection of every component and ignores unknown ids', () => {
    const all = components.map((c) => c.id);
    const order = installSet(['no-such-thing', ...all.reverse(), 'specter']);
    expect(order).toHaveLength(components.length);
    expect(order).not.toContain('no-such-thing');
    // Not installable: never in an install set, whatever is asked.
    expect(order).not.toContain('specter');
    expectDependencyOrder(order);
    const grafana = installSet(['grafana']);
    for (const dep of ['loki', 'mimir', 'tempo', 'keycloak', 'seaweedfs', 'cnpg']) {
      expect(grafana.indexOf(dep), dep).toBeLessThan(grafana.indexOf('grafana'));
    }
  });

  it('finds unknown ids once each, in the order given', () => {
    expect(unknownComponentIds(['harbor', 'minio', 'Harbor', 'minio', 'grafana'])).toEqual([
      'minio',
      'Harbor',
    ]);
    expect(unknownComponentIds(defaultSelection())).toEqual([]);
  });

  it('lists transitive dependents', () => {
    expect(dependentsOf('ferretdb')).toEqual(['librechat']);
    expect(dependentsOf('powerdns')).toEqual(['cert-manager', 'external-dns']);
    expect(dependentsOf('cnpg')).toEqual(
      expect.arrayContaining(['gitea', 'harbor', 'ferretdb', 'librechat', 'cert-manager', 'grafana']),
    );
    expect(dependentsOf('flux')).toEqual([]);
  });

  it('points every logo at a file in the SPA public assets, and uses every file', () => {
    const files = readdirSync(logoDir);
    const used = new Set<string>();
    for (const component of components) {
      if (component.logo === null) continue;
      const file = component.logo.replace(/^\/component-logos\//, '');
      expect(file, component.id).toMatch(new RegExp(`^${component.id}\\.(svg|png)$`));
      expect(files, component.id).toContain(file);
      used.add(file);
    }
    expect(files.filter((f) => !used.has(f))).toEqual([]);
    expect(components.filter((c) => c.logo === null).map((c) => c.id)).toEqual(
      expect.arrayContaining(WITHOUT_LOGO),
    );
    expect(components.filter((c) => c.logo === null)).toHaveLength(WITHOUT_LOGO.length);
  });

  it('gives every component a brand surface, with the canonical colours the cosmetic guard checks', () => {
    for (const component of components) {
      expect(component.logoSurface.background, component.id).toMatch(/^#[0-9A-F]{6}$/);
      expect(component.logoSurface.text, component.id).toMatch(/^#[0-9A-F]{6}$/);
    }
    const canon: Record<string, string> = {
      temporal: '#127ED1',
      ferretdb: '#042B41',
      alloy: '#FF671D',
      cilium: '#1A2236',
      grafana: '#0B0F19',
      'cert-manager': '#FFFFFF',
      opensearch: '#FFFFFF',
      stalwart: '#100E42',
      strimzi: '#192C47',
    };
    for (const [id, background] of Object.entries(canon)) {
      expect(findComponent(id)?.logoSurface.background, id).toBe(background);
    }
  });

  it('matches its API schema', () => {
    expect(() => componentCatalogSchema.parse({ families, components })).not.toThrow();
  });
});

describe('providers and node sizes', () => {
  it('lists five providers, only Hetzner available', () => {
    expect(providers.map((p) => p.id)).toEqual([...providerIds]);
    expect(providers.filter((p) => p.available).map((p) => p.id)).toEqual(['hetzner']);
    expect(findProvider('hetzner')?.regions.map((r) => r.id)).toEqual(['fsn1', 'nbg1', 'hel1', 'ash', 'hil']);
    expect(findRegion('hetzner', 'nbg1')?.name).toBe('Nuremberg');
    expect(findRegion('hetzner', 'sin')).toBeUndefined();
    expect(findRegion('huawei', 'me-east-1')?.name).toBe('Riyadh');
    expect(findRegion('nowhere', 'fsn1')).toBeUndefined();
    for (const provider of providers) expect(provider.regions, provider.id).toHaveLength(5);
  });

  it('recommends exactly one size per provider; Hetzner recommends cpx32', () => {
    for (const id of providerIds) {
      expect(
        nodeSizes[id].filter((s) => s.recommended),
        id,
      ).toHaveLength(1);
      expect(new Set(nodeSizes[id].map((s) => s.id)).size, id).toBe(nodeSizes[id].length);
    }
    expect(recommendedNodeSize('hetzner')).toMatchObject({ id: 'cpx32', label: 'CPX32', vcpu: 4, ramGb: 8 });
    expect(recommendedNodeSize('huawei').id).toBe('c7n.xlarge.2');
    expect(recommendedNodeSize('oci').id).toBe('VM.Standard.E5.Flex.2.16');
    expect(recommendedNodeSize('aws').id).toBe('m6i.xlarge');
    expect(recommendedNodeSize('azure').id).toBe('Standard_D4s_v5');
  });

  it('carries Hetzner EUR prices and disks as listed', () => {
    expect(nodeSizes.hetzner).toHaveLength(19);
    expect(findNodeSize('hetzner', 'ccx63')).toMatchObject({
      vcpu: 48,
      ramGb: 192,
      diskGb: 960,
      diskLabel: '960 GB',
      priceHourEur: 0.6001,
      priceMonthEur: 374.49,
      category: 'dedicated',
    });
    expect(findNodeSize('hetzner', 'cx22')).toBeUndefined();
    expect(findNodeSize('nowhere', 'cpx32')).toBeUndefined();
  });

  it('converts USD list prices to the EUR figures of the facts (×0.92, 730 h a month)', () => {
    // [id, €/h, €/mo] straight from the facts tables.
    const huawei: [string, number, number][] = [
      ['s7.large.2', 0.0782, 57.09],
      ['s7.4xlarge.2', 0.6256, 456.69],
      ['c7n.large.2', 0.092, 67.16],
      ['c7n.xlarge.2', 0.184, 134.32],
      ['m7.large.8', 0.1049, 76.56],
      ['m7.2xlarge.8', 0.4195, 306.25],
    ];
    const oci: [string, number, number][] = [
      ['VM.Standard.E5.Flex.1.8', 0.0423, 30.89],
      ['VM.Standard.E5.Flex.2.16', 0.0846, 61.79],
      ['VM.Standard.E5.Flex.8.64', 0.3386, 247.15],
      ['VM.Standard.E4.Flex.2.16', 0.0681, 49.7],
      ['VM.Standard3.Flex.4.32', 0.1914, 139.69],
      ['VM.Standard.A1.Flex.2.12', 0.035, 25.52],
      ['VM.Standard.A1.Flex.8.48', 0.1398, 102.08],
    ];
    for (const [id, hour, month] of huawei) {
      expect(findNodeSize('huawei', id), id).toMatchObject({ priceHourEur: hour, priceMonthEur: month });
    }
    for (const [id, hour, month] of oci) {
      expect(findNodeSize('oci', id), id).toMatchObject({ priceHourEur: hour, priceMonthEur: month });
    }
    expect(findNodeSize('oci', 'VM.Standard.E5.Flex.2.16')).toMatchObject({
      label: 'VM.Standard.E5.Flex (2 OCPU / 16 GB)',
      vcpu: 4,
      ramGb: 16,
      diskGb: null,
      diskLabel: 'Variable',
    });
    expect(findNodeSize('oci', 'VM.Standard.A1.Flex.4.24')).toMatchObject({
      vcpu: 4,
      category: 'shared-arm',
    });
    expect(findNodeSize('aws', 'm6i.xlarge')).toMatchObject({
      diskGb: null,
      diskLabel: 'EBS-only',
      priceHourEur: 0.1766,
      priceMonthEur: 128.95,
    });
  });

  it('matches its API schema', () => {
    const body = { providers: providers.map((p) => ({ ...p, nodeSizes: nodeSizes[p.id] })) };
    expect(() => providerCatalogSchema.parse(body)).not.toThrow();
  });
});

describe('install-set request', () => {
  it('trims ids and rejects unknown fields, long ids and oversized lists', () => {
    expect(installSetRequestSchema.parse({ components: [' harbor '] })).toEqual({ components: ['harbor'] });
    expect(installSetRequestSchema.safeParse({ components: [], extra: true }).success).toBe(false);
    expect(installSetRequestSchema.safeParse({ components: ['x'.repeat(65)] }).success).toBe(false);
    expect(installSetRequestSchema.safeParse({ components: Array(201).fill('harbor') }).success).toBe(false);
    expect(installSetRequestSchema.safeParse({}).success).toBe(false);
  });
});
