import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedKitReleases } from '@catalyst/contracts';
import { dump, load } from 'js-yaml';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServerEmulator } from '../../test/fixtures/kube/kube-apiserver.emulator.js';
import { PDNS_TEST_API_KEY } from '../../test/fixtures/powerdns/powerdns-server.js';
import { EmulatorServer, sendJson } from '../../test/fixtures/registrars/emulator-server.js';
import { readInvocations, writeTofuControl } from '../../test/fixtures/tofu/tofu-fixture.js';
import { eventually } from '../../test/helpers/eventually.js';
import { convergedKit } from '../../test/helpers/kit.js';
import { FAKE_HETZNER_TOKEN, provisionRequest } from '../../test/helpers/provision-request.js';
import { type ProvisioningStack, startProvisioningStack } from '../../test/helpers/provisioning-stack.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { answeringConsoleUrl } from '../../test/helpers/sovereign-console.js';
import { SseClient } from '../../test/helpers/sse-client.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { SECRET_KEYS, type SecretKeys } from '../crypto/keys.js';
import { Sealer } from '../crypto/sealer.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { DeploymentsService } from './deployments.service.js';
import { RunScheduler } from './run.scheduler.js';
import { kubeconfigTokenOf } from './run-secrets.js';

let stack: ProvisioningStack;
let pdns: ProvisioningStack['pdns'];
let kube: KubeApiServerEmulator;
let KUBECONFIG: string;
let t: TestApp;
let base: string;
let tofu: ProvisioningStack['tofu'];
let db: pg.Client;

/** The emulator's kubeconfig as parsed: one cluster and one user, which the tests tamper with. */
interface KubeconfigDoc {
  clusters: [{ name: string; cluster: Record<string, unknown> }];
  users: [{ name: string; user: Record<string, unknown> }];
}

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  stack.api(method, path, body, headers);
const stream = (id: string, lastEventId?: number) => stack.stream(id, lastEventId);

/** The post-back bearer of a deployment's region (its first, fsn1, unless named). */
function kubeconfigToken(id: string, region = 'fsn1'): string {
  return kubeconfigTokenOf(t.app.get<SecretKeys>(SECRET_KEYS), id, region);
}

async function postKubeconfig(id: string, token = kubeconfigToken(id), body = KUBECONFIG) {
  return fetch(`${base}/api/v1/deployments/${id}/kubeconfig`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' },
    body,
  });
}

function phaseEvents(client: SseClient) {
  return client.events.filter((e) => e.event === 'phase').map((e) => `${e.data.phase}:${e.data.status}`);
}

beforeAll(async () => {
  // The new Sovereign's API: its bootstrap kit has converged, so runs go through to handover.
  kube = new KubeApiServerEmulator({ tls: true });
  await kube.start();
  convergedKit(kube);
  KUBECONFIG = kube.kubeconfig();
  // The fixture's servers and load balancer are on 127.0.0.1, and the api expects the kube-apiserver
  // on the emulator's port: the emulator's kubeconfig is then that of this Sovereign.
  stack = await startProvisioningStack({
    publicIpv4: '127.0.0.1',
    env: {
      CATALYST_CANCEL_GRACE: '5s',
      CATALYST_RUN_LEASE_TTL: '3s',
      CATALYST_MAX_RUNS_PER_PROJECT: '5',
      CATALYST_KUBE_API_PORT: String(kube.port),
    },
  });
  ({ pdns, t, base, tofu, db } = stack);
});
afterAll(async () => {
  await stack.close();
  await kube.stop();
});

