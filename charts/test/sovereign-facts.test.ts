// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux and tofu placeholders (${…}) are the subject of these tests
import { join } from 'node:path';
import { platformVersions, sovereignRegionSchema } from '@catalyst/contracts';
import { loadAll } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../apps/api/src/config/config.js';
import { parseSovereignFacts } from '../../apps/api/src/sovereign/sovereign-facts.js';
import {
  get,
  isRecord,
  kitDocs,
  read,
  readChart,
  repoRoot,
  substitute,
  type Yaml,
} from './helpers/charts.js';
import { ensureHelm, runHelm } from './helpers/helm.js';

/*
 * How the Sovereign's facts reach its Catalyst: cloud-init substitutes them into the kit, the kit's
 * ConfigMap catalyst-sovereign holds sovereign.json, bp-catalyst-platform names that ConfigMap, and
 * charts/catalyst mounts it and points CATALYST_SOVEREIGN_FILE at it.
 */

const CATALYST = join(repoRoot, 'charts/catalyst');
const cloudInit = () => read(join(repoRoot, 'infra/hetzner/cloudinit-control-plane.tftpl'));

/** The placeholders as cloud-init's postBuild.substitute hands them over (JSON text where JSON). */
const SUBSTITUTED: Record<string, string> = {
  SOVEREIGN_FQDN: 'omantel.example.org',
  SOVEREIGN_ORG_NAME: "Omantel's <Cloud> & Co",
  DEPLOYMENT_ID: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  SOVEREIGN_CREATED_AT: '2025-05-01T09:30:00Z',
  SOVEREIGN_HA: 'true',
  K3S_VERSION: platformVersions.k3s,
  // tofu's jsonencode sorts object keys.
  SOVEREIGN_REGIONS_JSON:
    '[{"controlPlaneSize":"cpx32","provider":"hetzner","region":"fsn1","workerCount":2,"workerSize":"cpx42"},' +
    '{"controlPlaneSize":"cpx32","provider":"hetzner","region":"hel1","workerCount":0,"workerSize":""}]',
  CATALYST_COMPONENTS_JSON: '["cilium","cert-manager","harbor"]',
};

let helm: string;
type K8s = Yaml & { kind: string; metadata: Yaml & { name: string } };
const render = (args: string[]): K8s[] => {
  const result = runHelm(helm, ['template', 'catalyst', CATALYST, '--namespace', 'catalyst-system', ...args]);
  expect(result.status, result.stderr).toBe(0);
  return loadAll(result.stdout).filter(isRecord) as K8s[];
};
const podOf = (objects: K8s[]) => {
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  expect(deployments).toHaveLength(1);
  return get(deployments[0], 'spec.template.spec') as Yaml;
};
const containerOf = (pod: Yaml) => get(pod, 'containers.0') as Yaml;
const envOf = (pod: Yaml) =>
  ((containerOf(pod).env ?? []) as { name: string; value?: string }[]).filter(
    (e) => e.name === 'CATALYST_SOVEREIGN_FILE',
  );

const kitConfigMap = () => {
  const found = kitDocs().filter(
    ({ doc }) => doc.kind === 'ConfigMap' && get(doc, 'metadata.name') === 'catalyst-sovereign',
  );
  expect(found).toHaveLength(1);
  return found[0] as { file: string; doc: Yaml };
};

