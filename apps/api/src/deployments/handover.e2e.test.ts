// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux placeholders (${…}) of the kit are substituted here
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServerEmulator } from '../../test/fixtures/kube/kube-apiserver.emulator.js';
import { PDNS_TEST_API_KEY, PowerDnsServer } from '../../test/fixtures/powerdns/powerdns-server.js';
import { eventually } from '../../test/helpers/eventually.js';
import { startHetzner } from '../../test/helpers/hetzner.js';
import { convergedKit } from '../../test/helpers/kit.js';
import { provisionRequest } from '../../test/helpers/provision-request.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { sessionCookie, startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { fixtureTofuBin } from '../../test/helpers/tofu-bin.js';
import { auditLog } from '../audit/audit.schema.js';
import { SECRET_KEYS, type SecretKeys } from '../crypto/keys.js';
import { freePort } from '../database/embedded-postgres.js';
import { registerLiveness } from '../health/liveness.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { DeploymentsService } from './deployments.service.js';
import { RunScheduler } from './run.scheduler.js';
import { kubeconfigTokenOf } from './run-secrets.js';

/*
 * The handover (D0) between two product instances: a mothership runs a deployment through every phase on
 * the emulators, while a second instance in CATALYST_MODE=sovereign — with the facts file and the public
 * key the kit would give it — is the new Sovereign's console. The operator's link signs its admin in there.
 */

const KIT_FILE = fileURLToPath(
  new URL('../../../../clusters/_template/bootstrap-kit/11-catalyst-platform.yaml', import.meta.url),
);
const OPS = 'ops@catalyst.test';
const ADMIN = 'admin@omantel.om';
const operator = { userId: null as never, email: OPS, roles: ['superadmin' as const], sessionId: 'test' };

let pdns: PowerDnsServer;
let kube: KubeApiServerEmulator;
let smtp: SmtpPeer;
let tofu: ReturnType<typeof fixtureTofuBin>;
let hetzner: Awaited<ReturnType<typeof startHetzner>>;
let mothership: TestApp;
let cookie: string;
/** Where the Sovereign's console will listen: the mothership's CATALYST_SOVEREIGN_CONSOLE_URL. */
let consolePort: number;
let sovereign: TestApp | undefined;

const consoleUrl = () => `http://127.0.0.1:${consolePort}`;

function motherEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PDNS_API_URL: pdns.apiUrl,
    PDNS_API_KEY: PDNS_TEST_API_KEY,
    CATALYST_NAMESERVERS: 'ns1.catalyst.test,ns2.catalyst.test',
    CATALYST_TOFU_BIN: tofu.bin,
    HCLOUD_ENDPOINT: hetzner.baseUrl,
    CATALYST_MAX_RUNS_PER_PROJECT: '10',
    CATALYST_KUBE_API_PORT: String(kube.port),
    ...extra,
  };
}

const phaseOf = async (app: TestApp, id: string, name: string) =>
  (await app.app.get(DeploymentsService).get(id)).phases.find((p) => p.name === name);

/** Creates a deployment on `app` and waits until its run waits for the kubeconfig post-back. */
async function provisionToFluxBootstrap(app: TestApp, subdomain: string): Promise<string> {
  const service = app.app.get(DeploymentsService);
  const request = provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.works', subdomain } });
  const { id } = await service.create(request, operator);
  await app.app.get(RunScheduler).tick();
  await eventually(
    `${subdomain}: flux-bootstrap waits`,
    async () => (await phaseOf(app, id, 'flux-bootstrap'))?.status === 'running',
  );
  return id;
}

/** cloud-init's post-back: the cluster (the emulator, whose kit has converged) is there. */
async function postKubeconfig(app: TestApp, id: string): Promise<void> {
  const token = kubeconfigTokenOf(app.app.get<SecretKeys>(SECRET_KEYS), id, 'fsn1');
  await app.app.get(DeploymentsService).acceptKubeconfig(id, token, kube.kubeconfig());
}