describe('a provisioning run', () => {
  let id: string;

  it('goes through every phase, streams every resource, publishes DNS and becomes ready on the kubeconfig post-back', async () => {
    writeTofuControl(tofu.controlPath, { resourceDelayMs: 5 });
    const created = await api('POST', '/api/v1/deployments', provisionRequest());
    expect(created.status).toBe(201);
    const body = created.json();
    id = body.id;
    expect(body).toEqual({
      id,
      status: 'queued',
      fqdn: 'omantel.omani.works',
      streamURL: `/api/v1/deployments/${id}/logs`,
    });
    expect(created.text).not.toContain(FAKE_HETZNER_TOKEN);

    const client = await stream(id);
    expect(client.status).toBe(200);
    expect(client.headers?.get('content-type')).toContain('text/event-stream');
    expect(client.headers?.get('cache-control')).toContain('no-cache');
    expect(client.headers?.get('x-accel-buffering')).toBe('no');
    await client.waitFor(
      (e) => e.event === 'log' && String(e.data.line).includes('Waiting for the new control plane'),
    );

    const posted = await postKubeconfig(id);
    expect(posted.status).toBe(204);
    await client.waitFor((e) => e.event === 'deployment' && e.data.status === 'ready');
    await client.waitForEnd();

    expect(phaseEvents(client)).toEqual(
      [
        'preflight',
        'tofu-init',
        'tofu-plan',
        'tofu-apply',
        'tofu-output',
        'dns',
        'flux-bootstrap',
        'bootstrap-kit',
        'handover',
      ].flatMap((p) => [`${p}:running`, `${p}:succeeded`]),
    );
    const ids = client.events.map((e) => e.id as number);
    expect(ids).toEqual(ids.map((_, i) => (ids[0] as number) + i));
    const resources = client.events.filter((e) => e.event === 'resource');
    const completed = resources.filter((e) => e.data.status === 'complete').map((e) => e.data.address);
    expect(completed).toEqual(
      expect.arrayContaining(['hcloud_network.main["fsn1"]', 'hcloud_load_balancer.main["fsn1"]']),
    );
    // Every resource of the region says so; the shared SSH key belongs to no region.
    for (const e of resources) {
      expect(e.data.region, String(e.data.address)).toBe(
        String(e.data.address).startsWith('hcloud_ssh_key.') ? undefined : 'fsn1',
      );
    }
    expect(completed.filter((a) => String(a).startsWith('hcloud_server.control_plane'))).toHaveLength(1);
    expect(completed.filter((a) => String(a).startsWith('hcloud_server.worker'))).toHaveLength(1);
    expect(resources.some((e) => e.data.status === 'planned')).toBe(true);
    expect(resources.find((e) => e.data.status === 'complete')?.data.elapsedMs).toBeTypeOf('number');

    const snapshot = (await api('GET', `/api/v1/deployments/${id}`)).json();
    expect(snapshot.status).toBe('ready');
    expect(
      snapshot.phases.every(
        (p: { status: string; startedAt?: string; finishedAt?: string }) =>
          p.status === 'succeeded' && p.startedAt && p.finishedAt,
      ),
    ).toBe(true);
    // The console the handover phase found answering (CATALYST_SOVEREIGN_CONSOLE_URL; https://console.<fqdn> by default).
    expect(snapshot.result.consoleURL).toBe(await answeringConsoleUrl());
    // Components are the kit's releases for this install set (no keycloak: it was not selected), all installed.
    expect(snapshot.components.map((c: { id: string }) => c.id)).toEqual(
      expectedKitReleases(['harbor', 'trivy']),
    );
    expect(snapshot.components.every((c: { state: string }) => c.state === 'installed')).toBe(true);
    // One region: its row has every phase done and the load balancer the zone points at.
    expect(snapshot.regions).toEqual([
      {
        region: 'fsn1',
        provider: 'hetzner',
        phases: ['infrastructure', 'kubeconfig', 'bootstrap-kit'].map((name) => ({
          name,
          status: 'succeeded',
        })),
        controlPlaneIP: '127.0.0.1',
        loadBalancerIP: snapshot.result.loadBalancerIP,
      },
    ]);
    const componentEvents = client.events.filter((e) => e.event === 'component');
    expect(componentEvents.map((e) => e.data.component).sort()).toEqual(
      expectedKitReleases(['harbor', 'trivy']).sort(),
    );
    expect(pdns.dig('console.omantel.omani.works', 'A', '+short')).toEqual([snapshot.result.loadBalancerIP]);

    // The kubeconfig is sealed at rest and the one-time token is spent.
    const { rows } = await db.query(
      `select r.sealed_kubeconfig, r.kubeconfig_token_hash, d.sealed_hetzner_token
         from deployments d join deployment_regions r on r.deployment_id = d.id where d.id = $1`,
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].sealed_kubeconfig).not.toContain(kube.token);
    expect(rows[0].kubeconfig_token_hash).toBeNull();
    expect(rows[0].sealed_hetzner_token).toBeNull();
    const again = await postKubeconfig(id);
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('kubeconfig_already_posted');
    const download = await api('GET', `/api/v1/deployments/${id}/kubeconfig`);
    expect(download.status).toBe(200);
    expect(load(download.text)).toEqual(load(KUBECONFIG));
    const audit = await db.query(`select action from audit_log where target = $1`, [`deployment:${id}`]);
    expect(audit.rows.map((r) => r.action)).toEqual(['kubeconfig.download']);
  });

  it('replays exactly the events after Last-Event-ID, then ends', async () => {
    const full = await stream(id);
    await full.waitForEnd();
    const middle = full.events[Math.floor(full.events.length / 2)]?.id as number;
    const resumed = await stream(id, middle);
    await resumed.waitForEnd();
    expect(resumed.events.map((e) => e.id)).toEqual(
      full.events.filter((e) => (e.id as number) > middle).map((e) => e.id),
    );
    expect(resumed.events.at(-1)?.event).toBe('deployment');
  });

  it('refuses a second live deployment of the same name, and a delete while cloud resources exist', async () => {
    const again = await api('POST', '/api/v1/deployments', provisionRequest());
    expect(again.status).toBe(409);
    expect(again.json().error.code).toBe('fqdn_in_use');
    const remove = await api('DELETE', `/api/v1/deployments/${id}`);
    expect(remove.status).toBe(409);
    expect(remove.json().error.code).toBe('wipe_first');
  });

  it('wipes: destroys the resources, releases the name and forgets the state; then the record can be deleted', async () => {
    const wipe = await api('POST', `/api/v1/deployments/${id}/wipe`, { hetznerToken: FAKE_HETZNER_TOKEN });
    expect(wipe.status).toBe(202);
    expect(wipe.json().status).toBe('wiping');
    const client = await stream(id);
    await client.waitFor((e) => e.event === 'deployment' && e.data.status === 'wiped');
    const destroyed = client.events.filter(
      (e) => e.event === 'resource' && e.data.action === 'delete' && e.data.status === 'complete',
    );
    expect(destroyed.length).toBeGreaterThan(5);
    expect(pdns.dig('console.omantel.omani.works', 'A', '+short')).toEqual([]);
    const schema = await db.query(`select 1 from information_schema.schemata where schema_name = $1`, [
      `tofu_${id.replace(/-/g, '')}`,
    ]);
    expect(schema.rowCount).toBe(0);
    expect((await api('DELETE', `/api/v1/deployments/${id}`)).status).toBe(204);
    expect((await api('GET', `/api/v1/deployments/${id}`)).status).toBe(404);
    await client.close();
  });
});

