import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expectedKitReleases } from '@catalyst/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKeys } from '../src/crypto/keys.js';
import { freePort } from '../src/database/embedded-postgres.js';
import { kubeconfigTokenOf } from '../src/deployments/run-secrets.js';
import { KubeApiServerEmulator } from './fixtures/kube/kube-apiserver.emulator.js';
import { PDNS_TEST_API_KEY, PowerDnsServer } from './fixtures/powerdns/powerdns-server.js';
import { writeTofuControl } from './fixtures/tofu/tofu-fixture.js';
import { createTestDatabase } from './helpers/database.js';
import { eventually } from './helpers/eventually.js';
import { startHetzner } from './helpers/hetzner.js';
import { convergedKit, KIT_NAMESPACE } from './helpers/kit.js';
import { provisionRequest } from './helpers/provision-request.js';
import { pinFrom, SmtpPeer } from './helpers/smtp-peer.js';
import { answeringConsoleUrl } from './helpers/sovereign-console.js';
import { SseClient, type SseEvent } from './helpers/sse-client.js';
import { TEST_SECRET_KEY } from './helpers/test-app.js';
import { fixtureTofuBin } from './helpers/tofu-bin.js';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLOSED = 'http://127.0.0.1:9';

let pdns: PowerDnsServer;
let kube: KubeApiServerEmulator;
let smtp: SmtpPeer;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let tofu: ReturnType<typeof fixtureTofuBin>;
let hetzner: Awaited<ReturnType<typeof startHetzner>>;
const processes: ChildProcess[] = [];

/** The built api as its own process (the way it runs in production), on the shared test database. */
async function startApi(env: Record<string, string> = {}): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['apps/api/dist/main.js'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      DATABASE_URL: database.url,
      CATALYST_SECRET_KEY: TEST_SECRET_KEY,
      CATALYST_DATA_DIR: `${tofu.dir}/data`,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      CATALYST_ADMIN_EMAILS: 'ops@catalyst.test',
      PDNS_API_URL: pdns.apiUrl,
      PDNS_API_KEY: PDNS_TEST_API_KEY,
      CATALYST_NAMESERVERS: 'ns1.catalyst.test,ns2.catalyst.test',
      CATALYST_TOFU_BIN: tofu.bin,
      CATALYST_TOFU_WORKDIR: `${tofu.dir}/work-${port}`,
      CATALYST_RUN_LEASE_TTL: '2s',
      CATALYST_DNS_RESOLVER: '127.0.0.1:9',
      HCLOUD_ENDPOINT: hetzner.baseUrl,
      CLOUDFLARE_API_URL: CLOSED,
      NAMECHEAP_API_URL: CLOSED,
      GODADDY_API_URL: CLOSED,
      OVH_API_URL: CLOSED,
      DYNADOT_API_URL: CLOSED,
      LOG_LEVEL: 'warn',
      // The Sovereigns' kube-apiserver is the emulator (https on 127.0.0.1, the fixture's addresses).
      CATALYST_KUBE_API_PORT: String(kube.port),
      // The new Sovereign's console, which the handover phase waits for.
      CATALYST_SOVEREIGN_CONSOLE_URL: await answeringConsoleUrl(),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  processes.push(child);
  const base = `http://127.0.0.1:${port}`;
  await eventually(
    'the api to be ready',
    async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200,
    60_000,
  );
  return { base, child };
}

