import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServerEmulator } from '../../test/fixtures/kube/kube-apiserver.emulator.js';
import { createTestDatabase } from '../../test/helpers/database.js';
import { eventually } from '../../test/helpers/eventually.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { AppBilling } from './app-billing.service.js';

/*
 * Issue #14: a tenant's apps really run. The api deploys into "its own cluster" (the kube-apiserver
 * emulator with its helm-controller simulation, reached through KUBECONFIG) on a real PostgreSQL, and
 * follows what Flux reports; money moves only when an app runs.
 */

const ADMIN = 'admin@sovereign.test';
const POOL = 'omani.homes';
let kube: KubeApiServerEmulator;
let smtp: SmtpPeer;
let t: TestApp;
let db: pg.Client;
let admin: string;
let dir: string;
let kubeconfigPath: string;
let customers = 0;
let database: { url: string; drop(): Promise<void> };

function env(): Record<string, string> {
  return {
    KUBECONFIG: kubeconfigPath,
    SMTP_URL: smtpUrl,
    CATALYST_ADMIN_EMAILS: ADMIN,
    CATALYST_TENANT_POOL_DOMAINS: POOL,
    MARKETPLACE_URL: 'https://market.sovereign.test',
  };
}
let smtpUrl: string;

type Method = 'GET' | 'POST' | 'DELETE';
function call(app: TestApp, method: Method, url: string, cookie?: string, payload?: unknown) {
  return app.app.inject({
    method,
    url,
    payload: payload as object,
    headers: cookie ? { cookie } : {},
    remoteAddress: `198.19.0.${(customers % 250) + 1}`,
  });
}

/** A tenant with an org (`slug`), an environment `production` and `creditBaisa` in the wallet. */
async function tenant(slug: string, creditBaisa: number, app = t) {
  const n = ++customers;
  const code = `APPS-${n}`;
  expect((await call(app, 'POST', '/billing/vouchers/issue', admin, { code, creditBaisa })).statusCode).toBe(
    201,
  );
  const cookie = await signIn(app.app, smtp, `${slug}-${n}@customer.test`);
  const checkout = await call(app, 'POST', '/billing/checkout', cookie, {
    planId: 'starter',
    promoCode: code,
    orgSlug: slug,
    poolDomain: POOL,
  });
  expect(checkout.statusCode, checkout.body).toBe(200);
  const environment = await call(app, 'POST', `/api/v1/orgs/${slug}/environments`, cookie, {
    name: 'production',
  });
  expect(environment.statusCode, environment.body).toBe(201);
  return { cookie, slug, namespace: `${slug}-production` };
}

async function apps(cookie: string, slug: string, app = t) {
  const res = await call(app, 'GET', `/api/v1/orgs/${slug}/apps`, cookie);
  expect(res.statusCode).toBe(200);
  return res.json().apps as {
    id: string;
    appId: string;
    status: string;
    message: string | null;
    url: string;
  }[];
}

async function statusOf(cookie: string, slug: string, id: string, app = t) {
  return (await apps(cookie, slug, app)).find((a) => a.id === id);
}

async function balance(cookie: string) {
  return (await call(t, 'GET', '/billing/wallet', cookie)).json().balanceBaisa as number;
}

async function outbox(type: string, installId: string): Promise<number> {
  const { rows } = await db.query(
    `select count(*)::int as n from event_outbox where type = $1 and payload->>'installId' = $2`,
    [type, installId],
  );
  return rows[0].n;
}

async function install(cookie: string, slug: string, appId: string) {
  const res = await call(t, 'POST', `/api/v1/orgs/${slug}/environments/production/apps`, cookie, { appId });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; status: string };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'catalyst-tenant-apps-'));
  kube = new KubeApiServerEmulator({ tls: true });
  await kube.start();
  kube.startHelmController({ delayMs: 150 });
  kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kube.kubeconfig());
  smtp = new SmtpPeer();
  smtpUrl = await smtp.start();
  database = await createTestDatabase();
  t = await startTestApp({ env: env(), databaseUrl: database.url });
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
  admin = await signIn(t.app, smtp, ADMIN);
});