describe('failure, retry and cancel', { timeout: 120_000 }, () => {
  it('fails the apply with a readable error, and a retry from tofu-apply (with the token) completes it', async () => {
    writeTofuControl(tofu.controlPath, {
      resourceDelayMs: 5,
      failApplyAt: 'hcloud_server.control_plane["fsn1/cp1"]',
      failTimes: 1,
    });
    const created = await api(
      'POST',
      '/api/v1/deployments',
      provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'retry' } }),
    );
    const { id } = created.json();
    const client = await stream(id);
    await client.waitFor((e) => e.event === 'deployment' && e.data.status === 'failed');
    const snapshot = (await api('GET', `/api/v1/deployments/${id}`)).json();
    const apply = snapshot.phases.find((p: { name: string }) => p.name === 'tofu-apply');
    expect(apply.status).toBe('failed');
    expect(apply.error.length).toBeGreaterThan(10);
    expect(snapshot.error).toContain('tofu-apply');

    const withoutToken = await api('POST', `/api/v1/deployments/${id}/phases/tofu-apply/retry`, {});
    expect(withoutToken.status).toBe(422);
    expect(withoutToken.json().error.code).toBe('hetzner_token_required');
    const tooFar = await api('POST', `/api/v1/deployments/${id}/phases/dns/retry`, {
      hetznerToken: FAKE_HETZNER_TOKEN,
    });
    expect(tooFar.status).toBe(409);
    const unknown = await api('POST', `/api/v1/deployments/${id}/phases/nope/retry`, {});
    expect(unknown.status).toBe(400);

    const retried = await api('POST', `/api/v1/deployments/${id}/phases/tofu-apply/retry`, {
      hetznerToken: FAKE_HETZNER_TOKEN,
    });
    expect(retried.status).toBe(200);
    const after = await stream(id, client.lastId);
    await after.waitFor(
      (e) => e.event === 'log' && String(e.data.line).includes('Waiting for the new control plane'),
    );
    expect((await postKubeconfig(id)).status).toBe(204);
    await after.waitFor((e) => e.event === 'deployment' && e.data.status === 'ready');
    // Only the resources the failed apply had not created were created by the retry.
    const created2 = after.events.filter(
      (e) => e.event === 'resource' && e.data.status === 'complete' && e.data.action === 'create',
    );
    expect(created2.map((e) => e.data.address)).toContain('hcloud_server.control_plane["fsn1/cp1"]');
    expect(created2.map((e) => e.data.address)).not.toContain('hcloud_network.main["fsn1"]');
  });

  it('cancels mid-apply: tofu is interrupted, the state keeps what was made, the run is cancelled', async () => {
    writeTofuControl(tofu.controlPath, { resourceDelayMs: 5, hangAt: 'hcloud_server.worker["fsn1/w1"]' });
    const created = await api(
      'POST',
      '/api/v1/deployments',
      provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'halt' } }),
    );
    const { id } = created.json();
    const client = await stream(id);
    await client.waitFor(
      (e) =>
        e.event === 'resource' &&
        e.data.address === 'hcloud_server.worker["fsn1/w1"]' &&
        e.data.status === 'started',
    );
    const cancel = await api('POST', `/api/v1/deployments/${id}/cancel`);
    expect(cancel.status).toBe(200);
    await client.waitFor((e) => e.event === 'deployment' && e.data.status === 'cancelled');
    const snapshot = (await api('GET', `/api/v1/deployments/${id}`)).json();
    expect(snapshot.phases.find((p: { name: string }) => p.name === 'tofu-apply').status).toBe('failed');
    expect(snapshot.hasCloudResources).toBe(true);
    const applies = readInvocations(tofu.logPath).filter(
      (i) => 'argv' in i && (i.argv as string[])[0] === 'apply',
    );
    expect(applies.length).toBeGreaterThan(0);
    expect((await api('POST', `/api/v1/deployments/${id}/cancel`)).status).toBe(409);
  });
});