/** CATALYST_HANDOVER_PUBLIC_KEY as the kit sets it: bp-catalyst-platform's env, Flux having substituted. */
function kitHandoverKey(substitute: Record<string, string>): string {
  const text = readFileSync(KIT_FILE, 'utf8').replace(
    /\$\{([A-Z0-9_]+)\}/g,
    (whole, name: string) => substitute[name] ?? whole,
  );
  const release = loadAll(text).find(
    (d) => (d as { metadata?: { name?: string } }).metadata?.name === 'bp-catalyst-platform',
  ) as { spec: { values: { catalyst: { env: Record<string, string> } } } };
  return release.spec.values.catalyst.env.CATALYST_HANDOVER_PUBLIC_KEY as string;
}

/** Starts the Sovereign's Catalyst on the console port, as the kit configures it. */
async function startSovereign(
  fqdn: string,
  deploymentId: string,
  handoverPublicKey: string,
): Promise<TestApp> {
  const factsFile = join(tofu.dir, `${fqdn}.sovereign.json`);
  writeFileSync(
    factsFile,
    JSON.stringify({
      fqdn,
      deploymentId,
      createdAt: new Date().toISOString(),
      ha: false,
      k3sVersion: 'v1.33.1+k3s1',
      regions: [
        {
          provider: 'hetzner',
          region: 'fsn1',
          controlPlaneSize: 'cpx32',
          workerSize: 'cpx42',
          workerCount: 1,
        },
      ],
      components: ['cilium', 'harbor', 'trivy'],
      orgName: 'Omantel Cloud',
    }),
  );
  const app = await startTestApp({
    env: {
      CATALYST_MODE: 'sovereign',
      CATALYST_SOVEREIGN_FILE: factsFile,
      CATALYST_HANDOVER_PUBLIC_KEY: kitHandoverKey({ HANDOVER_PUBLIC_KEY: handoverPublicKey }),
    },
  });
  await app.app.listen({ port: consolePort, host: '127.0.0.1' });
  return app;
}

async function mother(method: string, path: string, headers: Record<string, string> = { cookie }) {
  return mothership.app.inject({ method: method as 'POST', url: path, headers });
}

beforeAll(async () => {
  pdns = new PowerDnsServer();
  await pdns.start();
  kube = new KubeApiServerEmulator({ tls: true });
  await kube.start();
  convergedKit(kube);
  tofu = fixtureTofuBin({ publicIpv4: '127.0.0.1' });
  hetzner = await startHetzner();
  smtp = new SmtpPeer();
  consolePort = await freePort();
  mothership = await startTestApp({
    env: motherEnv({
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: OPS,
      CATALYST_TOFU_WORKDIR: `${tofu.dir}/mothership`,
      CATALYST_SOVEREIGN_CONSOLE_URL: consoleUrl(),
      CATALYST_HANDOVER_TOKEN_TTL: '5m',
    }),
  });
  cookie = await signIn(mothership.app, smtp, OPS);
});
afterAll(async () => {
  await sovereign?.close();
  await mothership?.close();
  await smtp?.stop();
  await pdns?.stop();
  await kube?.stop();
  await hetzner?.stop();
  rmSync(tofu.dir, { recursive: true, force: true });
});

