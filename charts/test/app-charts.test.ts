import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marketplaceApps } from '@catalyst/contracts';
import { dump, load, loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileSchema,
  EXACT_VERSION,
  get,
  isRecord,
  mergeValues,
  read,
  readChart,
  readYaml,
  repoRoot,
  schemaErrors,
  type Yaml,
} from './helpers/charts.js';
import { ensureHelm, runHelm } from './helpers/helm.js';

/*
 * The marketplace apps' Blueprint charts (charts/app-<id>): static checks with a YAML parser, then the
 * umbrella's own templates rendered by the real helm, offline (the upstream dependency cannot be
 * downloaded here, so it is dropped from a copy of the chart).
 */

type App = (typeof marketplaceApps)[number];
type K8sObject = Yaml & { kind: string; apiVersion: string; metadata: Yaml & { name: string } };

const NAMESPACE = 'acme-production';

/** Exactly what Catalyst sets in an app's HelmRelease (besides releaseName: the app id). */
const catalystValues = (app: App) => ({
  global: {
    catalyst: {
      host: `${app.id}.production.acme.omani.works`,
      ingressClassName: 'traefik',
      clusterIssuer: 'letsencrypt-prod',
      org: 'acme',
      environment: 'production',
    },
  },
});

/** Observability switches (as the kit's rule): under these keys no `enabled`/`create` may be on. */
const OBSERVABILITY_KEYS =
  /^(servicemonitor|podmonitor|prometheusrules?|rules|metrics|monitoring|prometheus|telemetry)$/i;

function observabilityOn(value: unknown, path: string[] = [], inside = false): string[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = [...path, key];
    const under = inside || OBSERVABILITY_KEYS.test(key);
    if (under && (key === 'enabled' || key === 'create') && child !== false) return [here.join('.')];
    return observabilityOn(child, here, under);
  });
}

/** Every non-empty string under a key that names a credential, with its path. */
function credentialsIn(value: unknown, path: string[] = []): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => credentialsIn(item, [...path, String(i)]));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = [...path, key];
    if (/pass(word)?$|passwd|token|secretkey|apikey/i.test(key) && typeof child === 'string' && child !== '')
      return [`${here.join('.')}=${child}`];
    return credentialsIn(child, here);
  });
}

/** Every `resources` block in a values tree, with its path. */
function resourceBlocks(value: unknown, path: string[] = []): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => resourceBlocks(item, [...path, String(i)]));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    /^(resources|initResources)$/.test(key)
      ? [[[...path, key].join('.'), child] as [string, unknown]]
      : resourceBlocks(child, [...path, key]),
  );
}

const chartOf = (app: App) => readChart(app.chart.name);
const upstreamValues = (app: App) => {
  const { chart, values } = chartOf(app);
  return get(values, [chart.dependencies?.[0]?.name ?? '']) as Yaml;
};

