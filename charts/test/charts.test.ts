// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux and tofu placeholders (${…}) are the subject of these tests
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapKitReleases, platformVersions, sovereignSmtpSchema } from '@catalyst/contracts';
import { dump, loadAll } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../apps/api/src/config/config.js';
import { envSchema } from '../../apps/api/src/config/config.schema.js';
import { smtpUrlOf } from '../../apps/api/src/deployments/sovereign-mail.js';
import { buildTfvars } from '../../apps/api/src/deployments/tfvars.js';
import {
  type Chart,
  chartNames,
  compileSchema,
  dependsOnOf,
  EXACT_VERSION,
  get,
  helmReleases,
  installOrder,
  isRecord,
  kitDir,
  kitDocs,
  mergeValues,
  read,
  readChart,
  readYaml,
  readYamlDocs,
  repoRoot,
  satisfiesCaret,
  schemaErrors,
  substitute,
  type Yaml,
} from './helpers/charts.js';
import { ensureHelm, runHelm } from './helpers/helm.js';

/*
 * The Kubernetes packaging: charts/catalyst (rendered with the real helm, offline), the bp-* Blueprint
 * charts (static checks with a YAML parser: their upstream dependencies cannot be fetched here), and
 * the bootstrap kit of clusters/_template that installs them.
 */

const CATALYST = join(repoRoot, 'charts/catalyst');
const cloudInit = () => read(join(repoRoot, 'infra/hetzner/cloudinit-control-plane.tftpl'));

/** The kit's postBuild placeholders, as cloud-init would fill them for one Sovereign. */
const SOVEREIGN: Record<string, string> = {
  SOVEREIGN_FQDN: 'omantel.example.org',
  SOVEREIGN_ORG_NAME: 'Omantel',
  ADMIN_EMAIL: 'admin@example.org',
  DEPLOYMENT_ID: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  DOMAIN_MODE: 'pool',
  REGION: 'fsn1',
  LOAD_BALANCER_IPV4: '203.0.113.10',
  KUBE_API_INTERNAL_HOST: '10.0.1.2',
  K3S_VERSION: platformVersions.k3s,
  CILIUM_VERSION: platformVersions.cilium,
  FLUX_VERSION: platformVersions.flux,
  CATALYST_CHARTS_OCI: 'oci://registry.example.org/charts',
  CATALYST_COMPONENTS: 'keycloak',
  KEYCLOAK_ADMIN_PASSWORD: 'k'.repeat(48),
  GITEA_ADMIN_PASSWORD: 'g'.repeat(48),
  POWERDNS_API_KEY: 'p'.repeat(64),
  // The deployment's handover key, its public half as one line of base64 SPKI (tfvars handover_public_key).
  HANDOVER_PUBLIC_KEY: 'MCowBQYDK2VwAyEAqVZrUqorrvx9j2K/j1vtlNHW34u5Wly2BEfhmuDLe1I=',
};

/** Observability switches (the Blueprint rule: they default to false): under these keys nothing may be on. */
const OBSERVABILITY_KEYS =
  /^(servicemonitor|podmonitor|prometheusrules?|metrics|monitoring|tracing|prometheus|promexporter|telemetry|servertelemetry)$/i;

/** Paths of every `enabled`/`create` switch under an observability key that is not `false`. */
function observabilityOn(value: unknown, path: string[] = [], inside = false): string[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = [...path, key];
    const under = inside || OBSERVABILITY_KEYS.test(key);
    if (
      under &&
      (key === 'enabled' || key === 'create') &&
      child !== false &&
      !Array.isArray(child) &&
      child !== null
    )
      return [here.join('.')];
    return observabilityOn(child, here, under);
  });
}

const bpCharts = () => chartNames().filter((name) => name.startsWith('bp-'));
const defaultOci = () =>
  /variable "catalyst_charts_oci" \{[\s\S]*?default\s*=\s*"([^"]+)"/.exec(
    read(join(repoRoot, 'infra/hetzner/variables.tf')),
  )?.[1];

type K8sObject = Yaml & { kind: string; apiVersion: string; metadata: Yaml & { name: string } };