afterAll(async () => {
  await db?.end();
  await t?.close();
  await database?.drop();
  await smtp?.stop();
  await kube?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('tenant apps on the cluster Catalyst runs on', () => {
  it('installs an app: namespace, quota, default-deny policy and HelmRelease, then running and charged once', async () => {
    const acme = await tenant('acme', 12_000);
    const created = await install(acme.cookie, 'acme', 'wordpress');
    expect(created.status).toBe('installing');
    // Nothing is charged when clicked.
    expect(await balance(acme.cookie)).toBe(12_000);

    await eventually(
      'wordpress running',
      async () => (await statusOf(acme.cookie, 'acme', created.id))?.status === 'running',
    );
    const row = await statusOf(acme.cookie, 'acme', created.id);
    expect(row?.url).toBe('https://wordpress.production.acme.omani.homes');
    expect(await balance(acme.cookie)).toBe(7_000);

    const namespace = kube.object('Namespace', undefined, 'acme-production');
    expect(namespace?.metadata.labels).toMatchObject({
      'catalyst.openova.io/org': 'acme',
      'catalyst.openova.io/environment': 'production',
      'app.kubernetes.io/managed-by': 'catalyst',
    });
    expect(namespace?.metadata.labels?.['catalyst.openova.io/tenant']).toMatch(/^[0-9a-f-]{36}$/);
    const quota = kube.object<{ spec: { hard: Record<string, string> } } & never>(
      'ResourceQuota',
      'acme-production',
      'catalyst-plan',
    );
    expect((quota as unknown as { spec: { hard: Record<string, string> } }).spec.hard).toMatchObject({
      'limits.cpu': '2',
      'limits.memory': '4Gi',
      pods: '20',
    });
    const policy = kube.object('NetworkPolicy', 'acme-production', 'catalyst-default-deny') as unknown as {
      spec: { podSelector: object; policyTypes: string[]; ingress: { from: object[] }[] };
    };
    expect(policy.spec.podSelector).toEqual({});
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress[0]?.from).toEqual([
      { podSelector: {} },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } },
    ]);
    const release = kube.get('acme-production', 'wordpress') as unknown as {
      spec: { releaseName: string; chart: { spec: { chart: string; version: string } }; values: unknown };
    };
    expect(release.spec.releaseName).toBe('wordpress');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'app-wordpress', version: '1.0.0' });
    expect(release.spec.values).toEqual({
      global: {
        catalyst: {
          host: 'wordpress.production.acme.omani.homes',
          ingressClassName: 'cilium',
          clusterIssuer: 'letsencrypt',
          org: 'acme',
          environment: 'production',
        },
      },
    });
    expect(kube.object('HelmRepository', 'acme-production', 'catalyst-apps')).toBeDefined();
    expect(await outbox('catalyst.app.running', created.id)).toBe(1);
  });

  it('refuses bad installs in the one error shape: unknown app 422, twice 409, another org 404, no wallet cover 422', async () => {
    const beta = await tenant('beta', 5_500);
    const unknown = await call(t, 'POST', '/api/v1/orgs/beta/environments/production/apps', beta.cookie, {
      appId: 'doom',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('unknown_app');
    await install(beta.cookie, 'beta', 'uptime-kuma');
    const twice = await call(t, 'POST', '/api/v1/orgs/beta/environments/production/apps', beta.cookie, {
      appId: 'uptime-kuma',
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('app_already_installed');
    const foreign = await call(t, 'POST', '/api/v1/orgs/acme/environments/production/apps', beta.cookie, {
      appId: 'ghost',
    });
    expect(foreign.statusCode).toBe(404);
    // 5,500 covers uptime-kuma (3,000) but not nextcloud (8,000) on top: refused before anything is written.
    const tooDear = await call(t, 'POST', '/api/v1/orgs/beta/environments/production/apps', beta.cookie, {
      appId: 'nextcloud',
    });
    expect(tooDear.statusCode).toBe(422);
    expect(tooDear.json().error.code).toBe('insufficient_credit');
  });

  it("a failing chart fails with Flux's message and costs nothing; retry runs it", async () => {
    const gamma = await tenant('gamma', 10_000);
    kube.failReleases({ namespace: 'gamma-production', name: 'ghost' }, 'chart pull error: unauthorized');
    const ghost = await install(gamma.cookie, 'gamma', 'ghost');
    await eventually(
      'ghost failed',
      async () => (await statusOf(gamma.cookie, 'gamma', ghost.id))?.status === 'failed',
    );
    expect((await statusOf(gamma.cookie, 'gamma', ghost.id))?.message).toContain(
      'chart pull error: unauthorized',
    );
    expect(await balance(gamma.cookie)).toBe(10_000);
    expect(await outbox('catalyst.app.failed', ghost.id)).toBe(1);

    const notFailed = await call(t, 'POST', `/api/v1/orgs/gamma/apps/${ghost.id}/retry`, gamma.cookie);
    expect(notFailed.statusCode).toBe(202);
    kube.clearFailures();
    await eventually(
      'ghost running after retry',
      async () => (await statusOf(gamma.cookie, 'gamma', ghost.id))?.status === 'running',
    );
    expect(await balance(gamma.cookie)).toBe(4_000);
    const again = await call(t, 'POST', `/api/v1/orgs/gamma/apps/${ghost.id}/retry`, gamma.cookie);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('app_not_failed');
  });

  it("uninstalls: uninstalling, then removed, with the release and the chart's kept Secrets gone", async () => {
    const delta = await tenant('delta', 10_000);
    const kuma = await install(delta.cookie, 'delta', 'uptime-kuma');
    await eventually(
      'running',
      async () => (await statusOf(delta.cookie, 'delta', kuma.id))?.status === 'running',
    );
    kube.applyObject(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'uptime-kuma-admin',
          namespace: 'delta-production',
          labels: { 'app.kubernetes.io/instance': 'uptime-kuma' },
        },
        stringData: { password: 'generated-in-cluster' },
      },
      'helm',
    );
    const res = await call(t, 'DELETE', `/api/v1/orgs/delta/apps/${kuma.id}`, delta.cookie);
    expect(res.statusCode).toBe(202);
    expect(res.json().status).toBe('uninstalling');
    await eventually('removed', async () => (await statusOf(delta.cookie, 'delta', kuma.id)) === undefined);
    expect(kube.get('delta-production', 'uptime-kuma')).toBeUndefined();
    expect(kube.object('Secret', 'delta-production', 'uptime-kuma-admin')).toBeUndefined();
    expect(await outbox('catalyst.app.removed', kuma.id)).toBe(1);
    // Installing it again is allowed once it is removed.
    await install(delta.cookie, 'delta', 'uptime-kuma');
  });

  it('a replayed install event creates nothing twice and charges nothing twice', async () => {
    const eps = await tenant('epsilon', 10_000);
    const app = await install(eps.cookie, 'epsilon', 'wordpress');
    await eventually(
      'running',
      async () => (await statusOf(eps.cookie, 'epsilon', app.id))?.status === 'running',
    );
    const createdBefore = kube.writes.filter(
      (w) => w.namespace === 'epsilon-production' && w.outcome === 'created',
    ).length;
    await db.query(
      `update event_outbox set dispatched_at = null where type = 'catalyst.app.install-requested' and payload->>'installId' = $1`,
      [app.id],
    );
    await eventually('replayed', async () => {
      const { rows } = await db.query(
        `select dispatched_at from event_outbox where type = 'catalyst.app.install-requested' and payload->>'installId' = $1`,
        [app.id],
      );
      return rows[0]?.dispatched_at !== null;
    });
    expect(
      kube.writes.filter((w) => w.namespace === 'epsilon-production' && w.outcome === 'created').length,
    ).toBe(createdBefore);
    expect(await outbox('catalyst.app.running', app.id)).toBe(1);
    expect(await balance(eps.cookie)).toBe(5_000);
  });

  it('suspends an app whose month the wallet cannot pay, mails the owner, and resumes it after a top-up', async () => {
    const zeta = await tenant('zeta', 7_000);
    const app = await install(zeta.cookie, 'zeta', 'wordpress');
    await eventually(
      'running',
      async () => (await statusOf(zeta.cookie, 'zeta', app.id))?.status === 'running',
    );
    expect(await balance(zeta.cookie)).toBe(2_000);
    await db.query(`update app_installs set paid_until = now() - interval '1 minute' where id = $1`, [
      app.id,
    ]);
    await t.app.get(AppBilling).renewDue();
    const suspended = await statusOf(zeta.cookie, 'zeta', app.id);
    expect(suspended?.status).toBe('suspended');
    expect(suspended?.message).toContain('wallet could not pay');
    await eventually('release suspended and scaled to zero', () => {
      const release = kube.get('zeta-production', 'wordpress') as unknown as { spec: { suspend?: boolean } };
      const deployment = kube.object('Deployment', 'zeta-production', 'wordpress') as unknown as {
        spec: { replicas: number };
      };
      return release.spec.suspend === true && deployment?.spec.replicas === 0;
    });
    const mail = await smtp.lastMailTo(`zeta-${customers}@customer.test`);
    expect(mail.raw).toContain('suspended');
    // The sweep again changes nothing: the month was not paid, and is not drawn twice.
    await t.app.get(AppBilling).renewDue();
    expect(await balance(zeta.cookie)).toBe(2_000);

    expect(
      (await call(t, 'POST', '/billing/vouchers/issue', admin, { code: 'ZETA-TOPUP', creditBaisa: 10_000 }))
        .statusCode,
    ).toBe(201);
    const topUp = await call(t, 'POST', '/billing/checkout', zeta.cookie, {
      planId: 'starter',
      promoCode: 'ZETA-TOPUP',
    });
    expect(topUp.statusCode, topUp.body).toBe(200);
    await eventually(
      'running again',
      async () => (await statusOf(zeta.cookie, 'zeta', app.id))?.status === 'running',
    );
    expect(await balance(zeta.cookie)).toBe(7_000);
    const release = kube.get('zeta-production', 'wordpress') as unknown as { spec: { suspend?: boolean } };
    expect(release.spec.suspend).toBe(false);
    const deployment = kube.object('Deployment', 'zeta-production', 'wordpress') as unknown as {
      spec: { replicas: number };
    };
    expect(deployment.spec.replicas).toBe(1);
  });

  it('deleting an environment removes its apps, then its namespace', async () => {
    const eta = await tenant('eta', 10_000);
    const app = await install(eta.cookie, 'eta', 'uptime-kuma');
    await eventually(
      'running',
      async () => (await statusOf(eta.cookie, 'eta', app.id))?.status === 'running',
    );
    const res = await call(t, 'DELETE', '/api/v1/orgs/eta/environments/production', eta.cookie);
    expect(res.statusCode).toBe(204);
    await eventually(
      'namespace gone',
      () => kube.object('Namespace', undefined, 'eta-production') === undefined,
    );
    // Not listed from the moment it is asked for; its row goes once its apps and namespace are gone.
    const list = await call(t, 'GET', '/api/v1/orgs/eta/environments', eta.cookie);
    expect(list.json().environments).toEqual([]);
    await eventually('environment row gone', async () => {
      const { rows } = await db.query(
        `select 1 from environments e join organizations o on o.id = e.org_id where o.slug = 'eta'`,
      );
      return rows.length === 0;
    });
    expect(await outbox('catalyst.app.removed', app.id)).toBe(1);
  });

  it('finishes an install once across a restart of the api in the middle of it', async () => {
    const theta = await tenant('theta', 10_000);
    kube.startHelmController({ delayMs: 1_500 });
    const app = await install(theta.cookie, 'theta', 'uptime-kuma');
    await eventually('release applied', () => kube.get('theta-production', 'uptime-kuma') !== undefined);
    await t.close();
    // helm-controller goes on meanwhile (it is the cluster's): the new api finds the release however far it got.
    t = await startTestApp({ env: env(), databaseUrl: database.url });
    await eventually(
      'running after the restart',
      async () => (await statusOf(theta.cookie, 'theta', app.id))?.status === 'running',
    );
    expect(await outbox('catalyst.app.running', app.id)).toBe(1);
    expect(await balance(theta.cookie)).toBe(7_000);
  });
});

describe('without a cluster', () => {
  it('refuses an install with 503 cluster_unavailable and writes nothing', async () => {
    const other = await startTestApp({
      env: { SMTP_URL: smtpUrl, CATALYST_ADMIN_EMAILS: ADMIN, CATALYST_TENANT_POOL_DOMAINS: POOL },
      databaseUrl: database.url,
    });
    try {
      const acme = await signIn(other.app, smtp, `acme-1@customer.test`);
      const res = await call(other, 'POST', '/api/v1/orgs/acme/environments/production/apps', acme, {
        appId: 'ghost',
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toMatchObject({ code: 'cluster_unavailable' });
      expect(res.json().error.message).toContain('KUBECONFIG');
      expect((await apps(acme, 'acme', other)).map((a) => a.appId)).toEqual(['wordpress']);
    } finally {
      await other.close();
    }
  });
});