describe('the marketplace app charts (charts/app-<id>)', () => {
  it.each(marketplaceApps.map((app) => [app.id, app] as const))(
    '%s: Chart.yaml, blueprint.yaml and values.yaml name the catalog chart and one pinned upstream',
    (_id, app) => {
      const dir = join(repoRoot, 'charts', app.chart.name);
      for (const file of ['Chart.yaml', 'values.yaml', 'values.schema.json', 'blueprint.yaml', 'templates'])
        expect(existsSync(join(dir, file)), `${app.chart.name}/${file}`).toBe(true);
      const { chart, values, blueprint } = chartOf(app);
      expect(chart.apiVersion).toBe('v2');
      expect(chart.name).toBe(app.chart.name);
      expect(chart.version).toBe(app.chart.version);

      const dependencies = chart.dependencies ?? [];
      expect(dependencies).toHaveLength(1);
      const [dependency] = dependencies as [NonNullable<typeof chart.dependencies>[number]];
      expect(dependency.version).toMatch(EXACT_VERSION);
      expect(dependency.repository).toMatch(/^(https:\/\/|oci:\/\/)/);
      expect(dependency.alias).toBeUndefined();
      expect('condition' in dependency || 'tags' in dependency).toBe(false);
      const upstream = {
        chart: dependency.name,
        version: dependency.version,
        repository: dependency.repository,
      };

      expect(blueprint?.apiVersion).toBe('catalyst.openova.io/v1alpha1');
      expect(blueprint?.kind).toBe('Blueprint');
      expect(get(blueprint, 'metadata.name')).toBe(app.chart.name);
      expect(get(blueprint, 'spec.version')).toBe(app.chart.version);
      expect(get(blueprint, 'spec.visibility')).toBe('listed');
      expect(get(blueprint, 'spec.card.title')).toBe(app.name);
      expect(get(blueprint, 'spec.card.tagline')).toBe(app.description);
      expect(get(blueprint, 'spec.upstream')).toEqual(upstream);
      expect(get(blueprint, 'spec.manifests.source')).toEqual({
        kind: 'HelmChart',
        ref: `oci://ghcr.io/openova-io/charts/${app.chart.name}:${app.chart.version}`,
      });
      const depends = (get(blueprint, 'spec.depends') as { blueprint: string; version: string }[]).map(
        (d) => d.blueprint,
      );
      expect(depends.sort()).toEqual(app.postgres ? ['bp-cert-manager', 'bp-cnpg'] : ['bp-cert-manager']);
      // The card's config schema is the values contract.
      expect(Object.keys(get(blueprint, 'spec.configSchema.properties') as Yaml).sort()).toEqual(
        Object.keys(catalystValues(app).global.catalyst).sort(),
      );

      expect(get(values, 'catalystBlueprint')).toEqual({
        name: app.chart.name,
        version: app.chart.version,
        upstream,
      });
      // CI (blueprint-release.yaml) smoke-renders it as the api installs it: that release name, those values.
      expect(chartOf(app).annotations['catalyst.openova.io/release-name']).toBe(app.id);
      expect(readYaml(join(dir, 'ci/smoke-values.yaml'))).toEqual(catalystValues(app));
      // The upstream's objects have fixed names: the release name the api gives (the app id).
      expect(get(upstreamValues(app), 'fullnameOverride')).toBe(app.id);
      // The umbrella renders the Ingress; the upstream's own stays off.
      expect(get(upstreamValues(app), 'ingress.enabled')).toBe(false);
    },
  );

  it.each(marketplaceApps.map((app) => [app.id, app] as const))(
    '%s: values.schema.json accepts the values with global.catalyst and refuses them without host or with an unknown key',
    (_id, app) => {
      const { schema, values } = chartOf(app);
      const validate = compileSchema(schema);
      const sample = catalystValues(app);
      expect(schemaErrors(validate, mergeValues(values, sample))).toEqual([]);

      // Catalyst must set global.catalyst: the chart's own values.yaml alone is refused.
      expect(schemaErrors(validate, values).join('\n')).toContain('global');
      expect(schemaErrors(validate, { ...values, global: {} }).join('\n')).toContain('catalyst');
      const { host: _host, ...withoutHost } = sample.global.catalyst;
      expect(
        schemaErrors(validate, mergeValues(values, { global: { catalyst: withoutHost } })).join('\n'),
      ).toContain('host');
      expect(
        schemaErrors(
          validate,
          mergeValues(values, { global: { catalyst: { ...sample.global.catalyst, adminPassword: 'x' } } }),
        ).join('\n'),
      ).toContain('adminPassword');
      expect(
        schemaErrors(
          validate,
          mergeValues(values, { global: { catalyst: { ...sample.global.catalyst, host: 'https://x/' } } }),
        ),
      ).not.toEqual([]);
      // Nothing lands beside the upstream's values unnoticed.
      expect(schemaErrors(validate, mergeValues(values, { ...sample, replicas: 2 }))).not.toEqual([]);
    },
  );

  it.each(marketplaceApps.map((app) => [app.id, app] as const))(
    '%s: observability off, requests and limits on every container, no password in values',
    (_id, app) => {
      const { values } = chartOf(app);
      expect(observabilityOn(values)).toEqual([]);
      const blocks = resourceBlocks(values);
      expect(blocks.length).toBeGreaterThan(0);
      for (const [path, block] of blocks) {
        for (const key of ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'])
          expect(get(block, key), `${path}.${key}`).toBeDefined();
      }
      expect(credentialsIn(values)).toEqual([]);
    },
  );

  it('defines a CloudNativePG Cluster template exactly for the Postgres-backed bundle', () => {
    for (const app of marketplaceApps) {
      const dir = join(repoRoot, 'charts', app.chart.name, 'templates');
      expect(existsSync(join(dir, 'database.yaml')), app.id).toBe(app.postgres);
      const text = existsSync(join(dir, 'database.yaml')) ? read(join(dir, 'database.yaml')) : '';
      expect(text.includes('postgresql.cnpg.io/v1'), app.id).toBe(app.postgres);
    }
    // The bundle of the catalog is these two.
    expect(marketplaceApps.filter((a) => a.postgres).map((a) => a.id)).toEqual(['nextcloud', 'gitea']);
  });
});

describe('the marketplace app charts, rendered by helm (the umbrella templates, offline)', () => {
  let helm: string;
  let work: string;
  beforeAll(() => {
    helm = ensureHelm(repoRoot);
    work = mkdtempSync(join(tmpdir(), 'catalyst-app-charts-'));
  }, 180_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** A copy of the chart without its dependency (not downloadable here) and the sample values file. */
  const stage = (app: App) => {
    const dir = join(work, app.chart.name);
    if (!existsSync(dir)) {
      cpSync(join(repoRoot, 'charts', app.chart.name), dir, { recursive: true });
      const chart = load(read(join(dir, 'Chart.yaml'))) as Yaml;
      delete chart.dependencies;
      writeFileSync(join(dir, 'Chart.yaml'), dump(chart));
      writeFileSync(join(work, `${app.id}-values.yaml`), dump(catalystValues(app)));
    }
    return { dir, valuesFile: join(work, `${app.id}-values.yaml`) };
  };
  const helmOk = (args: string[]) => {
    const result = runHelm(helm, args);
    expect(result.status, `helm ${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const render = (app: App) => {
    const { dir, valuesFile } = stage(app);
    const text = helmOk(['template', app.id, dir, '-n', NAMESPACE, '-f', valuesFile]);
    return { text, objects: loadAll(text).filter(isRecord) as K8sObject[] };
  };
  const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
  const secretData = (secret: K8sObject) =>
    Object.fromEntries(
      Object.entries((secret.data ?? {}) as Record<string, string>).map(([k, v]) => [
        k,
        Buffer.from(v, 'base64').toString('utf8'),
      ]),
    );

  it.each(marketplaceApps.map((app) => [app.id, app] as const))(
    '%s: lints, and renders an Ingress for global.catalyst.host onto the upstream Service',
    (_id, app) => {
      const { dir, valuesFile } = stage(app);
      helmOk(['lint', '--strict', dir, '-f', valuesFile]);
      const { objects } = render(app);
      const { host, ingressClassName, clusterIssuer } = catalystValues(app).global.catalyst;
      const ingresses = ofKind(objects, 'Ingress');
      expect(ingresses).toHaveLength(1);
      const ingress = ingresses[0] as K8sObject;
      expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
      expect(get(ingress, 'spec.ingressClassName')).toBe(ingressClassName);
      expect(get(ingress, ['metadata', 'annotations', 'cert-manager.io/cluster-issuer'])).toBe(clusterIssuer);
      expect(get(ingress, 'spec.tls')).toEqual([{ hosts: [host], secretName: `${app.id}-tls` }]);
      expect(get(ingress, 'spec.rules')).toHaveLength(1);
      expect(get(ingress, 'spec.rules.0.host')).toBe(host);
      const path = get(ingress, 'spec.rules.0.http.paths.0') as Yaml;
      expect(path).toMatchObject({ path: '/', pathType: 'Prefix' });
      // The upstream chart's Service: <fullnameOverride> (gitea names its web Service <fullname>-http).
      const service = app.id === 'gitea' ? `${app.id}-http` : app.id;
      expect(get(path, 'backend.service')).toEqual({ name: service, port: { name: 'http' } });
      for (const object of objects) {
        expect(object.metadata.namespace, `${object.kind} ${object.metadata.name}`).toBeUndefined();
        expect(get(object, ['metadata', 'labels', 'app.kubernetes.io/instance'])).toBe(app.id);
      }
    },
  );

  it.each(marketplaceApps.map((app) => [app.id, app] as const))(
    '%s: refuses a release name other than the app id, and values without global.catalyst',
    (_id, app) => {
      const { dir, valuesFile } = stage(app);
      const other = runHelm(helm, ['template', 'other', dir, '-n', NAMESPACE, '-f', valuesFile]);
      expect(other.status).not.toBe(0);
      expect(other.stderr).toContain(`installed as release "${app.id}"`);
      const bare = runHelm(helm, ['template', app.id, dir, '-n', NAMESPACE]);
      expect(bare.status).not.toBe(0);
      expect(bare.stderr).toContain('global');
    },
  );

  it.each(marketplaceApps.filter((a) => a.postgres).map((app) => [app.id, app] as const))(
    '%s: renders its CloudNativePG Cluster, and the upstream reads the Secret and Service the operator makes',
    (_id, app) => {
      const { objects } = render(app);
      const clusters = ofKind(objects, 'Cluster');
      expect(clusters).toHaveLength(1);
      const cluster = clusters[0] as K8sObject;
      expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1');
      expect(cluster.metadata.name).toBe(`${app.id}-db`);
      expect(get(cluster, 'spec.instances')).toBe(1);
      expect(get(cluster, 'spec.storage.size')).toMatch(/^\d+(Mi|Gi)$/);
      expect(get(cluster, 'spec.bootstrap.initdb')).toEqual({ database: app.id, owner: app.id });
      expect(get(cluster, 'spec.resources.limits.memory')).toBeDefined();
      expect(get(cluster, 'spec.monitoring.enablePodMonitor')).toBe(false);

      // What CloudNativePG generates for that Cluster: <name>-rw (Service), <name>-app (username, password).
      const rw = `${cluster.metadata.name}-rw`;
      const secret = `${cluster.metadata.name}-app`;
      const upstream = upstreamValues(app);
      if (app.id === 'nextcloud') {
        expect(get(upstream, 'internalDatabase.enabled')).toBe(false);
        expect(get(upstream, 'externalDatabase')).toMatchObject({
          enabled: true,
          type: 'postgresql',
          host: rw,
          database: app.id,
          existingSecret: {
            enabled: true,
            secretName: secret,
            usernameKey: 'username',
            passwordKey: 'password',
          },
        });
        expect(JSON.stringify(get(upstream, 'nextcloud.extraInitContainers'))).toContain(`-h ${rw}`);
      } else {
        expect(get(upstream, 'gitea.config.database')).toMatchObject({
          DB_TYPE: 'postgres',
          HOST: `${rw}:5432`,
          NAME: app.id,
        });
        expect(get(upstream, 'gitea.additionalConfigFromEnvs')).toEqual(
          expect.arrayContaining([
            { name: 'GITEA__DATABASE__USER', valueFrom: { secretKeyRef: { name: secret, key: 'username' } } },
            {
              name: 'GITEA__DATABASE__PASSWD',
              valueFrom: { secretKeyRef: { name: secret, key: 'password' } },
            },
          ]),
        );
      }
      // No bundled (Bitnami) database beside it.
      for (const key of ['postgresql.enabled', 'mariadb.enabled', 'postgresql-ha.enabled'])
        if (get(upstream, key) !== undefined) expect(get(upstream, key), key).toBe(false);
    },
  );

  it('renders no CloudNativePG Cluster for the apps outside the bundle', () => {
    for (const app of marketplaceApps.filter((a) => !a.postgres))
      expect(ofKind(render(app).objects, 'Cluster'), app.id).toEqual([]);
  });

  /** The generated Secrets each app renders, the keys holding a generated password, and who reads them. */
  const generated: Record<string, { secret: string; passwords: string[]; readBy: string[] }[]> = {
    wordpress: [
      {
        secret: 'wordpress-mariadb-credentials',
        passwords: ['MARIADB_ROOT_PASSWORD', 'MARIADB_PASSWORD'],
        readBy: ['mariadb.extraEnvSecrets.0'],
      },
      {
        secret: 'wordpress-database-client',
        passwords: ['WORDPRESS_DB_PASSWORD'],
        readBy: ['extraEnvSecrets.0'],
      },
    ],
    ghost: [
      {
        secret: 'ghost-mysql-credentials',
        passwords: ['MYSQL_ROOT_PASSWORD', 'MYSQL_PASSWORD'],
        readBy: ['mysql.extraEnvSecrets.0'],
      },
      {
        secret: 'ghost-database-client',
        passwords: ['password'],
        readBy: ['env.3.valueFrom.secretKeyRef.name'],
      },
    ],
    nextcloud: [
      {
        secret: 'nextcloud-admin',
        passwords: ['nextcloud-password'],
        readBy: ['nextcloud.existingSecret.secretName'],
      },
    ],
    gitea: [{ secret: 'gitea-admin', passwords: ['password'], readBy: ['gitea.admin.existingSecret'] }],
    // Uptime Kuma: SQLite, and the admin is created on the first visit; nothing to generate.
    'uptime-kuma': [],
  };

  it.each(marketplaceApps.map((app) => [app.id, app] as const))(
    '%s: generates its passwords (new on each render without a cluster), and renders no password from values',
    (_id, app) => {
      const first = render(app);
      const second = render(app);
      const expected = generated[app.id] ?? [];
      const secrets = ofKind(first.objects, 'Secret');
      expect(secrets.map((s) => s.metadata.name).sort()).toEqual(expected.map((e) => e.secret).sort());
      for (const { secret, passwords, readBy } of expected) {
        const one = secretData(secrets.find((s) => s.metadata.name === secret) as K8sObject);
        const two = secretData(
          ofKind(second.objects, 'Secret').find((s) => s.metadata.name === secret) as K8sObject,
        );
        for (const key of passwords) {
          expect(one[key], `${secret}.${key}`).toMatch(/^[A-Za-z0-9]{32}$/);
          // randAlphaNum, not a constant: a render without a cluster (no lookup) makes a new one.
          expect(two[key], `${secret}.${key}`).not.toBe(one[key]);
        }
        for (const path of readBy) expect(get(upstreamValues(app), path), path).toBe(secret);
        // Kept on uninstall only where a database volume outlives the release.
        const kept = get(
          secrets.find((s) => s.metadata.name === secret),
          ['metadata', 'annotations', 'helm.sh/resource-policy'],
        );
        expect(kept, secret).toBe(['wordpress', 'ghost'].includes(app.id) ? 'keep' : undefined);
      }
      // The users' and the root passwords of one database are different; the app's copy equals the user's.
      if (app.id === 'wordpress' || app.id === 'ghost') {
        const [db, client] = expected.map((e) =>
          secretData(secrets.find((s) => s.metadata.name === e.secret) as K8sObject),
        ) as [Record<string, string>, Record<string, string>];
        const prefix = app.id === 'wordpress' ? 'MARIADB' : 'MYSQL';
        expect(db[`${prefix}_PASSWORD`]).not.toBe(db[`${prefix}_ROOT_PASSWORD`]);
        expect(client[app.id === 'wordpress' ? 'WORDPRESS_DB_PASSWORD' : 'password']).toBe(
          db[`${prefix}_PASSWORD`],
        );
        expect(db[`${prefix}_USER`]).toBe(app.id);
        expect(db[`${prefix}_DATABASE`]).toBe(app.id);
      }
      // No literal credential anywhere in the values a render sees, so none can reach a manifest.
      const values = mergeValues(chartOf(app).values, catalystValues(app));
      expect(credentialsIn(values)).toEqual([]);
      expect(first.text).not.toMatch(/changeme|r8sA8CPHD9/);
    },
  );

  it.each(marketplaceApps.map((app) => [app.id, app] as const))(
    '%s: gives the app its public URL from global.catalyst.host',
    (_id, app) => {
      const { objects } = render(app);
      const host = catalystValues(app).global.catalyst.host;
      const url = `https://${host}`;
      const configMap = (name: string) =>
        get(
          ofKind(objects, 'ConfigMap').find((c) => c.metadata.name === name),
          'data',
        ) as Record<string, string>;
      const upstream = upstreamValues(app);
      switch (app.id) {
        case 'wordpress': {
          const name = get(upstream, 'extraEnvConfigs.0') as string;
          expect(configMap(name).WORDPRESS_CONFIG_EXTRA).toBe(
            `define('WP_HOME', '${url}');\ndefine('WP_SITEURL', '${url}');\n`,
          );
          break;
        }
        case 'ghost': {
          const env = get(upstream, 'env') as { name: string; valueFrom?: Yaml }[];
          const ref = get(
            env.find((e) => e.name === 'url'),
            'valueFrom.configMapKeyRef',
          ) as Yaml;
          expect(configMap(ref.name as string)[ref.key as string]).toBe(url);
          break;
        }
        case 'nextcloud': {
          const volume = get(upstream, 'nextcloud.extraVolumes.0') as Yaml;
          const mount = get(upstream, 'nextcloud.extraVolumeMounts.0') as Yaml;
          expect(mount).toMatchObject({
            name: volume.name,
            mountPath: '/var/www/html/config/catalyst.config.php',
            subPath: 'catalyst.config.php',
          });
          const php = configMap(get(volume, 'configMap.name') as string)['catalyst.config.php'] ?? '';
          expect(php).toMatch(/^<\?php\n/);
          // The public host and the Host the chart's probes send (nextcloud.host) are both trusted.
          expect(php).toContain(`=> '${host}',`);
          expect(php).toContain(`=> '${get(upstream, 'nextcloud.host')}',`);
          expect(php).toContain(`'overwrite.cli.url' => '${url}',`);
          expect(get(upstream, 'phpClientHttpsFix')).toEqual({ enabled: true, protocol: 'https' });
          break;
        }
        case 'gitea':
          // Both fields are rendered by the upstream chart with tpl (DOMAIN from the first ingress host).
          expect(get(upstream, 'ingress.hosts.0.host')).toBe('{{ .Values.global.catalyst.host }}');
          expect(get(upstream, 'gitea.additionalConfigFromEnvs')).toEqual(
            expect.arrayContaining([
              { name: 'GITEA__SERVER__ROOT_URL', value: 'https://{{ .Values.global.catalyst.host }}/' },
            ]),
          );
          break;
        default:
          // Uptime Kuma needs no URL of its own (it serves relative links).
          expect(app.id).toBe('uptime-kuma');
      }
    },
  );
});