describe('the kubeconfig post-back', { timeout: 120_000 }, () => {
  /** A run waiting in flux-bootstrap for its kubeconfig. */
  async function waitingRun(subdomain: string): Promise<string> {
    writeTofuControl(tofu.controlPath, { resourceDelayMs: 5 });
    const created = await api(
      'POST',
      '/api/v1/deployments',
      provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.works', subdomain } }),
    );
    expect(created.status).toBe(201);
    const { id } = created.json();
    const client = await stream(id);
    await client.waitFor(
      (e) => e.event === 'log' && String(e.data.line).includes('Waiting for the new control plane'),
    );
    await client.close();
    return id;
  }

  /** The emulator's (valid) kubeconfig with `change` applied to its parsed document. */
  function tampered(change: (doc: KubeconfigDoc) => void): string {
    const doc = load(KUBECONFIG) as KubeconfigDoc;
    change(doc);
    return dump(doc);
  }

  async function refusedFields(id: string, body: string): Promise<string[]> {
    const res = await postKubeconfig(id, kubeconfigToken(id), body);
    const json = await res.json();
    expect(res.status, JSON.stringify(json)).toBe(422);
    expect(json.error.code).toBe('invalid_kubeconfig');
    const paths = json.error.details.issues.map((i: { path: string }) => i.path);
    expect(json.error.message).toContain(paths[0]);
    return paths;
  }

  let scratch: string;
  let exploitTarget: EmulatorServer;
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'catalyst-kubeconfig-exploits-'));
    // Where a kubeconfig's server would send what an auth provider read from a file.
    exploitTarget = new EmulatorServer((_, res) => sendJson(res, 200, {}));
    await exploitTarget.start();
  });
  afterAll(async () => {
    await exploitTarget.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('refuses exploit kubeconfigs field by field without spending the token, runs nothing, reads nothing, then accepts a valid one', async () => {
    const id = await waitingRun('exploits');
    const ranMarker = join(scratch, 'exec-ran');
    const secretFile = join(scratch, 'token');
    writeFileSync(secretFile, 'file-secret-never-to-be-sent', { mode: 0o600 });

    const exec = tampered((doc) => {
      doc.users[0].user = {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: '/bin/sh',
          args: [
            '-c',
            `touch ${ranMarker}; echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"x"}}'`,
          ],
          interactiveMode: 'Never',
        },
      };
    });
    expect(await refusedFields(id, exec)).toEqual(['users[0].user.exec']);

    const tokenFile = tampered((doc) => {
      doc.clusters[0].cluster = { server: exploitTarget.baseUrl, 'insecure-skip-tls-verify': true };
      doc.users[0].user = { 'auth-provider': { name: 'file', config: { tokenFile: secretFile } } };
    });
    expect(await refusedFields(id, tokenFile)).toEqual(
      expect.arrayContaining(['users[0].user.auth-provider', 'clusters[0].cluster.server']),
    );

    const paths: [string, (doc: KubeconfigDoc) => void][] = [
      [
        'users[0].user.client-certificate',
        (doc) => {
          doc.users[0].user = { 'client-certificate': secretFile, 'client-key-data': 'QUJD' };
        },
      ],
      [
        'users[0].user.client-key',
        (doc) => {
          doc.users[0].user = { 'client-certificate-data': 'QUJD', 'client-key': secretFile };
        },
      ],
      [
        'clusters[0].cluster.certificate-authority',
        (doc) => {
          doc.clusters[0].cluster['certificate-authority'] = secretFile;
        },
      ],
      [
        'clusters[0].cluster.proxy-url',
        (doc) => {
          doc.clusters[0].cluster['proxy-url'] = exploitTarget.baseUrl;
        },
      ],
    ];
    for (const [field, change] of paths)
      expect(await refusedFields(id, tampered(change)), field).toContain(field);

    for (const server of [
      `https://192.0.2.1:${kube.port}`,
      'https://127.0.0.1:6443',
      kube.baseUrl.replace('https:', 'http:'),
    ]) {
      const foreign = tampered((doc) => {
        doc.clusters[0].cluster.server = server;
      });
      expect(await refusedFields(id, foreign), server).toEqual(['clusters[0].cluster.server']);
    }
    expect(await refusedFields(id, 'clusters: [\n')).toEqual(['(document)']);

    // None of that spent the token: the valid kubeconfig is accepted and the run completes.
    const client = await stream(id);
    expect((await postKubeconfig(id)).status).toBe(204);
    await client.waitFor((e) => e.event === 'deployment' && e.data.status === 'ready');
    await client.close();
    expect(existsSync(ranMarker)).toBe(false);
    expect(exploitTarget.requests).toEqual([]);
  });

  it('lets exactly one of two racing posts with the valid token win', async () => {
    const id = await waitingRun('racers');
    const [a, b] = await Promise.all([postKubeconfig(id), postKubeconfig(id)]);
    expect([a.status, b.status].sort()).toEqual([204, 409]);
    const loser = a.status === 409 ? a : b;
    expect((await loser.json()).error.code).toBe('kubeconfig_already_posted');
    const posted = await db.query(
      `select count(*)::int as n from deployment_events where deployment_id = $1 and payload->>'line' = 'cloud-init posted the kubeconfig back'`,
      [id],
    );
    expect(posted.rows[0].n).toBe(1);
  });

  it('issues the token for the kubeconfig timeout plus its margin, and refuses it once expired', async () => {
    const id = await waitingRun('latecomer');
    const lifetime = 30 * 60 + 15 * 60; // CATALYST_KUBECONFIG_TIMEOUT + CATALYST_KUBECONFIG_TOKEN_GRACE (defaults)
    const issued = await db.query(
      `select kubeconfig_token_expires_at > now() as live,
              kubeconfig_token_expires_at <= now() + make_interval(secs => $2) as bounded
         from deployment_regions where deployment_id = $1`,
      [id, lifetime],
    );
    expect(issued.rows[0]).toEqual({ live: true, bounded: true });

    await db.query(
      `update deployment_regions set kubeconfig_token_expires_at = now() - interval '1 second' where deployment_id = $1`,
      [id],
    );
    const late = await postKubeconfig(id);
    expect(late.status).toBe(401);
    expect((await late.json()).error.code).toBe('expired_bearer');
    const wrong = await postKubeconfig(id, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('invalid_bearer');
    const { rows } = await db.query(
      'select sealed_kubeconfig, kubeconfig_token_hash from deployment_regions where deployment_id = $1',
      [id],
    );
    expect(rows[0].sealed_kubeconfig).toBeNull();
    expect(rows[0].kubeconfig_token_hash).not.toBeNull();
    expect((await api('POST', `/api/v1/deployments/${id}/cancel`)).status).toBe(200);
  });

  it('refuses a stored kubeconfig that breaks the rules when a component retry loads it, and runs nothing', async () => {
    const id = await waitingRun('tampered');
    const client = await stream(id);
    expect((await postKubeconfig(id)).status).toBe(204);
    await client.waitFor((e) => e.event === 'deployment' && e.data.status === 'ready');
    await client.close();
    // A row written behind the api's back (or stored before the rules existed).
    const ranMarker = join(scratch, 'stored-exec-ran');
    const stored = tampered((doc) => {
      doc.users[0].user = {
        exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'touch', args: [ranMarker] },
      };
    });
    await db.query('update deployment_regions set sealed_kubeconfig = $2 where deployment_id = $1', [
      id,
      t.app.get(Sealer).seal(stored, id),
    ]);
    const retry = await api('POST', `/api/v1/deployments/${id}/phases/cert-manager/retry`, {});
    expect(retry.status).toBe(409);
    expect(retry.json().error.code).toBe('stored_kubeconfig_invalid');
    expect(retry.json().error.message).toContain('users[0].user.exec');
    const download = await api('GET', `/api/v1/deployments/${id}/kubeconfig`);
    expect(download.status).toBe(409);
    expect(download.text).not.toContain(ranMarker);
    expect(existsSync(ranMarker)).toBe(false);
  });

  it("masks the cluster's k3s join token in tofu's output", async () => {
    const fqdn = 'k3sleak.omani.works';
    const k3sToken = createHash('sha256').update(`${FAKE_HETZNER_TOKEN}/${fqdn}/k3s-join`).digest('hex');
    writeTofuControl(tofu.controlPath, {
      resourceDelayMs: 5,
      failCommand: 'plan',
      failDetail: `user_data would change: token: "${k3sToken}"`,
    });
    const created = await api(
      'POST',
      '/api/v1/deployments',
      provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'k3sleak' } }),
    );
    const { id } = created.json();
    const client = await stream(id);
    await client.waitFor((e) => e.event === 'deployment' && e.data.status === 'failed');
    await client.close();
    const snapshot = await api('GET', `/api/v1/deployments/${id}`);
    const plan = snapshot.json().phases.find((p: { name: string }) => p.name === 'tofu-plan');
    expect(plan.error).toContain('[redacted]');
    expect(snapshot.text).not.toContain(k3sToken);
    expect(JSON.stringify(client.events)).not.toContain(k3sToken);
    writeTofuControl(tofu.controlPath, {});
  });
});