async function signIn(base: string): Promise<string> {
  await fetch(`${base}/auth/pin/request`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ops@catalyst.test' }),
  });
  const pin = pinFrom(await smtp.lastMailTo('ops@catalyst.test'));
  const verified = await fetch(`${base}/auth/pin/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ops@catalyst.test', pin }),
  });
  return /catalyst_session=[^;]+/.exec(verified.headers.get('set-cookie') ?? '')?.[0] ?? '';
}

beforeAll(async () => {
  pdns = new PowerDnsServer();
  await pdns.start();
  kube = new KubeApiServerEmulator({ tls: true });
  await kube.start();
  convergedKit(kube);
  smtp = new SmtpPeer();
  await smtp.start();
  database = await createTestDatabase();
  tofu = fixtureTofuBin({ publicIpv4: '127.0.0.1' });
  hetzner = await startHetzner();
});
afterAll(async () => {
  for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
  await smtp.stop();
  await pdns.stop();
  await kube.stop();
  await hetzner.stop();
  await database.drop();
  rmSync(tofu.dir, { recursive: true, force: true });
});

describe('an api killed mid-apply', () => {
  it('is resumed by the next api: the stream has no gap and no duplicate, and the run goes on through dns and flux-bootstrap', async () => {
    writeTofuControl(tofu.controlPath, { resourceDelayMs: 300 });
    const first = await startApi();
    const cookie = await signIn(first.base);
    const created = await fetch(`${first.base}/api/v1/deployments`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(
        provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'phoenix' } }),
      ),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const before = await new SseClient(`${first.base}/api/v1/deployments/${id}/logs`, { cookie }).open();
    await before.waitFor(
      (e) => e.event === 'resource' && e.data.phase === 'tofu-apply' && e.data.status === 'complete',
    );

    first.child.kill('SIGKILL');
    await before.waitForEnd(10_000).catch(() => before.close());

    const second = await startApi();
    const after = await new SseClient(`${second.base}/api/v1/deployments/${id}/logs`, {
      cookie,
      'last-event-id': String(before.lastId),
    }).open();
    await after.waitFor(
      (e) => e.event === 'log' && String(e.data.line).includes('Resumed by replica'),
      60_000,
    );
    await after.waitFor(
      (e) => e.event === 'log' && String(e.data.line).includes('Waiting for the new control plane'),
      60_000,
    );
    const token = kubeconfigTokenOf(deriveKeys(TEST_SECRET_KEY), id, 'fsn1');
    const put = await fetch(`${second.base}/api/v1/deployments/${id}/kubeconfig`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' },
      body: kube.kubeconfig(),
    });
    expect(put.status).toBe(204);
    await after.waitFor((e) => e.event === 'deployment' && e.data.status === 'ready', 60_000);

    const all: SseEvent[] = [...before.events, ...after.events];
    const ids = all.map((e) => e.id as number);
    expect(ids).toEqual(ids.map((_, i) => (ids[0] as number) + i));
    const phases = all.filter((e) => e.event === 'phase').map((e) => `${e.data.phase}:${e.data.status}`);
    expect(phases).toContain('dns:succeeded');
    expect(phases).toContain('flux-bootstrap:succeeded');
    expect(pdns.dig('console.phoenix.omani.works', 'A', '+short')).toHaveLength(1);
    second.child.kill('SIGTERM');
  });

  it('re-attaches the kit watch after a kill: no component event is lost or duplicated', async () => {
    writeTofuControl(tofu.controlPath, { resourceDelayMs: 5 });
    const cluster = new KubeApiServerEmulator({ bookmarkIntervalMs: 300, tls: true });
    await cluster.start();
    // This run's cluster is this emulator, on its own port.
    const clusterApi = { CATALYST_KUBE_API_PORT: String(cluster.port) };
    try {
      const kit = expectedKitReleases(provisionRequest().components);
      for (const id of kit) cluster.upsert(KIT_NAMESPACE, `bp-${id}`, {});
      const first = await startApi(clusterApi);
      const cookie = await signIn(first.base);
      const created = await fetch(`${first.base}/api/v1/deployments`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(
          provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'watchdog' } }),
        ),
      });
      const { id } = (await created.json()) as { id: string };
      const before = await new SseClient(`${first.base}/api/v1/deployments/${id}/logs`, { cookie }).open();
      await before.waitFor(
        (e) => e.event === 'log' && String(e.data.line).includes('Waiting for the new control plane'),
      );
      const token = kubeconfigTokenOf(deriveKeys(TEST_SECRET_KEY), id, 'fsn1');
      await fetch(`${first.base}/api/v1/deployments/${id}/kubeconfig`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' },
        body: cluster.kubeconfig(),
      });
      for (const component of kit) cluster.progressing(KIT_NAMESPACE, `bp-${component}`);
      // Every component's "installing" is recorded before the kill.
      await eventually('every component installing', () =>
        kit.every((component) =>
          before.events.some(
            (e) => e.event === 'component' && e.data.component === component && e.data.state === 'installing',
          ),
        ),
      );

      first.child.kill('SIGKILL');
      await before.waitForEnd(10_000).catch(() => before.close());
      // While no api watches, half the kit finishes.
      for (const component of kit.slice(0, 5)) cluster.ready(KIT_NAMESPACE, `bp-${component}`);

      const second = await startApi(clusterApi);
      const after = await new SseClient(`${second.base}/api/v1/deployments/${id}/logs`, {
        cookie,
        'last-event-id': String(before.lastId),
      }).open();
      await after.waitFor(
        (e) => e.event === 'component' && e.data.component === kit[4] && e.data.state === 'installed',
        60_000,
      );
      for (const component of kit.slice(5)) cluster.ready(KIT_NAMESPACE, `bp-${component}`);
      await after.waitFor((e) => e.event === 'deployment' && e.data.status === 'ready', 60_000);

      const all = [...before.events, ...after.events];
      const ids = all.map((e) => e.id as number);
      expect(ids).toEqual(ids.map((_, i) => (ids[0] as number) + i));
      for (const component of kit) {
        const states = all
          .filter((e) => e.event === 'component' && e.data.component === component)
          .map((e) => e.data.state);
        // Nothing lost: it ends installed. Nothing duplicated: no state twice in a row, `installed` once.
        expect(states.at(-1), component).toBe('installed');
        expect(
          states.filter((state) => state === 'installed'),
          component,
        ).toHaveLength(1);
        expect(
          states.filter((state, i) => state === states[i - 1]),
          component,
        ).toEqual([]);
        expect(states, component).toContain('installing');
      }
      second.child.kill('SIGTERM');
    } finally {
      await cluster.stop();
    }
  });
});

describe('an api stopped with SIGTERM mid-apply', { timeout: 120_000 }, () => {
  it('pauses the run and hands it to another api at once: the stream says who paused it and who resumed it', async () => {
    // Leases of 10 minutes, and the second api's own scan comes round every 200 s: a run resumed
    // within this test was handed over, not left to expire.
    const env = { CATALYST_RUN_LEASE_TTL: '10m', CATALYST_CANCEL_GRACE: '5s' };
    // Only the two apis of this test may take the run.
    for (const child of processes) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    writeTofuControl(tofu.controlPath, {
      resourceDelayMs: 5,
      hangAt: 'hcloud_server.worker["fsn1/w1"]',
      hangLimitMs: 600_000,
    });
    const first = await startApi(env);
    const cookie = await signIn(first.base);
    const created = await fetch(`${first.base}/api/v1/deployments`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(
        provisionRequest({
          // A Hetzner project of its own: a run left over by an earlier test must not make it wait.
          credentials: { ...provisionRequest().credentials, hetznerProjectId: '7654321' },
          domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'relay' },
        }),
      ),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const before = await new SseClient(`${first.base}/api/v1/deployments/${id}/logs`, { cookie }).open();
    await before.waitFor(
      (e) =>
        e.event === 'resource' &&
        e.data.address === 'hcloud_server.worker["fsn1/w1"]' &&
        e.data.status === 'started',
    );
    const second = await startApi(env);
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      const ownerOf = async () =>
        (
          await db.query<{ lease_owner: string | null }>(
            'select lease_owner from deployments where id = $1',
            [id],
          )
        ).rows[0]?.lease_owner;
      const firstOwner = await ownerOf();
      expect(firstOwner).toBeTruthy();

      // The resumed apply goes through; the interrupted one keeps blocking until tofu gets SIGINT.
      writeTofuControl(tofu.controlPath, { resourceDelayMs: 5 });
      const exited = new Promise<number | null>((resolve) =>
        first.child.once('exit', (code) => resolve(code)),
      );
      first.child.kill('SIGTERM');
      // Said live to the readers of the stopping api: the hand-over runs before its HTTP server closes.
      await before.waitFor(
        (e) => e.event === 'log' && String(e.data.line).startsWith(`Run paused: replica ${firstOwner}`),
        60_000,
      );
      before.close();
      expect(await exited).toBe(0);

      const after = await new SseClient(`${second.base}/api/v1/deployments/${id}/logs`, {
        cookie,
        'last-event-id': String(before.lastId),
      }).open();
      await after.waitFor(
        (e) => e.event === 'log' && String(e.data.line).includes('Waiting for the new control plane'),
        60_000,
      );
      const secondOwner = await ownerOf();
      expect(secondOwner).toBeTruthy();
      expect(secondOwner).not.toBe(firstOwner);

      const all: SseEvent[] = [...before.events, ...after.events];
      const ids = all.map((e) => e.id as number);
      expect(ids).toEqual(ids.map((_, i) => (ids[0] as number) + i));
      const lines = all.filter((e) => e.event === 'log').map((e) => String(e.data.line));
      const interrupted = lines.findIndex((line) => line.includes('Interrupt received'));
      const paused = lines.findIndex((line) =>
        line.startsWith(`Run paused: replica ${firstOwner} is shutting down`),
      );
      const resumed = lines.findIndex((line) => line.startsWith(`Resumed by replica ${secondOwner}`));
      // Tofu was interrupted (and saved its state) before the lease was let go, and only then resumed.
      expect(interrupted).toBeGreaterThanOrEqual(0);
      expect(paused).toBeGreaterThan(interrupted);
      expect(resumed).toBeGreaterThan(paused);
      // The resumed apply created only what the interrupted one had not.
      const createdBy = (events: SseEvent[]) =>
        events
          .filter((e) => e.event === 'resource' && e.data.status === 'complete' && e.data.action === 'create')
          .map((e) => e.data.address);
      expect(createdBy(after.events)).toContain('hcloud_server.worker["fsn1/w1"]');
      expect(createdBy(after.events)).not.toContain('hcloud_network.main["fsn1"]');
      expect(createdBy(before.events)).toContain('hcloud_network.main["fsn1"]');
    } finally {
      await db.end();
      second.child.kill('SIGTERM');
    }
  });
});

describe('live streams across api processes', { timeout: 180_000 }, () => {
  /**
   * Creates a deployment through `base` and returns its id, in a Hetzner project of its own: the run of the test
   * before goes on waiting for its kubeconfig, and runs in one project wait for each other.
   */
  async function provision(
    base: string,
    cookie: string,
    subdomain: string,
    projectId: string,
  ): Promise<string> {
    const request = provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.works', subdomain } });
    const created = await fetch(`${base}/api/v1/deployments`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        ...request,
        credentials: { ...request.credentials, hetznerProjectId: projectId },
      }),
    });
    expect(created.status).toBe(201);
    return ((await created.json()) as { id: string }).id;
  }

  /** The stored events of `id`: how many, the lowest and highest number, and the deployment's counter. */
  async function storedEvents(db: pg.Client, id: string) {
    const { rows } = await db.query<{ count: number; min: number; max: number; counter: number }>(
      `select count(*)::int as count, min(seq)::int as min, max(seq)::int as max,
              (select event_seq from deployments where id = $1)::int as counter
         from deployment_events where deployment_id = $1`,
      [id],
    );
    return rows[0] as { count: number; min: number; max: number; counter: number };
  }

  it('keeps the event sequence gapless across a kill -9 of the api in the middle of a burst of tofu output', async () => {
    const burst = 40_000;
    writeTofuControl(tofu.controlPath, { resourceDelayMs: 5, planLogLines: burst });
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const first = await startApi();
    try {
      const cookie = await signIn(first.base);
      const id = await provision(first.base, cookie, 'burst', '7000001');
      await eventually(
        'the burst is being stored',
        async () => (await storedEvents(db, id)).count > 3_000,
        60_000,
      );
      const exited = new Promise((resolve) => first.child.once('exit', resolve));
      first.child.kill('SIGKILL');
      await exited;

      // Killed mid-burst: what was stored is every number from 1 to the counter, once (batches are atomic).
      const afterKill = await storedEvents(db, id);
      expect(afterKill).toEqual({
        count: afterKill.counter,
        min: 1,
        max: afterKill.counter,
        counter: afterKill.counter,
      });
      const { rows } = await db.query(
        `select 1 from deployment_events where deployment_id = $1 and payload->>'line' like $2`,
        [id, `%(${burst} of ${burst})%`],
      );
      expect(rows, 'the kill came before the end of the burst').toHaveLength(0);

      // The next api resumes the run and numbers on from the counter, still without a gap.
      writeTofuControl(tofu.controlPath, { resourceDelayMs: 5 });
      const second = await startApi();
      try {
        const stream = await new SseClient(`${second.base}/api/v1/deployments/${id}/logs`, {
          cookie,
          'last-event-id': String(afterKill.counter),
        }).open();
        await stream.waitFor(
          (e) => e.event === 'log' && String(e.data.line).includes('Waiting for the new control plane'),
          120_000,
        );
        expect(stream.events[0]?.id).toBe(afterKill.counter + 1);
        const resumed = await storedEvents(db, id);
        expect(resumed).toEqual({
          count: resumed.counter,
          min: 1,
          max: resumed.counter,
          counter: resumed.counter,
        });
        await stream.close();
      } finally {
        second.child.kill('SIGTERM');
      }
    } finally {
      await db.end();
    }
  });

  it('delivers every event of one run to readers on two api processes', async () => {
    writeTofuControl(tofu.controlPath, { resourceDelayMs: 5, planLogLines: 3_000 });
    const one = await startApi();
    const two = await startApi();
    try {
      const cookie = await signIn(one.base);
      const id = await provision(one.base, cookie, 'twofold', '7000002');
      const readers = await Promise.all(
        [one, two, one, two].map((api) =>
          new SseClient(`${api.base}/api/v1/deployments/${id}/logs`, { cookie }).open(),
        ),
      );
      const waiting = (e: SseEvent) =>
        e.event === 'log' && String(e.data.line).includes('Waiting for the new control plane');
      await Promise.all(readers.map((reader) => reader.waitFor(waiting, 120_000)));
      const last = (await readers[0]?.waitFor(waiting))?.id as number;
      for (const reader of readers) {
        const ids = reader.events.map((e) => e.id as number).filter((seq) => seq <= last);
        expect(ids).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      }
      await Promise.all(readers.map((reader) => reader.close()));
    } finally {
      one.child.kill('SIGTERM');
      two.child.kill('SIGTERM');
    }
  });
});
