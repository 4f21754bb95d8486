import {
  bootstrapKitReleases,
  defaultSelection,
  expectedKitReleases,
  installSet,
  BOOTSTRAP_KIT_NAMESPACE as NS,
} from '@catalyst/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServerEmulator } from '../../test/fixtures/kube/kube-apiserver.emulator.js';
import { PDNS_TEST_API_KEY, PowerDnsServer } from '../../test/fixtures/powerdns/powerdns-server.js';
import { eventually } from '../../test/helpers/eventually.js';
import { startHetzner } from '../../test/helpers/hetzner.js';
import { provisionRequest } from '../../test/helpers/provision-request.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { fixtureTofuBin } from '../../test/helpers/tofu-bin.js';
import { SECRET_KEYS, type SecretKeys } from '../crypto/keys.js';
import { freePort } from '../database/embedded-postgres.js';
import { DeploymentsRepository } from '../deployments/deployments.repository.js';
import { DeploymentsService } from '../deployments/deployments.service.js';
import { RunScheduler } from '../deployments/run.scheduler.js';
import { kubeconfigTokenOf } from '../deployments/run-secrets.js';

const user = {
  userId: null as never,
  email: 'ops@catalyst.test',
  roles: ['superadmin' as const],
  sessionId: 'test',
};
const KIT = expectedKitReleases(['harbor', 'trivy']);
let pdns: PowerDnsServer;
let tofu: ReturnType<typeof fixtureTofuBin>;
let hetzner: Awaited<ReturnType<typeof startHetzner>>;
let smtp: SmtpPeer;
let t: TestApp;
let quick: TestApp;
let cookie: string;
/** Every test's kube-apiserver listens here: the port the apis accept in a Sovereign's kubeconfig. */
let kubePort: number;

function appEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PDNS_API_URL: pdns.apiUrl,
    PDNS_API_KEY: PDNS_TEST_API_KEY,
    CATALYST_NAMESERVERS: 'ns1.catalyst.test,ns2.catalyst.test',
    CATALYST_TOFU_BIN: tofu.bin,
    HCLOUD_ENDPOINT: hetzner.baseUrl,
    CATALYST_MAX_RUNS_PER_PROJECT: '10',
    CATALYST_KUBE_API_PORT: String(kubePort),
    ...extra,
  };
}

/** Provisions through every phase up to the kit watch, with `kube` as the new cluster's API. */
async function provisionToKit(
  app: TestApp,
  kube: KubeApiServerEmulator,
  subdomain: string,
  components?: string[],
): Promise<string> {
  const service = app.app.get(DeploymentsService);
  const request = provisionRequest({
    domain: { mode: 'pool', poolDomain: 'omani.works', subdomain },
    ...(components ? { components } : {}),
  });
  const { id } = await service.create(request, user);
  await app.app.get(RunScheduler).tick();
  const phase = async (name: string) => (await service.get(id)).phases.find((p) => p.name === name)?.status;
  await eventually(
    `${subdomain}: flux-bootstrap waits`,
    async () => (await phase('flux-bootstrap')) === 'running',
  );
  const token = kubeconfigTokenOf(app.app.get<SecretKeys>(SECRET_KEYS), id, 'fsn1');
  await service.acceptKubeconfig(id, token, kube.kubeconfig());
  await eventually(
    `${subdomain}: the kit watch runs`,
    async () => (await phase('bootstrap-kit')) === 'running',
  );
  return id;
}

async function componentEvents(app: TestApp, id: string) {
  const rows = await app.app.get(DeploymentsRepository).eventsAfter(id, 0, 10_000);
  return rows
    .filter((r) => r.type === 'component')
    .map((r) => r.payload as { component: string; state: string; message?: string });
}

/** Every component's events change something: the same state and message twice in a row is a duplicate. */
function expectNoRepeats(events: { component: string; state: string; message?: string }[]) {
  const last = new Map<string, string>();
  for (const event of events) {
    const key = `${event.state}|${event.message ?? ''}`;
    expect(last.get(event.component), `${event.component} repeated ${key}`).not.toBe(key);
    last.set(event.component, key);
  }
}

async function statusOf(app: TestApp, id: string) {
  return app.app.get(DeploymentsService).get(id);
}