describe('requests', () => {
  it('gives exactly one of two concurrent POSTs for one name', async () => {
    writeTofuControl(tofu.controlPath, { resourceDelayMs: 5, failCommand: 'init' });
    const request = provisionRequest({
      domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'twins' },
    });
    const [a, b] = await Promise.all([
      api('POST', '/api/v1/deployments', request),
      api('POST', '/api/v1/deployments', request),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
  });

  it('rejects bad values field by field', async () => {
    const cases: [unknown, string][] = [
      [{ ...provisionRequest(), extra: 1 }, 'extra'],
      [provisionRequest({ adminEmail: 'nope' }), 'adminEmail'],
      [
        provisionRequest({ credentials: { ...provisionRequest().credentials, hetznerToken: 'short' } }),
        'credentials.hetznerToken',
      ],
      [
        provisionRequest({
          credentials: { ...provisionRequest().credentials, sshPublicKey: 'ssh-dss AAAA' },
        }),
        'credentials.sshPublicKey',
      ],
      [
        provisionRequest({ credentials: { ...provisionRequest().credentials, hetznerProjectId: 'abc' } }),
        'credentials.hetznerProjectId',
      ],
      [provisionRequest({ topology: { haEnabled: false, regions: [] } }), 'topology.regions'],
      [
        provisionRequest({
          topology: {
            haEnabled: false,
            regions: [
              {
                provider: 'digitalocean',
                cloudRegion: 'fra1',
                controlPlaneSize: 's-4vcpu-8gb',
                workerSize: 's-4vcpu-8gb',
                workerCount: 0,
              },
            ],
          },
        }),
        'topology.regions.0.provider',
      ],
      [
        provisionRequest({
          topology: {
            haEnabled: false,
            regions: [
              {
                provider: 'hetzner',
                cloudRegion: 'mars1',
                controlPlaneSize: 'cpx32',
                workerSize: 'cpx32',
                workerCount: 0,
              },
            ],
          },
        }),
        'topology.regions.0.cloudRegion',
      ],
      [
        provisionRequest({
          topology: {
            haEnabled: false,
            regions: [
              {
                provider: 'hetzner',
                cloudRegion: 'fsn1',
                controlPlaneSize: 'x9000',
                workerSize: 'cpx32',
                workerCount: 0,
              },
            ],
          },
        }),
        'topology.regions.0.controlPlaneSize',
      ],
      [
        provisionRequest({
          topology: {
            haEnabled: false,
            regions: [
              {
                provider: 'hetzner',
                cloudRegion: 'fsn1',
                controlPlaneSize: 'cpx32',
                workerSize: 'cpx32',
                workerCount: 51,
              },
            ],
          },
        }),
        'topology.regions.0.workerCount',
      ],
      [provisionRequest({ components: ['harbor', 'nonsense'] }), 'components.1'],
      [
        provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'Bad_Label' } }),
        'domain.subdomain',
      ],
      [
        provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'console' } }),
        'domain.subdomain',
      ],
      [
        provisionRequest({ domain: { mode: 'pool', poolDomain: 'example.org', subdomain: 'acme' } }),
        'domain.poolDomain',
      ],
      [provisionRequest({ domain: { mode: 'byo-manual', domain: 'localhost' } }), 'domain.domain'],
      [
        provisionRequest({
          domain: {
            mode: 'byo-api',
            domain: 'cloud.bank.com',
            registrar: 'godaddy',
            credentials: { apiKey: 'k' },
          },
        }),
        'domain.credentials.apiSecret',
      ],
      // A selection the wizard's cascade would never send: Grafana without what it needs, an uninstallable one.
      [provisionRequest({ components: ['harbor', 'grafana', 'loki'] }), 'components.1'],
      [provisionRequest({ components: ['harbor', 'specter'] }), 'components.1'],
    ];
    for (const [body, path] of cases) {
      const res = await api('POST', '/api/v1/deployments', body);
      expect(res.status, path).toBe(400);
      expect(
        res.json().error.details.issues.map((i: { path: string }) => i.path),
        path,
      ).toContain(path);
      expect(res.text).not.toContain(FAKE_HETZNER_TOKEN);
    }
  });

  it('never answers a fuzzed body with a 500', async () => {
    const values = [
      null,
      0,
      -1,
      Number.MAX_SAFE_INTEGER + 2,
      '',
      'x'.repeat(5000),
      [],
      {},
      true,
      { mode: 'pool' },
      ['a'],
      { __proto__: { admin: true } },
    ];
    let seed = 7;
    const pick = <T>(list: T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return list[seed % list.length] as T;
    };
    const keys = ['org', 'topology', 'credentials', 'components', 'domain', 'adminEmail', 'regions', 'name'];
    for (let i = 0; i < 150; i++) {
      const body: Record<string, unknown> = provisionRequest() as unknown as Record<string, unknown>;
      for (let k = 0; k < 3; k++) body[pick(keys)] = pick(values);
      const res = await api('POST', '/api/v1/deployments', body);
      expect(res.status, JSON.stringify(body).slice(0, 200)).toBeLessThan(500);
    }
  });

  it('is for sovereign admins and superadmins only', async () => {
    const member = await signIn(t.app, stack.smtp, 'member@example.com');
    const res = await fetch(`${base}/api/v1/deployments`, { headers: { cookie: member } });
    expect(res.status).toBe(403);
    expect((await fetch(`${base}/api/v1/deployments`)).status).toBe(401);
  });
});