describe('the handover from a mothership to the new Sovereign', { timeout: 180_000 }, () => {
  it("waits for the new console, then a one-time link signs the admin in on the Sovereign's own Catalyst", async () => {
    const id = await provisionToFluxBootstrap(mothership, 'omantel');
    const { fqdn } = await mothership.app.get(DeploymentsService).get(id);
    // The public key the run wrote for the kit (the variables file exists while the run goes).
    const tfvars = JSON.parse(
      readFileSync(join(tofu.dir, 'mothership', fqdn, 'tofu.auto.tfvars.json'), 'utf8'),
    ) as { handover_public_key: string };
    expect(tfvars.handover_public_key).toMatch(/^MCowBQYDK2VwAyEA/);

    // A link exists only for a ready Sovereign.
    const early = await mother('POST', `/api/v1/deployments/${id}/handover`);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toEqual({
      error: { code: 'not_ready', message: expect.stringContaining('running') },
    });

    sovereign = await startSovereign(fqdn, id, tfvars.handover_public_key);
    await postKubeconfig(mothership, id);
    await eventually(
      'the run to be ready',
      async () => (await mothership.app.get(DeploymentsService).get(id)).status === 'ready',
      60_000,
    );
    const ready = await mothership.app.get(DeploymentsService).get(id);
    expect(ready.phases.at(-1)).toMatchObject({ name: 'handover', status: 'succeeded' });
    expect(ready.result?.consoleURL).toBe(consoleUrl());
    const logs = (await mothership.app.get(DeploymentsRepository).eventsAfter(id, 0, 10_000))
      .filter((e) => e.type === 'log' && (e.payload as { phase?: string }).phase === 'handover')
      .map((e) => (e.payload as { line: string }).line);
    expect(logs[0]).toBe(`Waiting for the console to answer: ${consoleUrl()}/healthz`);
    expect(logs.at(-1)).toContain(`${fqdn} is ready`);

    // The operator asks for the link.
    const asked = await mother('POST', `/api/v1/deployments/${id}/handover`);
    expect(asked.statusCode).toBe(200);
    expect(asked.headers['cache-control']).toBe('no-store');
    const { url, expiresAt } = asked.json() as { url: string; expiresAt: string };
    expect(url.startsWith(`${consoleUrl()}/auth/handover?token=`)).toBe(true);
    const expiresIn = Date.parse(expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(4 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(5 * 60_000);
    const token = new URL(url).searchParams.get('token') ?? '';
    expect(token.split('.')).toHaveLength(3);

    // The browser follows it to the Sovereign: signed in there, sent to the console.
    const opened = await fetch(url, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/console/');
    const sovereignCookie = sessionCookie(opened.headers.get('set-cookie') ?? undefined);
    const me = await fetch(`${consoleUrl()}/auth/me`, { headers: { cookie: sovereignCookie } });
    expect(me.status).toBe(200);
    const session = (await me.json()) as { user: { email: string; roles: string[] }; mode: string };
    expect(session.user.email).toBe(ADMIN);
    expect(session.user.roles).toContain('sovereign-admin');
    expect(session.mode).toBe('sovereign');
    // Its console shows itself.
    const facts = await fetch(`${consoleUrl()}/api/v1/sovereign`, { headers: { cookie: sovereignCookie } });
    expect(((await facts.json()) as { facts: { fqdn: string } }).facts.fqdn).toBe(fqdn);

    // The same link a second time: refused, no session.
    const replayed = await fetch(url, { redirect: 'manual' });
    expect(replayed.status).toBe(401);
    expect(replayed.headers.get('set-cookie')).toBeNull();

    // A new link is a new token, good once too.
    const again = (await mother('POST', `/api/v1/deployments/${id}/handover`)).json() as { url: string };
    expect(again.url).not.toBe(url);
    expect((await fetch(again.url, { redirect: 'manual' })).status).toBe(303);

    // The token is a credential: in no log line, no event, no audit entry of the mothership.
    expect(mothership.logs.text).not.toContain(token);
    const events = await mothership.app.get(DeploymentsRepository).eventsAfter(id, 0, 10_000);
    expect(JSON.stringify(events)).not.toContain(token);
    const audit = await mothership.runtime.database.db.select().from(auditLog);
    const entries = audit.filter((a) => a.action === 'handover.link' && a.target === `deployment:${id}`);
    expect(entries).toHaveLength(2);
    expect(entries[0]?.actorEmail).toBe(OPS);
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain(token.split('.')[2]);
    expect(sovereign.logs.text).not.toContain(token);
  });

  it('refuses the link to whoever may not read deployments, and for an unknown one', async () => {
    const tenant = await signIn(mothership.app, smtp, 'someone@tenant.test');
    const anyId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const forTenant = await mother('POST', `/api/v1/deployments/${anyId}/handover`, { cookie: tenant });
    expect(forTenant.statusCode).toBe(403);
    const anonymous = await mother('POST', `/api/v1/deployments/${anyId}/handover`, {});
    expect(anonymous.statusCode).toBe(401);
    const unknown = await mother('POST', `/api/v1/deployments/${anyId}/handover`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: { code: 'deployment_not_found', message: expect.any(String) } });
    // The route is in the OpenAPI document with its answer's contract and who may call it.
    const doc = (await mother('GET', '/api/docs')).json();
    const route = doc.paths['/api/v1/deployments/{id}/handover'].post;
    expect(route.description).toContain('superadmin');
    expect(route.responses['200'].content['application/json'].schema).toMatchObject({
      required: ['url', 'expiresAt'],
    });
    const notAnId = await mother('POST', '/api/v1/deployments/not-an-id/handover');
    expect(notAnId.statusCode).toBe(400);
    expect(notAnId.json().error.code).toBe('validation_failed');
  });

  it('fails the handover phase with what to check when the console never answers, and a retry resumes there', async () => {
    const latePort = await freePort();
    const quick = await startTestApp({
      env: motherEnv({
        CATALYST_TOFU_WORKDIR: `${tofu.dir}/quick`,
        CATALYST_SOVEREIGN_CONSOLE_URL: `http://127.0.0.1:${latePort}`,
        CATALYST_HANDOVER_TIMEOUT: '3s',
      }),
    });
    const late = Fastify();
    try {
      const id = await provisionToFluxBootstrap(quick, 'silent');
      await postKubeconfig(quick, id);
      await eventually(
        'the run to fail',
        async () => (await quick.app.get(DeploymentsService).get(id)).status === 'failed',
        60_000,
      );
      const failed = await quick.app.get(DeploymentsService).get(id);
      const phase = failed.phases.find((p) => p.name === 'handover');
      expect(phase?.status).toBe('failed');
      expect(phase?.error).toContain(`The console at http://127.0.0.1:${latePort} did not answer within 3 s`);
      expect(phase?.error).toContain('no connection (ECONNREFUSED)');
      expect(phase?.error).toContain('retry this phase');
      expect(failed.phases.find((p) => p.name === 'bootstrap-kit')?.status).toBe('succeeded');
      const lines = (await quick.app.get(DeploymentsRepository).eventsAfter(id, 0, 10_000))
        .filter((e) => e.type === 'log' && (e.payload as { phase?: string }).phase === 'handover')
        .map((e) => (e.payload as { line: string }).line);
      expect(lines).toContain('Not answering yet: no connection (ECONNREFUSED) (0 s)');

      // The console comes up; a retry of handover alone brings the run to ready.
      registerLiveness(late);
      await late.listen({ host: '127.0.0.1', port: latePort });
      await quick.app.get(DeploymentsService).retry(id, 'handover', {}, operator);
      await eventually(
        'the retried run to be ready',
        async () => (await quick.app.get(DeploymentsService).get(id)).status === 'ready',
        30_000,
      );
      const ready = await quick.app.get(DeploymentsService).get(id);
      expect(ready.result?.consoleURL).toBe(`http://127.0.0.1:${latePort}`);
      // After the failure, only handover ran again.
      const phaseEvents = (await quick.app.get(DeploymentsRepository).eventsAfter(id, 0, 10_000))
        .filter((e) => e.type === 'phase')
        .map((e) => e.payload as { phase: string; status: string });
      const failedAt = phaseEvents.findIndex((e) => e.phase === 'handover' && e.status === 'failed');
      expect(failedAt).toBeGreaterThan(0);
      expect(phaseEvents.slice(failedAt + 1).map((e) => `${e.phase}:${e.status}`)).toEqual([
        'handover:running',
        'handover:succeeded',
      ]);
    } finally {
      await late.close();
      await quick.close();
    }
  });
});