beforeAll(async () => {
  pdns = new PowerDnsServer();
  await pdns.start();
  kubePort = await freePort();
  // The Sovereigns' addresses are 127.0.0.1, where each test's emulator listens (https, on kubePort).
  tofu = fixtureTofuBin({ publicIpv4: '127.0.0.1' });
  hetzner = await startHetzner();
  smtp = new SmtpPeer();
  t = await startTestApp({
    env: appEnv({
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: 'ops@catalyst.test',
      CATALYST_TOFU_WORKDIR: `${tofu.dir}/main`,
    }),
  });
  cookie = await signIn(t.app, smtp, 'ops@catalyst.test');
  // A second api on its own database, with short watch timeouts.
  quick = await startTestApp({
    env: appEnv({
      CATALYST_TOFU_WORKDIR: `${tofu.dir}/quick`,
      CATALYST_PHASE1_FIRST_SEEN_TIMEOUT: '2s',
      CATALYST_PHASE1_WATCH_TIMEOUT: '4s',
    }),
  });
});
afterAll(async () => {
  await quick.close();
  await t.close();
  await smtp.stop();
  await pdns.stop();
  await hetzner.stop();
});

describe('the bootstrap-kit phase', { timeout: 120_000 }, () => {
  it('follows a kit converging to ready through bookmarks, an expired version and dropped connections', async () => {
    const kube = new KubeApiServerEmulator({ bookmarkIntervalMs: 200, tls: true, port: kubePort });
    await kube.start();
    try {
      for (const id of KIT) kube.upsert(NS, `bp-${id}`, {});
      kube.upsert(NS, 'unrelated-release', {});
      const id = await provisionToKit(t, kube, 'converge');
      // The watch has listed the releases as they are (pending) before helm-controller starts on them.
      await eventually('every component seen pending', async () => {
        const pending = (await componentEvents(t, id)).filter((e) => e.state === 'pending');
        return KIT.every((component) => pending.some((e) => e.component === component));
      });
      for (const component of KIT) kube.progressing(NS, `bp-${component}`);
      await eventually('every component installing', async () =>
        (await statusOf(t, id)).components.every((c) => c.state === 'installing'),
      );
      // The connection drops, changes happen meanwhile and the server forgets that history: the
      // watcher's next watch gets 410 Gone and must re-list to see them.
      kube.dropWatches();
      for (const component of KIT.slice(0, 5)) kube.ready(NS, `bp-${component}`);
      kube.compact();
      await eventually(
        'five components installed',
        async () => (await statusOf(t, id)).components.filter((c) => c.state === 'installed').length === 5,
      );
      for (const [i, component] of KIT.slice(5).entries()) {
        kube.ready(NS, `bp-${component}`);
        if (i === 2) kube.dropWatches();
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      await eventually(
        'the deployment to be ready',
        async () => (await statusOf(t, id)).status === 'ready',
        30_000,
      );
      const snapshot = await statusOf(t, id);
      expect(snapshot.components.map((c) => c.id)).toEqual(KIT);
      expect(snapshot.components.every((c) => c.state === 'installed')).toBe(true);
      expect(snapshot.phases.slice(-2).map((p) => `${p.name}:${p.status}`)).toEqual([
        'bootstrap-kit:succeeded',
        'handover:succeeded',
      ]);
      const events = await componentEvents(t, id);
      expectNoRepeats(events);
      expect(events.some((e) => e.component === 'unrelated-release')).toBe(false);
      for (const component of KIT) {
        expect(events.filter((e) => e.component === component).map((e) => e.state)).toEqual([
          'pending',
          'installing',
          'installed',
        ]);
      }
      const lists = kube.requests.filter((r) => r.method === 'GET' && !/watch=(true|1)/.test(r.url));
      expect(lists.length).toBeGreaterThanOrEqual(2);
    } finally {
      await kube.stop();
    }
  });

  it('fails on a stalled release, names it, and a retry through the api (no kubectl) brings it to ready', async () => {
    const kube = new KubeApiServerEmulator({ tls: true, port: kubePort });
    await kube.start();
    try {
      for (const component of KIT) kube.upsert(NS, `bp-${component}`, {});
      const id = await provisionToKit(t, kube, 'fixme');
      for (const component of KIT) {
        if (component === 'gitea')
          kube.stalled(
            NS,
            'bp-gitea',
            'Failed to install after 3 attempt(s): timed out waiting for the condition',
          );
        else kube.ready(NS, `bp-${component}`);
      }
      await eventually('the run to fail', async () => (await statusOf(t, id)).status === 'failed', 30_000);
      const failed = await statusOf(t, id);
      expect(failed.error).toContain('gitea');
      expect(failed.error).toContain('timed out waiting for the condition');
      expect(failed.components.find((c) => c.id === 'gitea')).toMatchObject({ state: 'failed' });

      // helm-controller: a requested reconcile of gitea succeeds this time.
      kube.onPatch((patch, emulator) => {
        if (patch.name === 'bp-gitea') setTimeout(() => emulator.ready(NS, 'bp-gitea'), 100);
      });
      const retry = await t.app.inject({
        method: 'POST',
        url: `/api/v1/deployments/${id}/phases/bp-gitea/retry`,
        headers: { cookie },
        payload: {},
      });
      expect(retry.statusCode).toBe(200);
      const patch = kube.lastPatch(NS, 'bp-gitea')?.patch as {
        metadata?: { annotations?: Record<string, string> };
      };
      const annotations = patch?.metadata?.annotations ?? {};
      expect(Object.keys(annotations).sort()).toEqual([
        'reconcile.fluxcd.io/forceAt',
        'reconcile.fluxcd.io/requestedAt',
        'reconcile.fluxcd.io/resetAt',
      ]);
      await eventually('the run to finish', async () => (await statusOf(t, id)).status === 'ready', 30_000);
      const gitea = (await componentEvents(t, id)).filter((e) => e.component === 'gitea').map((e) => e.state);
      expect(gitea.at(-1)).toBe('installed');
      expect(gitea).toContain('failed');

      const unknown = await t.app.inject({
        method: 'POST',
        url: `/api/v1/deployments/${id}/phases/keycloak/retry`,
        headers: { cookie },
        payload: {},
      });
      expect(unknown.statusCode).toBe(400);
      const rows = await t.app.inject({
        method: 'GET',
        url: `/api/v1/deployments/${id}/components`,
        headers: { cookie },
      });
      expect(rows.json().components).toHaveLength(KIT.length);
    } finally {
      await kube.stop();
    }
  });

  it('watches exactly the picked set: the default selection to every release installed, a minimal one to the base kit', async () => {
    const kube = new KubeApiServerEmulator({ tls: true, port: kubePort });
    await kube.start();
    try {
      // Every release of the kit exists and is Ready; each run follows only its own set.
      for (const { id } of bootstrapKitReleases) {
        kube.upsert(NS, `bp-${id}`, {});
        kube.ready(NS, `bp-${id}`);
      }
      for (const [subdomain, selection] of [
        ['everything', installSet(defaultSelection())],
        ['minimal', []],
      ] as const) {
        const id = await provisionToKit(t, kube, subdomain, [...selection]);
        await eventually(
          `${subdomain}: ready`,
          async () => (await statusOf(t, id)).status === 'ready',
          30_000,
        );
        const { components } = await statusOf(t, id);
        expect(components.map((c) => c.id).sort(), subdomain).toEqual(
          expectedKitReleases(installSet(selection)).sort(),
        );
        expect(
          components.every((c) => c.state === 'installed'),
          subdomain,
        ).toBe(true);
      }
      expect(expectedKitReleases(installSet([]))).toHaveLength(
        bootstrapKitReleases.filter((r) => !r.optional).length,
      );
    } finally {
      await kube.stop();
    }
  });

  it('fails with a pointer to the GitRepository and Kustomization when no HelmRelease ever appears', async () => {
    const kube = new KubeApiServerEmulator({ tls: true, port: kubePort });
    await kube.start();
    try {
      const id = await provisionToKit(quick, kube, 'nothing');
      await eventually(
        'the run to fail',
        async () => (await statusOf(quick, id)).status === 'failed',
        20_000,
      );
      const kit = (await statusOf(quick, id)).phases.find((p) => p.name === 'bootstrap-kit');
      expect(kit?.status).toBe('failed');
      expect(kit?.error).toContain('No bootstrap-kit HelmRelease appeared');
      expect(kit?.error).toContain('GitRepository');
    } finally {
      await kube.stop();
    }
  });

  it('gives up after the overall timeout and says where each unfinished component stands', async () => {
    const kube = new KubeApiServerEmulator({ tls: true, port: kubePort });
    await kube.start();
    try {
      for (const component of KIT) kube.upsert(NS, `bp-${component}`, {});
      const id = await provisionToKit(quick, kube, 'slowpoke');
      for (const component of KIT) {
        if (component === 'gitea') kube.progressing(NS, 'bp-gitea');
        else if (component === 'powerdns') kube.retrying(NS, 'bp-powerdns');
        else kube.ready(NS, `bp-${component}`);
      }
      await eventually(
        'the run to fail',
        async () => (await statusOf(quick, id)).status === 'failed',
        20_000,
      );
      const snapshot = await statusOf(quick, id);
      const kit = snapshot.phases.find((p) => p.name === 'bootstrap-kit');
      expect(kit?.error).toContain('did not converge');
      expect(kit?.error).toContain('gitea installing');
      expect(kit?.error).toContain('powerdns degraded');
      expect(kit?.error).not.toContain('cilium');
      expect(snapshot.components.find((c) => c.id === 'cilium')?.state).toBe('installed');
    } finally {
      await kube.stop();
    }
  });
});