describe('run limits and prerequisites', () => {
  // Each test runs its own api on its own database, so the main test api does not take its runs.
  const user = {
    userId: null as never,
    email: 'ops@catalyst.test',
    roles: ['superadmin' as const],
    sessionId: 'x',
  };

  async function isolatedApp(env: Record<string, string>) {
    const app = await startTestApp({
      env: { PDNS_API_URL: pdns.apiUrl, PDNS_API_KEY: PDNS_TEST_API_KEY, ...env },
    });
    return { app, service: app.app.get(DeploymentsService), repo: app.app.get(DeploymentsRepository) };
  }

  it('fails preflight with install instructions when the tofu binary is missing', async () => {
    const { app, service } = await isolatedApp({
      CATALYST_TOFU_BIN: '/nonexistent/tofu',
      CATALYST_TOFU_WORKDIR: `${tofu.dir}/missing`,
    });
    try {
      const request = provisionRequest({
        domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'notofu' },
      });
      const { id } = await service.create(request, user);
      await app.app.get(RunScheduler).tick();
      await eventually('the run to fail', async () => (await service.get(id)).status === 'failed');
      const [preflight] = (await service.get(id)).phases;
      expect(preflight).toMatchObject({ name: 'preflight', status: 'failed' });
      expect(preflight?.error).toContain('Install OpenTofu 1.10 or newer');
    } finally {
      await app.close();
    }
  });

  it('keeps a second run of the same Hetzner project queued until the first stops', async () => {
    const { app, service, repo } = await isolatedApp({
      CATALYST_TOFU_BIN: tofu.bin,
      CATALYST_TOFU_WORKDIR: `${tofu.dir}/budget`,
      CATALYST_MAX_RUNS_PER_PROJECT: '1',
      CATALYST_RUN_LEASE_TTL: '3s',
    });
    try {
      writeTofuControl(tofu.controlPath, { resourceDelayMs: 5, hangAt: 'hcloud_network.main["fsn1"]' });
      const credentials = { ...provisionRequest().credentials, hetznerProjectId: '999001' };
      const request = (subdomain: string) =>
        provisionRequest({ credentials, domain: { mode: 'pool', poolDomain: 'omani.works', subdomain } });
      const first = await service.create(request('budget-a'), user);
      await app.app.get(RunScheduler).tick();
      await eventually(
        'the first run to start',
        async () => (await service.get(first.id)).status === 'running',
      );
      const second = await service.create(request('budget-b'), user);
      await app.app.get(RunScheduler).tick();
      await eventually('the second run to say why it waits', async () =>
        (await repo.eventsAfter(second.id, 0)).some((e) =>
          String((e.payload as { line?: string }).line).includes('another run is using this Hetzner project'),
        ),
      );
      expect((await service.get(second.id)).status).toBe('queued');
      await service.cancel(first.id, user);
      await eventually(
        'the first run to stop',
        async () => (await service.get(first.id)).status === 'cancelled',
      );
      await app.app.get(RunScheduler).tick();
      await eventually(
        'the second run to start',
        async () => (await service.get(second.id)).status !== 'queued',
      );
      await service.cancel(second.id, user);
      await eventually(
        'the second run to stop',
        async () => (await service.get(second.id)).status === 'cancelled',
      );
    } finally {
      writeTofuControl(tofu.controlPath, {});
      await app.close();
    }
  });
});