let helm: string | undefined;
const helmOk = (args: string[]) => {
  const result = runHelm(helm as string, args);
  expect(result.status, `helm ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result.stdout;
};
const render = (chartDir: string, args: string[] = []): K8sObject[] =>
  loadAll(helmOk(['template', 'catalyst', chartDir, '--namespace', 'catalyst', ...args])).filter(
    isRecord,
  ) as K8sObject[];
const only = (objects: K8sObject[], kind: string): K8sObject => {
  const found = objects.filter((o) => o.kind === kind);
  expect(
    found.map((o) => o.metadata.name),
    kind,
  ).toHaveLength(1);
  return found[0] as K8sObject;
};
const apiContainer = (deployment: K8sObject) => get(deployment, 'spec.template.spec.containers.0') as Yaml;
const envOf = (deployment: K8sObject) => {
  const env = (apiContainer(deployment).env ?? []) as { name: string; value?: string; valueFrom?: Yaml }[];
  return new Map(env.map((e) => [e.name, e]));
};
const withValues = (values: Yaml, run: (file: string) => void) => {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-values-'));
  try {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, dump(values));
    run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** helm for the describe blocks that render; the static checks need none. */
const useHelm = () =>
  beforeAll(() => {
    helm ??= ensureHelm(repoRoot);
  }, 180_000);

describe('charts/catalyst, rendered by helm', () => {
  useHelm();
  const catalyst = () => readChart('catalyst');

  it('has no subchart dependency, so it lints and renders offline', () => {
    expect(catalyst().chart.dependencies ?? []).toEqual([]);
    expect(existsSync(join(CATALYST, 'charts'))).toBe(false);
    expect(catalyst().annotations['catalyst.openova.io/no-upstream']).toBe('true');
    helmOk(['lint', '--strict', CATALYST]);
    helmOk(['lint', '--strict', CATALYST, '--values', join(CATALYST, 'ci/ha-values.yaml')]);
  });

  it('runs the api image of this repository at its version', () => {
    const api = JSON.parse(read(join(repoRoot, 'apps/api/package.json'))) as { version: string };
    expect(catalyst().chart.appVersion).toBe(api.version);
    const deployment = only(render(CATALYST), 'Deployment');
    expect(apiContainer(deployment).image).toBe(`ghcr.io/openova-io/catalyst:${api.version}`);
    expect(read(join(repoRoot, 'Dockerfile'))).toMatch(/^CMD \["node", "apps\/api\/dist\/main\.js"\]$/m);
  });

  it('carries the module provider in a mirror the image points provisioning runs at', () => {
    const dockerfile = read(join(repoRoot, 'Dockerfile'));
    const mirror = /^ENV CATALYST_TOFU_PLUGIN_MIRROR=(\/\S+)$/m.exec(dockerfile)?.[1];
    expect(mirror).toBeDefined();
    // Filled from the module itself, so its versions.tf and lock file decide what is mirrored.
    expect(dockerfile).toMatch(/^COPY infra\/hetzner (\S+)\nRUN cd \1 && tofu providers mirror /m);
    expect(dockerfile).toContain(`tofu providers mirror -platform=linux_amd64 ${mirror}\n`);
    expect(dockerfile).toContain(`COPY --from=tofu ${mirror} ${mirror}\n`);
  });

  it('renders a locked-down Deployment, a Service and no monitoring object with the default values', () => {
    const objects = render(CATALYST);
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'Service', 'ServiceAccount']);
    expect(JSON.stringify(objects)).not.toContain('monitoring.coreos.com');
    for (const object of objects) {
      expect(object.metadata.labels, `${object.kind} labels`).toMatchObject({
        'app.kubernetes.io/name': 'catalyst',
        'app.kubernetes.io/instance': 'catalyst',
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/part-of': 'catalyst',
      });
    }
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);

    const deployment = only(objects, 'Deployment');
    expect(get(deployment, 'spec.replicas')).toBe(1);
    expect(get(deployment, 'spec.strategy')).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(get(deployment, 'metadata.annotations')).toBeUndefined();
    const pod = get(deployment, 'spec.template.spec') as Yaml;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 });
    const container = apiContainer(deployment);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(get(container, 'livenessProbe.httpGet')).toEqual({ path: '/healthz', port: 'http' });
    expect(get(container, 'readinessProbe.httpGet')).toEqual({ path: '/readyz', port: 'http' });
    expect(get(container, 'startupProbe.httpGet')).toEqual({ path: '/healthz', port: 'http' });
    expect(get(container, 'resources.requests')).toBeDefined();
    expect(get(container, 'resources.limits.memory')).toBeDefined();
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);

    // Writable places on the read-only root filesystem: the tofu workdir, the data dir and /tmp.
    const env = envOf(deployment);
    const mounts = new Map(
      ((container.volumeMounts ?? []) as { name: string; mountPath: string }[]).map((m) => [
        m.mountPath,
        m.name,
      ]),
    );
    const volumes = new Map(((pod.volumes ?? []) as Yaml[]).map((v) => [v.name as string, v]));
    const workdir = env.get('CATALYST_TOFU_WORKDIR')?.value ?? '';
    expect(workdir).toMatch(/^\//);
    for (const path of [workdir, env.get('CATALYST_DATA_DIR')?.value ?? '', '/tmp']) {
      const volume = volumes.get(mounts.get(path) ?? '');
      expect(volume?.emptyDir, `${path} is an emptyDir`).toBeDefined();
    }
    expect(env.get('PORT')?.value).toBe('8080');
    expect(env.get('HOME')?.value).toBe('/tmp');

    // Secrets only by reference.
    for (const [name, secret, key] of [
      ['DATABASE_URL', 'catalyst-database', 'DATABASE_URL'],
      ['CATALYST_SECRET_KEY', 'catalyst-secret-key', 'CATALYST_SECRET_KEY'],
    ] as const) {
      expect(env.get(name)).toEqual({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
    }
    expect(env.has('SMTP_URL')).toBe(false);
    expect(env.has('PDNS_API_KEY')).toBe(false);
    // One hop: the ingress controller in front of the Service.
    expect(env.get('CATALYST_TRUST_PROXY')?.value).toBe('1');

    const service = only(objects, 'Service');
    expect(get(service, 'spec.selector')).toEqual(get(deployment, 'spec.selector.matchLabels'));
    expect(get(service, 'spec.ports')).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
    ]);
  });

  it('reads SMTP_URL and MAIL_FROM from Secrets, optional when asked, and MAIL_FROM once', () => {
    const required = envOf(
      only(
        render(CATALYST, ['--set', 'secrets.smtpUrl.name=mail', '--set', 'env.MAIL_FROM=a@b.example']),
        'Deployment',
      ),
    );
    expect(required.get('SMTP_URL')?.valueFrom).toEqual({ secretKeyRef: { name: 'mail', key: 'SMTP_URL' } });
    expect(required.get('MAIL_FROM')).toEqual({ name: 'MAIL_FROM', value: 'a@b.example' });
    const deployment = only(
      render(CATALYST, [
        '--set',
        'secrets.smtpUrl.name=mail',
        '--set',
        'secrets.smtpUrl.optional=true',
        '--set',
        'secrets.mailFrom.name=mail',
        '--set',
        'secrets.mailFrom.optional=true',
        '--set',
        'env.MAIL_FROM=ignored@b.example',
        '--set',
        'env.CATALYST_MAIL_OUTBOX=on',
      ]),
      'Deployment',
    );
    const env = envOf(deployment);
    expect(env.get('SMTP_URL')?.valueFrom).toEqual({
      secretKeyRef: { name: 'mail', key: 'SMTP_URL', optional: true },
    });
    expect(env.get('MAIL_FROM')?.valueFrom).toEqual({
      secretKeyRef: { name: 'mail', key: 'MAIL_FROM', optional: true },
    });
    const names = ((apiContainer(deployment).env ?? []) as { name: string }[]).map((e) => e.name);
    expect(names.filter((n) => n === 'MAIL_FROM')).toHaveLength(1);
    const unknown = runHelm(helm as string, [
      'template',
      'catalyst',
      CATALYST,
      '--set',
      'secrets.mailFrom.secret=x',
    ]);
    expect(unknown.status).not.toBe(0);
  });

  it('grants the RBAC of tenant apps, and mounts the token, only with tenantApps.enabled', () => {
    const plain = render(CATALYST);
    expect(plain.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    const objects = render(CATALYST, ['--set', 'tenantApps.enabled=true']);
    expect(get(only(objects, 'Deployment'), 'spec.template.spec.automountServiceAccountToken')).toBe(true);
    const role = only(objects, 'ClusterRole');
    const rules = get(role, 'rules') as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    const granted = rules.flatMap((rule) =>
      rule.resources.flatMap((resource) =>
        rule.verbs.map((verb) => `${rule.apiGroups[0] || 'core'}/${resource}:${verb}`),
      ),
    );
    // Nothing beyond what the api calls: no wildcard, no reading Secrets, no workloads written but their scale.
    expect(granted.some((g) => g.includes('*'))).toBe(false);
    expect(granted.filter((g) => g.startsWith('core/secrets'))).toEqual([
      'core/secrets:list',
      'core/secrets:delete',
    ]);
    expect(granted).toContain('helm.toolkit.fluxcd.io/helmreleases:watch');
    expect(granted).toContain('apps/deployments/scale:patch');
    expect(granted.filter((g) => g.startsWith('apps/deployments:'))).toEqual(['apps/deployments:list']);
    const binding = only(objects, 'ClusterRoleBinding');
    expect(get(binding, 'roleRef.name')).toBe(role.metadata.name);
    expect(get(binding, 'subjects')).toEqual([
      {
        kind: 'ServiceAccount',
        name: get(only(objects, 'ServiceAccount'), 'metadata.name'),
        namespace: expect.any(String),
      },
    ]);
  });

  it('renders the HA values: replicas, PodDisruptionBudget, CloudNativePG Cluster, Ingress, spread', () => {
    const objects = render(CATALYST, ['--values', join(CATALYST, 'ci/ha-values.yaml')]);
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'Cluster',
      'Deployment',
      'Ingress',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
    const deployment = only(objects, 'Deployment');
    expect(get(deployment, 'spec.replicas')).toBeGreaterThanOrEqual(2);
    expect(get(deployment, 'spec.strategy.type')).toBe('RollingUpdate');
    const selector = get(deployment, 'spec.selector.matchLabels');
    expect(
      get(
        deployment,
        'spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution',
      ),
    ).toEqual([{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } }]);

    const pdb = only(objects, 'PodDisruptionBudget');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(get(pdb, 'spec')).toEqual({ maxUnavailable: 1, selector: { matchLabels: selector } });

    const cluster = only(objects, 'Cluster');
    expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(get(cluster, 'spec.instances')).toBe(3);
    // The api creates each run's OpenTofu role (CATALYST_TOFU_DB_ROLE=per-deployment): CREATEROLE.
    expect(get(cluster, 'spec.bootstrap.initdb')).toEqual({
      database: 'catalyst',
      owner: 'catalyst',
      postInitApplicationSQL: ['ALTER ROLE catalyst CREATEROLE'],
    });
    expect(get(cluster, 'spec.monitoring.enablePodMonitor')).toBe(false);
    expect(get(cluster, ['metadata', 'annotations', 'helm.sh/resource-policy'])).toBe('keep');
    expect(get(cluster, ['metadata', 'annotations', 'kustomize.toolkit.fluxcd.io/force'])).toBeUndefined();

    const env = envOf(deployment);
    expect(env.get('DATABASE_URL')?.valueFrom).toEqual({
      secretKeyRef: { name: `${cluster.metadata.name}-app`, key: 'uri' },
    });
    expect(env.get('SMTP_URL')?.valueFrom).toEqual({
      secretKeyRef: { name: 'catalyst-smtp', key: 'SMTP_URL' },
    });
    expect(env.get('PDNS_API_KEY')?.valueFrom).toEqual({
      secretKeyRef: { name: 'catalyst-powerdns', key: 'PDNS_API_KEY' },
    });
    expect(env.get('NATS_URL')?.value).toBe('nats://nats.nats-system.svc.cluster.local:4222');
    expect(env.get('PUBLIC_URL')?.value).toBe('https://catalyst.example.com');

    const ingress = only(objects, 'Ingress');
    expect(get(ingress, 'spec.tls')).toEqual([
      { secretName: 'catalyst-tls', hosts: ['catalyst.example.com'] },
    ]);
    expect(get(ingress, 'spec.rules.0.http.paths.0.backend.service')).toEqual({
      name: 'catalyst',
      port: { name: 'http' },
    });
  });

  it('renders a ServiceMonitor and a Gateway API HTTPRoute only when asked', () => {
    const objects = render(CATALYST, [
      '--set',
      'serviceMonitor.enabled=true',
      '--set',
      'httpRoute.enabled=true',
      '--set',
      'httpRoute.parentRefs[0].name=public',
      '--set',
      'httpRoute.hostnames[0]=catalyst.example.com',
    ]);
    const monitor = only(objects, 'ServiceMonitor');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(get(monitor, 'spec.endpoints.0')).toMatchObject({ port: 'http', path: '/metrics' });
    const route = only(objects, 'HTTPRoute');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(get(route, 'spec.parentRefs')).toEqual([{ name: 'public' }]);
    expect(get(route, 'spec.rules.0.backendRefs')).toEqual([{ name: 'catalyst', port: 80 }]);
    expect(envOf(only(objects, 'Deployment')).get('PUBLIC_URL')?.value).toBe('https://catalyst.example.com');
  });

  it('runs the embedded database on a kept volume, one replica, Recreate (the only force-annotated case)', () => {
    const objects = render(CATALYST, [
      '--set',
      'database.embedded.enabled=true',
      '--set',
      'secrets.secretKey.name=',
    ]);
    const deployment = only(objects, 'Deployment');
    expect(get(deployment, 'spec.strategy')).toEqual({ type: 'Recreate' });
    expect(get(deployment, ['metadata', 'annotations', 'kustomize.toolkit.fluxcd.io/force'])).toBe('enabled');
    const env = envOf(deployment);
    expect(env.has('DATABASE_URL')).toBe(false);
    expect(env.has('CATALYST_SECRET_KEY')).toBe(false);
    const claim = only(objects, 'PersistentVolumeClaim');
    expect(get(claim, ['metadata', 'annotations'])).toEqual({ 'helm.sh/resource-policy': 'keep' });
    const data = ((get(deployment, 'spec.template.spec.volumes') ?? []) as Yaml[]).find(
      (v) => v.name === 'data',
    );
    expect(data?.persistentVolumeClaim).toEqual({ claimName: claim.metadata.name });
  });

  it('gives a stopping pod at least 2 × the cancel grace + 30 s, so tofu is never killed before it saves its state', () => {
    const graceOf = (args: string[]) =>
      get(only(render(CATALYST, args), 'Deployment'), 'spec.template.spec.terminationGracePeriodSeconds');
    // What the api does on SIGTERM: SIGINT to tofu, SIGTERM after the cancel grace, SIGKILL after 2 × it + 30 s.
    const floor = (cancelGraceSeconds: number) => 2 * cancelGraceSeconds + 30;
    // Unset, the chart assumes the api's own default cancel grace.
    const apiDefault = envSchema.shape.CATALYST_CANCEL_GRACE.parse(undefined);
    expect(graceOf([])).toBeGreaterThanOrEqual(floor(apiDefault));
    expect(graceOf(['--values', join(CATALYST, 'ci/ha-values.yaml')])).toBeGreaterThanOrEqual(
      floor(apiDefault),
    );
    for (const [value, seconds] of [
      ['5s', 5],
      ['90', 90],
      ['5m', 300],
      ['1h', 3600],
    ] as const) {
      expect(graceOf(['--set-string', `env.CATALYST_CANCEL_GRACE=${value}`]), value).toBeGreaterThanOrEqual(
        floor(seconds),
      );
    }
    expect(graceOf(['--set', 'terminationGracePeriodSeconds=400'])).toBe(400);
    for (const args of [
      ['--set', 'terminationGracePeriodSeconds=60'],
      ['--set', 'terminationGracePeriodSeconds=200', '--set-string', 'env.CATALYST_CANCEL_GRACE=2m'],
    ]) {
      const result = runHelm(helm as string, ['template', 'catalyst', CATALYST, ...args]);
      expect(result.status, args.join(' ')).not.toBe(0);
      expect(result.stderr).toContain('terminationGracePeriodSeconds');
    }
  });

  it.each([
    [['--set', 'replicaCount=2', '--set', 'database.embedded.enabled=true'], 'replicaCount must be 1'],
    [['--set', 'secrets.databaseUrl.name='], 'no database'],
    [['--set', 'secrets.secretKey.name='], 'secrets.secretKey.name is required'],
    [['--set', 'env.PDNS_API_URL=http://pdns:8081'], 'secrets.powerdnsApiKey.name'],
    [['--set', 'ingress.enabled=true'], 'ingress.enabled needs ingress.host'],
    [
      ['--set', 'database.cnpg.enabled=true', '--set', 'database.embedded.enabled=true'],
      'exclude each other',
    ],
    [['--set', 'env.DATABASE_URL=postgres://x'], "additional properties 'DATABASE_URL' not allowed"],
    [['--set', 'replicas=2'], "additional properties 'replicas' not allowed"],
    [['--set', 'replicaCount=0'], 'replicaCount'],
  ])('refuses %j', (args, message) => {
    const result = runHelm(helm as string, ['template', 'catalyst', CATALYST, ...args]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(message);
  });

  it('maps every environment variable the api reads: settable by name, set by the chart, or a secret reference', () => {
    const read_ = Object.keys(envSchema.shape).sort();
    const settable = Object.keys(get(catalyst().schema, 'properties.env.properties') as Yaml);
    const managed = ['PORT', 'HOST', 'CATALYST_DATA_DIR', 'CATALYST_TOFU_WORKDIR'];
    const secret = ['DATABASE_URL', 'CATALYST_SECRET_KEY', 'SMTP_URL', 'PDNS_API_KEY'];
    expect([...settable, ...managed, ...secret].sort()).toEqual(read_);
    const documented = read(join(repoRoot, 'docs/configuration.md'));
    for (const name of read_)
      expect(documented, `docs/configuration.md documents ${name}`).toContain(`\`${name}\``);
    const env = envOf(
      only(render(CATALYST, ['--values', join(CATALYST, 'ci/ha-values.yaml')]), 'Deployment'),
    );
    for (const name of [...managed, ...secret]) expect(env.has(name), name).toBe(true);
  });

  it('documents every value in values.schema.json, which accepts the default and HA values', () => {
    const { schema, values } = catalyst();
    const validate = compileSchema(schema);
    expect(schemaErrors(validate, values)).toEqual([]);
    expect(
      schemaErrors(validate, mergeValues(values, readYaml(join(CATALYST, 'ci/ha-values.yaml')))),
    ).toEqual([]);
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string) => {
      const properties = get(node, 'properties');
      if (!isRecord(properties)) return;
      for (const [key, child] of Object.entries(properties)) {
        if (typeof get(child, 'description') !== 'string') undocumented.push(`${path}${key}`);
        walk(child, `${path}${key}.`);
      }
    };
    walk(schema, '');
    expect(undocumented).toEqual([]);
    for (const key of Object.keys(values)) expect(get(schema, ['properties', key]), key).toBeDefined();
  });
});

