import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sovereignComponentListSchema } from '@catalyst/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServerEmulator } from '../../test/fixtures/kube/kube-apiserver.emulator.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';

/*
 * Issue #15, "its own components and jobs": a Sovereign's console reads its components from the
 * HelmReleases of the cluster it runs on (the kube-apiserver emulator, reached through KUBECONFIG),
 * never from a deployment record, and leaves tenants' apps out.
 */

const ADMIN = 'admin@sovereign.test';
const TENANT = 'tenant@customer.test';
const KIT = 'flux-system';

let kube: KubeApiServerEmulator;
let smtp: SmtpPeer;
let dir: string;
let sovereign: TestApp;
let detached: TestApp;
let mothership: TestApp;
const cookies = new Map<TestApp, { admin: string; tenant: string }>();

type Method = 'GET' | 'POST';
async function call(t: TestApp, method: Method, url: string, as: 'admin' | 'tenant' | 'nobody' = 'admin') {
  const cookie = as === 'nobody' ? undefined : cookies.get(t)?.[as];
  return t.app.inject({ method, url, headers: cookie ? { cookie } : {} });
}

/** A kit release as clusters/_template/bootstrap-kit declares it (chart `bp-<id>` at `version`). */
function kitRelease(id: string, version: string) {
  return kube.upsert(KIT, `bp-${id}`, {
    spec: {
      interval: '15m',
      chart: {
        spec: { chart: `bp-${id}`, version, sourceRef: { kind: 'HelmRepository', name: 'catalyst-charts' } },
      },
    },
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'catalyst-sovereign-components-'));
  kube = new KubeApiServerEmulator({ tls: true });
  await kube.start();
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kube.kubeconfig());
  smtp = new SmtpPeer();
  const SMTP_URL = await smtp.start();
  const env = { SMTP_URL, CATALYST_ADMIN_EMAILS: ADMIN };
  [sovereign, detached, mothership] = await Promise.all([
    startTestApp({ env: { ...env, CATALYST_MODE: 'sovereign', KUBECONFIG: kubeconfig } }),
    startTestApp({ env: { ...env, CATALYST_MODE: 'sovereign' } }),
    startTestApp({ env: { ...env, KUBECONFIG: kubeconfig } }),
  ]);
  for (const t of [sovereign, detached, mothership]) {
    cookies.set(t, { admin: await signIn(t.app, smtp, ADMIN), tenant: await signIn(t.app, smtp, TENANT) });
  }

  // The kit, as helm-controller left it.
  kitRelease('cilium', '1.16.5');
  kube.ready(KIT, 'bp-cilium');
  kube.upsert(KIT, 'bp-cilium', {
    status: {
      lastAttemptedRevision: '1.16.5',
      history: [{ chartName: 'bp-cilium', chartVersion: '1.16.5', appVersion: '1.16.5' }],
    },
  });
  kitRelease('gitea', '10.6.0');
  kube.failed(KIT, 'bp-gitea', 'UpgradeFailed', 'Helm upgrade failed for release gitea: timed out');
  kitRelease('keycloak', '24.0.1');
  kube.stalled(KIT, 'bp-keycloak', 'Failed to install after 3 attempt(s)');
  kitRelease('harbor', '1.15.0');
  kube.progressing(KIT, 'bp-harbor', 'Running install');
  kitRelease('openbao', '0.8.0'); // not picked up by helm-controller yet: no conditions
  // A release of its own outside the kit's namespace (no bp- prefix).
  kube.upsert('catalyst', 'catalyst-platform', {
    spec: { chart: { spec: { chart: 'catalyst', version: '0.3.1' } } },
  });
  kube.ready('catalyst', 'catalyst-platform');
  // A tenant's app: not one of the Sovereign's components.
  kube.upsert('acme-production', 'wordpress', {
    metadata: {
      labels: {
        'app.kubernetes.io/managed-by': 'catalyst',
        'catalyst.openova.io/install': randomUUID(),
      },
    },
    spec: { chart: { spec: { chart: 'app-wordpress', version: '6.4.0' } } },
  });
  kube.ready('acme-production', 'wordpress');
});