describe('secrets', () => {
  it('keeps the Hetzner token, the kubeconfig token and the k3s join token out of logs, streams, responses and every database row', async () => {
    const list = await api('GET', '/api/v1/deployments');
    const ids: string[] = list.json().deployments.map((d: { id: string }) => d.id);
    const k3sTokens: string[] = list
      .json()
      .deployments.map((d: { fqdn: string }) =>
        createHash('sha256').update(`${FAKE_HETZNER_TOKEN}/${d.fqdn}/k3s-join`).digest('hex'),
      );
    const streams = await Promise.all(
      ids.map(async (id) => {
        const client = await stream(id);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await client.close();
        return JSON.stringify(client.events);
      }),
    );
    const tables = await db.query(
      `select table_schema, table_name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`,
    );
    let dump = '';
    for (const { table_schema, table_name } of tables.rows) {
      const rows = await db.query(`select t::text as row from "${table_schema}"."${table_name}" t`);
      dump += rows.rows.map((r) => r.row).join('\n');
    }
    const haystacks = {
      logs: t.logs.text,
      streams: streams.join('\n'),
      responses: list.text,
      database: dump,
    };
    for (const [where, text] of Object.entries(haystacks)) {
      expect(text.includes(FAKE_HETZNER_TOKEN), where).toBe(false);
      for (const id of ids) expect(text.includes(kubeconfigToken(id)), where).toBe(false);
      for (const k3s of k3sTokens) expect(text.includes(k3s), where).toBe(false);
    }
    expect(dump.length).toBeGreaterThan(1000);
  });
});