describe('the Blueprint charts (charts/bp-*)', () => {
  let charts: Chart[];
  beforeAll(() => {
    charts = bpCharts().map(readChart);
  });

  it('exist for every release of the bootstrap kit, and only for those', () => {
    expect(bpCharts()).toEqual(bootstrapKitReleases.map((r) => `bp-${r.id}`).sort());
    for (const chart of charts) {
      expect(chart.chart.apiVersion, chart.name).toBe('v2');
      expect(chart.chart.name, chart.name).toBe(chart.name);
      expect(chart.chart.type ?? 'application', chart.name).toBe('application');
      for (const file of ['blueprint.yaml', 'values.yaml', 'values.schema.json'])
        expect(existsSync(join(chart.dir, file)), `${chart.name}/${file}`).toBe(true);
    }
  });

  it('are umbrella charts with a pinned upstream, or carry the explicit no-upstream annotation (none is hollow)', () => {
    for (const { name, chart, annotations, dir } of charts) {
      const dependencies = chart.dependencies ?? [];
      const noUpstream = annotations['catalyst.openova.io/no-upstream'] === 'true';
      expect(dependencies.length > 0 !== noUpstream, `${name}: dependencies XOR no-upstream`).toBe(true);
      for (const dependency of dependencies) {
        expect(dependency.version, `${name} → ${dependency.name}`).toMatch(EXACT_VERSION);
        expect(dependency.repository, `${name} → ${dependency.name}`).toMatch(
          /^(https:\/\/|oci:\/\/|file:\/\/\.\.\/)/,
        );
        expect(dependency.alias, `${name}: values go under the chart's own name`).toBeUndefined();
        // A dependency switched off by a condition would ship the bytes but install nothing.
        expect('condition' in dependency || 'tags' in dependency, `${name} → ${dependency.name}`).toBe(false);
      }
      const templates = existsSync(join(dir, 'templates')) ? readdirSync(join(dir, 'templates')) : [];
      if (noUpstream) {
        // Its payload is its own templates, and they render something at the defaults.
        expect(templates.filter((t) => t.endsWith('.yaml')).length, `${name} templates`).toBeGreaterThan(0);
      }
      // A chart rendering nothing by default must say so (smoke-render-mode); none of these does.
      expect(annotations['catalyst.openova.io/smoke-render-mode'], name).toBeUndefined();
    }
    // No downloaded chart tarball or vendored subchart is committed.
    // What a commit would take: tracked files and untracked ones not ignored.
    const tracked = runGit(['ls-files', '--cached', '--others', '--exclude-standard', '--', 'charts']);
    expect(tracked.filter((f) => f.endsWith('.tgz') || /^charts\/[^/]+\/charts\//.test(f))).toEqual([]);
  });

  it('keep Chart.yaml, blueprint.yaml and values.yaml in lockstep (identity, version, upstream pin)', () => {
    const oci = defaultOci();
    expect(oci).toMatch(/^oci:\/\//);
    for (const { name, chart, values, blueprint } of charts) {
      const spec = get(blueprint, 'spec') as Yaml;
      expect(blueprint?.apiVersion, name).toBe('catalyst.openova.io/v1alpha1');
      expect(blueprint?.kind, name).toBe('Blueprint');
      expect(get(blueprint, 'metadata.name'), name).toBe(name);
      expect(chart.version, name).toMatch(/^\d+\.\d+\.\d+$/);
      expect(spec.version, `${name} blueprint version`).toBe(chart.version);
      expect(get(values, 'catalystBlueprint.name'), name).toBe(name);
      expect(get(values, 'catalystBlueprint.version'), `${name} values version`).toBe(chart.version);
      expect(spec.appVersion, `${name} appVersion`).toBe(chart.appVersion);
      const dependency = chart.dependencies?.[0];
      const upstream = dependency
        ? { chart: dependency.name, version: dependency.version, repository: dependency.repository }
        : undefined;
      expect(chart.dependencies?.length ?? 0, `${name}: one upstream`).toBeLessThanOrEqual(1);
      expect(spec.upstream, `${name} blueprint upstream`).toEqual(upstream);
      expect(get(values, 'catalystBlueprint.upstream'), `${name} values upstream`).toEqual(upstream);
      if (dependency)
        expect(isRecord(values[dependency.name]), `${name}: values under ${dependency.name}:`).toBe(true);
      expect(get(spec, 'manifests.source')).toEqual({
        kind: 'HelmChart',
        ref: `${oci}/${name}:${chart.version}`,
      });
      expect(get(spec, 'card.title'), name).toBeTypeOf('string');
      expect(['listed', 'unlisted', 'private']).toContain(spec.visibility);
      expect(get(spec, 'configSchema.type'), name).toBe('object');
      compileSchema(spec.configSchema as Yaml);
    }
  });

  it('default every observability toggle to false, in the charts and in the kit', () => {
    for (const chart of [...charts, readChart('catalyst')])
      expect(observabilityOn(chart.values), `${chart.name}/values.yaml`).toEqual([]);
    for (const { file, doc } of helmReleases())
      expect(observabilityOn(get(doc, 'spec.values')), `${file} ${get(doc, 'metadata.name')}`).toEqual([]);
    // The switches the upstream charts default to on are turned off explicitly.
    const values = (name: string) => readChart(name).values;
    expect(get(values('bp-cilium'), 'cilium.operator.prometheus.enabled')).toBe(false);
    expect(get(values('bp-cert-manager'), 'cert-manager.prometheus.enabled')).toBe(false);
    expect(get(values('bp-crossplane'), 'crossplane.metrics.enabled')).toBe(false);
    expect(get(values('bp-flux-operator'), 'flux-operator.serviceMonitor.create')).toBe(false);
    expect(get(values('catalyst'), 'serviceMonitor.enabled')).toBe(false);
    expect(get(values('catalyst'), 'database.cnpg.podMonitor.enabled')).toBe(false);
    expect(observabilityOn({ cilium: { prometheus: { serviceMonitor: { enabled: true } } } })).toEqual([
      'cilium.prometheus.serviceMonitor.enabled',
    ]);
  });

  it('have a values.schema.json that validates their values.yaml', () => {
    for (const { name, schema, values, dir } of [...charts, readChart('catalyst')]) {
      const validate = compileSchema(schema);
      expect(schemaErrors(validate, values), name).toEqual([]);
      expect(get(schema, 'additionalProperties'), `${name}: unknown top-level values are refused`).toBe(
        false,
      );
      const ci = join(dir, 'ci');
      for (const file of existsSync(ci) ? readdirSync(ci) : [])
        expect(
          schemaErrors(validate, mergeValues(values, readYaml(join(ci, file)))),
          `${name}/ci/${file}`,
        ).toEqual([]);
    }
  });

  it('declare the dependencies of their kit release, each satisfied by the chart it names', () => {
    const releases = new Map(helmReleases().map(({ doc }) => [get(doc, 'metadata.name') as string, doc]));
    for (const { name, blueprint } of charts) {
      const depends = (get(blueprint, 'spec.depends') ?? []) as { blueprint: string; version: string }[];
      const dependsOn = ((get(releases.get(name), 'spec.dependsOn') ?? []) as { name: string }[]).map(
        (d) => d.name,
      );
      expect(depends.map((d) => d.blueprint).sort(), name).toEqual(dependsOn.sort());
      for (const dependency of depends) {
        const target = readChart(dependency.blueprint).chart.version;
        expect(
          satisfiesCaret(target, dependency.version),
          `${name} → ${dependency.blueprint}@${target}`,
        ).toBe(true);
      }
    }
  });
});

describe('the Blueprint charts without downloads, rendered by helm', () => {
  useHelm();

  it('renders bp-flux offline: the FluxInstance at the catalog Flux version', () => {
    const dir = join(repoRoot, 'charts/bp-flux');
    helmOk(['lint', '--strict', dir]);
    const instance = only(render(dir), 'FluxInstance');
    expect(instance.apiVersion).toBe('fluxcd.controlplane.io/v1');
    expect(instance.metadata.name).toBe('flux');
    expect(get(instance, 'spec.distribution.version')).toBe(platformVersions.flux);
    expect(get(instance, 'spec.components')).toContain('helm-controller');
  });

  it('lints and renders every no-upstream Blueprint with the values its kit release gives it', () => {
    const noUpstream = bootstrapKitReleases
      .map((r) => readChart(`bp-${r.id}`))
      .filter((chart) => chart.annotations['catalyst.openova.io/no-upstream'] === 'true');
    expect(noUpstream.map((c) => c.name)).toEqual(expect.arrayContaining(['bp-flux', 'bp-coraza']));
    for (const chart of noUpstream) {
      helmOk(['lint', '--strict', chart.dir]);
      const release = helmReleases().find(({ doc }) => get(doc, 'metadata.name') === chart.name);
      const namespace = String(get(release?.doc, 'spec.targetNamespace'));
      const releaseName = String(get(release?.doc, 'spec.releaseName'));
      withValues(substitute((get(release?.doc, 'spec.values') ?? {}) as Yaml, SOVEREIGN), (file) => {
        const objects = loadAll(
          helmOk(['template', releaseName, chart.dir, '--namespace', namespace, '--values', file]),
        ).filter(isRecord);
        expect(objects.length, `${chart.name} renders objects`).toBeGreaterThan(0);
      });
    }
  });

  it('packages charts/catalyst into bp-catalyst-platform (file:// dependency) and render it with the kit values', () => {
    const work = mkdtempSync(join(tmpdir(), 'catalyst-bp-platform-'));
    try {
      cpSync(CATALYST, join(work, 'catalyst'), { recursive: true });
      cpSync(join(repoRoot, 'charts/bp-catalyst-platform'), join(work, 'bp-catalyst-platform'), {
        recursive: true,
      });
      const umbrella = join(work, 'bp-catalyst-platform');
      helmOk(['dependency', 'build', umbrella]);
      const version = readChart('catalyst').chart.version;
      expect(readdirSync(join(umbrella, 'charts'))).toEqual([`catalyst-${version}.tgz`]);
      helmOk(['lint', '--strict', umbrella]);
      const release = helmReleases().find(({ doc }) => get(doc, 'metadata.name') === 'bp-catalyst-platform');
      withValues(substitute(get(release?.doc, 'spec.values') as Yaml, SOVEREIGN), (file) => {
        const objects = loadAll(
          helmOk(['template', 'catalyst', umbrella, '--namespace', 'catalyst-system', '--values', file]),
        ).filter(isRecord) as K8sObject[];
        const deployment = only(objects, 'Deployment');
        expect(deployment.metadata.name).toBe('catalyst');
        const env = envOf(deployment);
        expect(env.get('PUBLIC_URL')?.value).toBe('https://console.omantel.example.org');
        expect(env.get('CATALYST_ADMIN_EMAILS')?.value).toBe('admin@example.org');
        expect(env.get('PDNS_API_KEY')?.valueFrom).toEqual({
          secretKeyRef: { name: 'catalyst-powerdns', key: 'PDNS_API_KEY' },
        });
        // The kit creates that Secret with that key beside the HelmRelease.
        const secret = kitDocs().find(
          ({ doc }) => doc.kind === 'Secret' && get(doc, 'metadata.name') === 'catalyst-powerdns',
        );
        expect(get(secret?.doc, 'metadata.namespace')).toBe('catalyst-system');
        expect(Object.keys(get(secret?.doc, 'stringData') as Yaml)).toEqual(['PDNS_API_KEY']);
        expect(env.has('DATABASE_URL')).toBe(false);
        expect(only(objects, 'PersistentVolumeClaim')).toBeDefined();
        expect(get(only(objects, 'Ingress'), 'spec.rules.0.host')).toBe('console.omantel.example.org');
        expect(get(only(objects, 'Ingress'), 'spec.ingressClassName')).toBe('cilium');

        // SMTP_URL and MAIL_FROM come from catalyst-smtp, which the mothership creates only when the
        // operator gave an SMTP server: optional references, and the outbox switched on for the case
        // without it, so the production image starts in Kubernetes either way.
        for (const name of ['SMTP_URL', 'MAIL_FROM'])
          expect(env.get(name)?.valueFrom, name).toEqual({
            secretKeyRef: { name: 'catalyst-smtp', key: name, optional: true },
          });
        expect(env.get('CATALYST_MAIL_OUTBOX')?.value).toBe('on');
        expect(env.get('CATALYST_TRUST_PROXY')?.value).toBe('1');
        // What the kubelet gives the pod: an optional reference to an absent Secret sets nothing.
        const podEnvWith = (secrets: Record<string, string>) =>
          Object.fromEntries(
            [...env].flatMap(([name, e]) => {
              const ref = e.valueFrom?.secretKeyRef as
                | { name: string; key: string; optional?: boolean }
                | undefined;
              if (!ref) return [[name, e.value ?? '']];
              const value =
                ref.name === 'catalyst-smtp'
                  ? secrets[ref.key]
                  : 'a-secret-from-a-secret-ref-0123456789abcdef';
              return value === undefined && ref.optional ? [] : [[name, value ?? '']];
            }),
          );
        const podEnv = podEnvWith({});
        expect(podEnv.SMTP_URL).toBeUndefined();
        const config = loadConfig({
          ...podEnv,
          NODE_ENV: 'production',
          KUBERNETES_SERVICE_HOST: '10.43.0.1',
        });
        expect(config.smtpUrl).toBeUndefined();
        // With the Secret the mothership applies (sovereign-mail.ts), mail goes out through it.
        const smtp = sovereignSmtpSchema.parse({
          host: 'smtp.omantel.example',
          username: 'mailer',
          password: 'p@ss:word/1',
          from: 'Omantel <no-reply@omantel.example>',
        });
        const withSmtp = loadConfig({
          ...podEnvWith({ SMTP_URL: smtpUrlOf(smtp, 'p@ss:word/1'), MAIL_FROM: smtp.from }),
          NODE_ENV: 'production',
          KUBERNETES_SERVICE_HOST: '10.43.0.1',
        });
        expect(withSmtp.smtpUrl).toBe(smtpUrlOf(smtp, 'p@ss:word/1'));
        expect(withSmtp.mailFrom).toBe('Omantel <no-reply@omantel.example>');
        expect(config.trustProxy).toBe(1);
        // The Catalyst on a Sovereign is that Sovereign's own console: it offers no wizard.
        expect(env.get('CATALYST_MODE')?.value).toBe('sovereign');
        expect(config.mode).toBe('sovereign');
        expect(() =>
          loadConfig({ ...podEnv, CATALYST_MAIL_OUTBOX: '', KUBERNETES_SERVICE_HOST: '10.43.0.1' }),
        ).toThrow(/SMTP_URL/);
      });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('clusters/_template installs exactly these charts', () => {
  const releases = () =>
    helmReleases().map(({ file, doc }) => ({ file, doc, name: get(doc, 'metadata.name') as string }));

  it('sources every release from one OCI HelmRepository whose URL cloud-init substitutes', () => {
    const sources = readYamlDocs(join(kitDir, 'sources.yaml'));
    expect(sources).toEqual([
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'HelmRepository',
        metadata: { name: 'catalyst-charts', namespace: 'flux-system' },
        spec: { type: 'oci', interval: '1h', url: '${CATALYST_CHARTS_OCI}' },
      },
    ]);
    expect(cloudInit()).toContain('CATALYST_CHARTS_OCI: ${jsonencode(catalyst_charts_oci)}');
    expect(read(join(repoRoot, 'infra/hetzner/main.tf'))).toMatch(
      /catalyst_charts_oci\s*=\s*var\.catalyst_charts_oci/,
    );
    for (const { name, doc } of releases()) {
      expect(get(doc, 'spec.chart.spec.sourceRef'), name).toEqual({
        kind: 'HelmRepository',
        name: 'catalyst-charts',
        namespace: 'flux-system',
      });
    }
  });

  it("points every HelmRelease at an existing chart of the same name, at that chart's version", () => {
    const platform: Record<string, string> = {
      '${CILIUM_VERSION}': platformVersions.cilium,
      '${FLUX_VERSION}': platformVersions.flux,
    };
    const names = releases().map((r) => r.name);
    expect(names.sort()).toEqual(bootstrapKitReleases.map((r) => `bp-${r.id}`).sort());
    for (const { name, doc } of releases()) {
      const chart = get(doc, 'spec.chart.spec.chart') as string;
      expect(chart, name).toBe(name);
      expect(existsSync(join(repoRoot, 'charts', chart, 'Chart.yaml')), `charts/${chart}`).toBe(true);
      const pinned = String(get(doc, 'spec.chart.spec.version'));
      const version = platform[pinned] ?? pinned;
      expect(version, `${name} version`).toMatch(/^\d+\.\d+\.\d+$/);
      expect(version, `${name} → charts/${chart}`).toBe(readChart(chart).chart.version);
    }
  });

  it('has dependsOn targets that exist and form no cycle', () => {
    const docs = releases().map(({ doc }) => doc);
    const names = new Set(releases().map(({ name }) => name));
    for (const doc of docs)
      for (const target of dependsOnOf(doc))
        expect(names.has(target), `${get(doc, 'metadata.name')} → ${target}`).toBe(true);
    const { order, stuck } = installOrder(docs);
    expect(stuck, 'a cycle among these').toEqual([]);
    expect(order[0]).toBe('bp-cilium');
  });

  it("gives every release values its chart's values.schema.json accepts (so nothing lands beside the subchart)", () => {
    for (const { name, doc } of releases()) {
      const chart = readChart(name);
      const values = mergeValues(chart.values, substitute(get(doc, 'spec.values') ?? {}, SOVEREIGN));
      expect(schemaErrors(compileSchema(chart.schema), values), name).toEqual([]);
      const dependency = chart.chart.dependencies?.[0];
      if (dependency?.repository.startsWith('file://')) {
        // A subchart of this repository: its own schema sees the merged subtree.
        const sub = readChart(dependency.repository.replace('file://../', ''));
        const subValues = mergeValues(sub.values, get(values, dependency.name));
        expect(schemaErrors(compileSchema(sub.schema), subValues), `${name} → ${sub.name}`).toEqual([]);
      }
    }
  });
});

describe('the kit keeps pods away from the cloud metadata service', () => {
  it('denies every pod egress to 169.254.169.254 with one cluster-wide Cilium policy of the base kit', () => {
    const policies = kitDocs().filter(
      ({ doc }) =>
        doc.kind === 'CiliumClusterwideNetworkPolicy' &&
        JSON.stringify(get(doc, 'spec.egressDeny') ?? []).includes('169.254.169.254'),
    );
    expect(policies).toHaveLength(1);
    const [{ file, doc }] = policies as [(typeof policies)[number]];
    // In the base (every Sovereign), not in an optional Component.
    expect(file).toMatch(/\/bootstrap-kit\/[^/]+\.yaml$/);
    expect(get(doc, 'apiVersion')).toBe('cilium.io/v2');
    // Every pod: no component of the kit needs the metadata service, so none is exempt.
    expect(get(doc, 'spec.endpointSelector')).toEqual({});
    expect(get(doc, 'spec.egressDeny')).toEqual([{ toCIDR: ['169.254.169.254/32'] }]);
    // A deny-only policy must not switch every pod to default-deny (which would cut all egress).
    expect(get(doc, 'spec.enableDefaultDeny')).toEqual({ egress: false, ingress: false });
    expect(get(doc, 'spec.egress')).toBeUndefined();
    expect(get(doc, 'spec.ingress')).toBeUndefined();
    // enableDefaultDeny exists from Cilium 1.16; an older one would read this policy as default-deny.
    const [major = 0, minor = 0] = platformVersions.cilium.split('.').map(Number);
    expect(major * 100 + minor, `Cilium ${platformVersions.cilium}`).toBeGreaterThanOrEqual(116);
    // An hcloud cloud-controller-manager or CSI driver reads the metadata service: adding one needs an
    // exception in clusters/_template/bootstrap-kit/cilium-metadata-egress.yaml first.
    expect(
      bootstrapKitReleases.map((r) => r.id).filter((id) => /hcloud|cloud-controller|csi/.test(id)),
    ).toEqual([]);
  });
});

describe('version pins', () => {
  const tfvars = () =>
    buildTfvars({
      deploymentId: 'd',
      fqdn: 'x.example.org',
      orgName: 'X',
      adminEmail: 'a@example.org',
      hetznerToken: 't',
      hetznerProjectId: '1',
      regions: [
        {
          provider: 'hetzner',
          cloudRegion: 'fsn1',
          controlPlaneSize: 'cpx32',
          workerSize: '',
          workerCount: 0,
        },
      ],
      haEnabled: false,
      sshPublicKey: 'k',
      domainMode: 'pool',
      kubeconfigTokens: { fsn1: 'k' },
      handoverPublicKey: 'k',
      apiUrl: 'https://api.example.org',
      gitopsRepoUrl: 'https://git.example.org/r',
      gitopsBranch: 'main',
      components: [],
    });

  it('keeps the Flux version equal across the catalog, cloud-init, the kit and bp-flux', () => {
    const flux = platformVersions.flux;
    expect(tfvars().flux_version).toBe(flux);
    expect(read(join(repoRoot, 'infra/hetzner/main.tf'))).toMatch(/flux_version\s*=\s*var\.flux_version/);
    const text = cloudInit();
    expect(text).toContain(
      "'https://github.com/fluxcd/flux2/releases/download/v${flux_version}/install.yaml'",
    );
    expect(text).toContain('FLUX_VERSION: ${jsonencode(flux_version)}');
    const release = helmReleases().find(({ doc }) => get(doc, 'metadata.name') === 'bp-flux');
    expect(get(release?.doc, 'spec.values.instance.distribution.version')).toBe('${FLUX_VERSION}');
    const bpFlux = readChart('bp-flux');
    expect(bpFlux.chart.appVersion, 'bp-flux appVersion (the Flux it runs)').toBe(flux);
    expect(get(bpFlux.values, 'instance.distribution.version')).toBe(flux);
    expect(get(bpFlux.blueprint, 'spec.appVersion')).toBe(flux);
  });

  it('keeps the Cilium version equal across the catalog, cloud-init, the kit and bp-cilium', () => {
    const cilium = platformVersions.cilium;
    expect(tfvars().cilium_version).toBe(cilium);
    const bpCilium = readChart('bp-cilium');
    expect(bpCilium.chart.version).toBe(cilium);
    expect(bpCilium.chart.dependencies).toEqual([
      { name: 'cilium', version: cilium, repository: 'https://helm.cilium.io' },
    ]);
    const text = cloudInit();
    expect(text).toMatch(
      /helm upgrade --install cilium '\$\{catalyst_charts_oci\}\/bp-cilium' \\\n\s+--version '\$\{cilium_version\}'/,
    );
    // cloud-init's values file and the HelmRelease's values are the same (so adoption changes nothing). The
    // values up to the template's first directive are every Sovereign's; the multi-region ones that follow are
    // checked against components/clustermesh in infra/test/regions.test.ts and kit-render.test.ts.
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.includes('path: /var/lib/catalyst/cilium-values.yaml'));
    const content = lines.findIndex((l, i) => i > start && l.trim() === 'content: |');
    const body: string[] = [];
    for (const line of lines.slice(content + 1)) {
      if (!line.trim() || line.startsWith('%{')) break;
      body.push(line.slice(6));
    }
    const installed = (loadAll(body.join('\n'))[0] ?? {}) as Yaml;
    const release = helmReleases().find(({ doc }) => get(doc, 'metadata.name') === 'bp-cilium');
    expect(substitute(installed, { kube_api_internal_host: '${KUBE_API_INTERNAL_HOST}' })).toEqual(
      get(release?.doc, 'spec.values'),
    );
  });

  it('keeps the catalyst chart pinned inside bp-catalyst-platform', () => {
    const catalyst = readChart('catalyst').chart;
    expect(readChart('bp-catalyst-platform').chart.dependencies).toEqual([
      { name: 'catalyst', version: catalyst.version, repository: 'file://../catalyst' },
    ]);
    expect(readChart('bp-catalyst-platform').chart.appVersion).toBe(catalyst.appVersion);
  });
});

describe('the release workflow', () => {
  it('packages and publishes each changed chart as OCI behind the dependency, smoke-render and lockstep guards', () => {
    const workflow = readYaml(join(repoRoot, '.github/workflows/blueprint-release.yaml'));
    const text = read(join(repoRoot, '.github/workflows/blueprint-release.yaml'));
    expect(get(workflow, 'on.push.paths')).toContain('charts/**');
    expect(get(workflow, 'on.pull_request.paths')).toContain('charts/**');
    expect(get(workflow, 'jobs.package.permissions.packages')).toBe('write');
    for (const step of [
      'helm dependency build',
      'helm package',
      'tar -tzf',
      'helm template',
      'helm push',
      'helm pull',
      'npx vitest run --project charts',
    ])
      expect(text, step).toContain(step);
    expect(text).toContain('oci://ghcr.io/${{ github.repository_owner }}/charts');
    expect(defaultOci()).toBe('oci://ghcr.io/openova-io/charts');
  });
});

function runGit(args: string[]): string[] {
  const result = spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
  expect(result.status, `git ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout.split('\n').filter(Boolean);
}