afterAll(async () => {
  await Promise.all([sovereign?.close(), detached?.close(), mothership?.close()]);
  await smtp?.stop();
  await kube?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function components() {
  const res = await call(sovereign, 'GET', '/api/v1/sovereign/components');
  expect(res.statusCode, res.body).toBe(200);
  return sovereignComponentListSchema.parse(res.json()).components;
}

const readyTime = (namespace: string, name: string) =>
  kube.get(namespace, name)?.status.conditions.find((c) => c.type === 'Ready')?.lastTransitionTime;

describe('GET /api/v1/sovereign/components', () => {
  it('lists the cluster’s own HelmReleases with their states, charts and last reconcile, and no tenant app', async () => {
    const listed = await components();
    expect(listed.map((c) => `${c.namespace}/${c.name}`)).toEqual([
      'catalyst/catalyst-platform',
      'flux-system/bp-cilium',
      'flux-system/bp-gitea',
      'flux-system/bp-harbor',
      'flux-system/bp-keycloak',
      'flux-system/bp-openbao',
    ]);
    const byId = new Map(listed.map((c) => [c.id, c]));
    expect(byId.get('cilium')).toEqual({
      id: 'cilium',
      namespace: KIT,
      name: 'bp-cilium',
      state: 'installed',
      message: 'Helm install succeeded for release flux-system/bp-cilium',
      reason: 'InstallSucceeded',
      chart: 'bp-cilium',
      version: '1.16.5',
      updatedAt: new Date(readyTime(KIT, 'bp-cilium') as string).toISOString(),
    });
    expect(byId.get('gitea')).toMatchObject({
      state: 'failed',
      reason: 'UpgradeFailed',
      message: 'Helm upgrade failed for release gitea: timed out',
      chart: 'bp-gitea',
      version: '10.6.0',
    });
    expect(byId.get('keycloak')).toMatchObject({
      state: 'failed',
      message: 'Failed to install after 3 attempt(s)',
    });
    expect(byId.get('harbor')).toMatchObject({ state: 'installing', message: 'Running install' });
    expect(byId.get('openbao')).toMatchObject({ state: 'pending', version: '0.8.0' });
    expect(byId.get('openbao')?.updatedAt).toBeUndefined();
    expect(byId.get('catalyst-platform')).toMatchObject({
      namespace: 'catalyst',
      state: 'installed',
      chart: 'catalyst',
    });
    expect(listed.some((c) => c.name === 'wordpress')).toBe(false);
    // The cluster is asked for the Sovereign's own releases only: tenants' apps never leave it.
    const lists = kube.requests.filter(
      (r) =>
        r.method === 'GET' &&
        r.path === '/apis/helm.toolkit.fluxcd.io/v2/helmreleases' &&
        !r.query.has('watch'),
    );
    expect(lists.map((r) => r.query.get('labelSelector'))).toContain('!catalyst.openova.io/install');
  });

  it('refuses a tenant with 403 and a caller without a session with 401', async () => {
    expect((await call(sovereign, 'GET', '/api/v1/sovereign/components', 'tenant')).statusCode).toBe(403);
    expect((await call(sovereign, 'GET', '/api/v1/sovereign/components', 'nobody')).statusCode).toBe(401);
  });

  it('answers 404 not_a_sovereign on a mothership, even one with a cluster', async () => {
    const res = await call(mothership, 'GET', '/api/v1/sovereign/components');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_a_sovereign');
  });

  it('answers 503 cluster_unavailable on a Sovereign that reaches no cluster', async () => {
    const res = await call(detached, 'GET', '/api/v1/sovereign/components');
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('cluster_unavailable');
  });
});

describe('POST /api/v1/sovereign/components/:namespace/:name/retry', () => {
  it('asks Flux to reconcile a stalled release again, with a reset, and shows it as installing', async () => {
    const res = await call(sovereign, 'POST', `/api/v1/sovereign/components/${KIT}/bp-keycloak/retry`);
    expect(res.statusCode, res.body).toBe(202);
    const annotations = kube.get(KIT, 'bp-keycloak')?.metadata.annotations ?? {};
    const requestedAt = annotations['reconcile.fluxcd.io/requestedAt'];
    expect(requestedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(annotations['reconcile.fluxcd.io/forceAt']).toBe(requestedAt);
    expect(annotations['reconcile.fluxcd.io/resetAt']).toBe(requestedAt);
    const keycloak = (await components()).find((c) => c.id === 'keycloak');
    expect(keycloak).toMatchObject({
      state: 'installing',
      message: 'Reconcile requested; waiting for helm-controller',
    });
  });

  it('retries a failed release that is not stalled without a reset', async () => {
    const res = await call(sovereign, 'POST', `/api/v1/sovereign/components/${KIT}/bp-gitea/retry`);
    expect(res.statusCode).toBe(202);
    const annotations = kube.get(KIT, 'bp-gitea')?.metadata.annotations ?? {};
    expect(annotations['reconcile.fluxcd.io/requestedAt']).toBeTypeOf('string');
    expect(annotations['reconcile.fluxcd.io/forceAt']).toBe(annotations['reconcile.fluxcd.io/requestedAt']);
    expect(annotations['reconcile.fluxcd.io/resetAt']).toBeUndefined();
  });

  it('answers 404 for a release that is not there, and for a tenant’s app, touching neither', async () => {
    const missing = await call(sovereign, 'POST', `/api/v1/sovereign/components/${KIT}/bp-nothing/retry`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('component_not_found');
    const before = kube.get('acme-production', 'wordpress')?.metadata.resourceVersion;
    const app = await call(sovereign, 'POST', '/api/v1/sovereign/components/acme-production/wordpress/retry');
    expect(app.statusCode).toBe(404);
    expect(app.json().error.code).toBe('component_not_found');
    const after = kube.get('acme-production', 'wordpress');
    expect(after?.metadata.resourceVersion).toBe(before);
    expect(after?.metadata.annotations['reconcile.fluxcd.io/requestedAt']).toBeUndefined();
  });

  it('refuses a name that is not a Kubernetes name with 400', async () => {
    const res = await call(sovereign, 'POST', `/api/v1/sovereign/components/${KIT}/Bad_Name/retry`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
  });

  it('refuses a tenant (403), a mothership (404) and a Sovereign without a cluster (503)', async () => {
    const url = `/api/v1/sovereign/components/${KIT}/bp-cilium/retry`;
    const before = kube.get(KIT, 'bp-cilium')?.metadata.resourceVersion;
    expect((await call(sovereign, 'POST', url, 'tenant')).statusCode).toBe(403);
    const onMothership = await call(mothership, 'POST', url);
    expect(onMothership.statusCode).toBe(404);
    expect(onMothership.json().error.code).toBe('not_a_sovereign');
    const detachedRes = await call(detached, 'POST', url);
    expect(detachedRes.statusCode).toBe(503);
    expect(detachedRes.json().error.code).toBe('cluster_unavailable');
    expect(kube.get(KIT, 'bp-cilium')?.metadata.resourceVersion).toBe(before);
  });
});