describe('the Sovereign facts ConfigMap of the kit', () => {
  it('sits in the namespace bp-catalyst-platform installs into, under the name its values mount', () => {
    const { file, doc } = kitConfigMap();
    expect(file).toMatch(/bootstrap-kit\/11-catalyst-platform\.yaml$/);
    const release = kitDocs().find(
      ({ doc: d }) => d.kind === 'HelmRelease' && get(d, 'metadata.name') === 'bp-catalyst-platform',
    );
    expect(get(doc, 'metadata.namespace')).toBe(get(release?.doc, 'spec.targetNamespace'));
    const platform = readChart('bp-catalyst-platform').values;
    expect(get(platform, 'catalyst.sovereignFacts.configMap')).toBe('catalyst-sovereign');
    const key = (get(platform, 'catalyst.sovereignFacts.key') ??
      get(readChart('catalyst').values, 'sovereignFacts.key')) as string;
    expect(Object.keys(get(doc, 'data') as Yaml)).toEqual([key]);
  });

  it('holds, once substituted, a sovereign.json the api accepts with every fact', () => {
    const raw = (get(kitConfigMap().doc, 'data') as Record<string, string>)['sovereign.json'] ?? '';
    const reading = parseSovereignFacts(substitute(raw, SUBSTITUTED));
    expect(reading).toEqual({
      ok: true,
      facts: {
        fqdn: 'omantel.example.org',
        deploymentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
        createdAt: '2025-05-01T09:30:00Z',
        ha: true,
        k3sVersion: platformVersions.k3s,
        regions: [
          {
            provider: 'hetzner',
            region: 'fsn1',
            controlPlaneSize: 'cpx32',
            workerSize: 'cpx42',
            workerCount: 2,
          },
          { provider: 'hetzner', region: 'hel1', controlPlaneSize: 'cpx32', workerSize: '', workerCount: 0 },
        ],
        components: ['cilium', 'cert-manager', 'harbor'],
        orgName: "Omantel's <Cloud> & Co",
      },
    });
    // A single-node Sovereign says so too.
    const single = parseSovereignFacts(substitute(raw, { ...SUBSTITUTED, SOVEREIGN_HA: 'false' }));
    expect(single.ok && single.facts.ha).toBe(false);
    // Every placeholder of the file is one this test (and so cloud-init, below) provides.
    expect([...raw.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]).sort()).toEqual(
      Object.keys(SUBSTITUTED).sort(),
    );
  });

  it('gets its JSON-valued placeholders from cloud-init as JSON text of the right shape', () => {
    const text = cloudInit();
    expect(text).toContain('SOVEREIGN_CREATED_AT: ${jsonencode(plantimestamp())}');
    expect(text).toContain('SOVEREIGN_HA: ${jsonencode(ha_enabled ? "true" : "false")}');
    expect(text).toContain('SOVEREIGN_REGIONS_JSON: ${jsonencode(jsonencode(facts_regions))}');
    expect(text).toContain('CATALYST_COMPONENTS_JSON: ${jsonencode(jsonencode(components))}');
    // facts_regions (main.tf) renames the module's regions to exactly the contract's region fields.
    const mainTf = read(join(repoRoot, 'infra/hetzner/main.tf'));
    const factsRegions = /^\s*facts_regions\s*=\s*\[for r in var\.regions : \{(.*)\}\]$/m.exec(mainTf)?.[1];
    expect(factsRegions).toBeDefined();
    const fields = [...(factsRegions ?? '').matchAll(/(\w+) = r\.(\w+)/g)].map((m) => [m[1], m[2]]);
    expect(fields.map(([name]) => name).sort()).toEqual(Object.keys(sovereignRegionSchema.shape).sort());
    expect(Object.fromEntries(fields)).toEqual({
      provider: 'provider',
      region: 'cloud_region',
      controlPlaneSize: 'control_plane_size',
      workerSize: 'worker_size',
      workerCount: 'worker_count',
    });
  });
});

describe('charts/catalyst sovereignFacts', () => {
  beforeAll(() => {
    helm = ensureHelm(repoRoot);
  }, 180_000);

  it('mounts nothing and sets no facts file by default (a mothership)', () => {
    const pod = podOf(render([]));
    expect(((pod.volumes ?? []) as Yaml[]).filter((v) => v.name === 'sovereign-facts')).toEqual([]);
    expect(envOf(pod)).toEqual([]);
  });

  it('mounts the ConfigMap read-only and points CATALYST_SOVEREIGN_FILE at its key, over env', () => {
    const pod = podOf(
      render([
        '--set',
        'sovereignFacts.configMap=catalyst-sovereign',
        '--set',
        'env.CATALYST_SOVEREIGN_FILE=/elsewhere/facts.json',
      ]),
    );
    const volume = ((pod.volumes ?? []) as Yaml[]).find((v) => v.name === 'sovereign-facts');
    expect(volume?.configMap).toEqual({
      name: 'catalyst-sovereign',
      items: [{ key: 'sovereign.json', path: 'sovereign.json' }],
    });
    const mount = ((containerOf(pod).volumeMounts ?? []) as Yaml[]).find((m) => m.name === 'sovereign-facts');
    expect(mount).toEqual({ name: 'sovereign-facts', mountPath: '/etc/catalyst/sovereign', readOnly: true });
    // One variable, the mount's path: the chart's own wins over env.
    expect(envOf(pod)).toEqual([
      { name: 'CATALYST_SOVEREIGN_FILE', value: '/etc/catalyst/sovereign/sovereign.json' },
    ]);
    // The api accepts that path.
    const config = loadConfig({ CATALYST_SOVEREIGN_FILE: envOf(pod)[0]?.value });
    expect(config.sovereignFactsFile).toBe('/etc/catalyst/sovereign/sovereign.json');
  });

  it('refuses a relative mount path', () => {
    const result = runHelm(helm, [
      'template',
      'catalyst',
      CATALYST,
      '--set',
      'sovereignFacts.configMap=catalyst-sovereign',
      '--set',
      'sovereignFacts.mountPath=etc/facts',
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('mountPath');
  });
});
