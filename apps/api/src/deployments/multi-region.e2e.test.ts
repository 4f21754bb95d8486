import { expectedKitReleases } from '@catalyst/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServerEmulator } from '../../test/fixtures/kube/kube-apiserver.emulator.js';
import { writeTofuControl } from '../../test/fixtures/tofu/tofu-fixture.js';
import { eventually } from '../../test/helpers/eventually.js';
import { convergedKit, KIT_NAMESPACE } from '../../test/helpers/kit.js';
import { FAKE_HETZNER_TOKEN, inRegions, provisionRequest } from '../../test/helpers/provision-request.js';
import { type ProvisioningStack, startProvisioningStack } from '../../test/helpers/provisioning-stack.js';
import type { SseClient } from '../../test/helpers/sse-client.js';
import type { TestApp } from '../../test/helpers/test-app.js';
import { SECRET_KEYS, type SecretKeys } from '../crypto/keys.js';
import { kubeconfigTokenOf } from './run-secrets.js';

/*
 * A two-region Sovereign on the emulators: one tofu run builds both regions, each region's "cluster" is its own
 * kube-apiserver emulator (on the address the tofu stand-in gives that region's servers), each posts its own
 * kubeconfig back with its own token, and each region's kit is watched.
 */

const ADDRESSES = { fsn1: '127.0.0.2', nbg1: '127.0.0.3' } as const;
type Region = keyof typeof ADDRESSES;
const REGIONS = Object.keys(ADDRESSES) as Region[];

let stack: ProvisioningStack;
let clusters: Record<Region, KubeApiServerEmulator>;
let pdns: ProvisioningStack['pdns'];
let t: TestApp;
let base: string;
let hetzner: ProvisioningStack['hetzner'];
let db: pg.Client;
let tofu: ProvisioningStack['tofu'];
const api = (method: string, path: string, body?: unknown) => stack.api(method, path, body);
const stream = (id: string) => stack.stream(id);

function postKubeconfig(id: string, tokenOf: Region, cluster: Region) {
  return fetch(`${base}/api/v1/deployments/${id}/kubeconfig`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${kubeconfigTokenOf(t.app.get<SecretKeys>(SECRET_KEYS), id, tokenOf)}`,
      'content-type': 'application/yaml',
    },
    body: clusters[cluster].kubeconfig(),
  });
}

const twoRegions = (subdomain: string) =>
  provisionRequest({
    topology: inRegions(REGIONS),
    domain: { mode: 'pool', poolDomain: 'omani.works', subdomain },
  });

/** Starts a two-region run and waits until it waits for both kubeconfigs. */
async function waitingRun(subdomain: string): Promise<{ id: string; client: SseClient }> {
  writeTofuControl(tofu.controlPath, { resourceDelayMs: 2 });
  const created = await api('POST', '/api/v1/deployments', twoRegions(subdomain));
  expect(created.status).toBe(201);
  const { id } = created.json();
  const client = await stream(id);
  await client.waitFor(
    (e) => e.event === 'log' && String(e.data.line).includes('Waiting for the control planes of fsn1, nbg1'),
  );
  return { id, client };
}

beforeAll(async () => {
  // Both "clusters" on one port (the api's CATALYST_KUBE_API_PORT), each at its region's address.
  const fsn1 = new KubeApiServerEmulator({ tls: true, host: ADDRESSES.fsn1 });
  await fsn1.start();
  const nbg1 = new KubeApiServerEmulator({ tls: true, host: ADDRESSES.nbg1, port: fsn1.port });
  await nbg1.start();
  clusters = { fsn1, nbg1 };
  stack = await startProvisioningStack({
    publicIpv4: ADDRESSES,
    env: {
      CATALYST_KUBE_API_PORT: String(fsn1.port),
      CATALYST_FIRST_SEEN_TIMEOUT: '20s',
      CATALYST_MAX_RUNS_PER_PROJECT: '5',
    },
  });
  ({ pdns, t, base, hetzner, db, tofu } = stack);
});
afterAll(async () => {
  await stack?.close();
  for (const cluster of Object.values(clusters ?? {})) await cluster.stop();
});

describe('a two-region Sovereign', { timeout: 120_000 }, () => {
  let id: string;

  it('builds both regions in one run, takes one kubeconfig from each, watches both kits and becomes ready', async () => {
    for (const region of REGIONS) convergedKit(clusters[region]);
    const run = await waitingRun('twin');
    id = run.id;
    const { client } = run;

    // One region's token does not carry the other's cluster: the server must be that region's address.
    const crossed = await postKubeconfig(id, 'fsn1', 'nbg1');
    expect(crossed.status).toBe(422);
    expect((await crossed.json()).error.code).toBe('invalid_kubeconfig');
    expect((await postKubeconfig(id, 'fsn1', 'fsn1')).status).toBe(204);
    // fsn1's kubeconfig phase is done; the run still waits for nbg1's.
    const kubeconfigPhases = async () => {
      const snapshot = (await api('GET', `/api/v1/deployments/${id}`)).json();
      return snapshot.regions.map((r: { phases: { status: string }[] }) => r.phases[1]?.status).join(',');
    };
    await eventually(
      'fsn1 to have its kubeconfig',
      async () => (await kubeconfigPhases()) === 'succeeded,running',
    );
    expect((await postKubeconfig(id, 'nbg1', 'nbg1')).status).toBe(204);
    expect((await postKubeconfig(id, 'nbg1', 'nbg1')).status).toBe(409);
    await client.waitFor((e) => e.event === 'deployment' && e.data.status === 'ready');
    await client.close();

    // Tofu built every region: each region's resources carry its name and region.
    const resources = client.events.filter((e) => e.event === 'resource' && e.data.status === 'complete');
    for (const region of REGIONS) {
      const mine = resources.filter((e) => e.data.region === region).map((e) => String(e.data.address));
      expect(mine, region).toEqual(
        expect.arrayContaining([
          `hcloud_network.main["${region}"]`,
          `hcloud_load_balancer.main["${region}"]`,
          `hcloud_server.control_plane["${region}/cp1"]`,
          `hcloud_server.worker["${region}/w1"]`,
        ]),
      );
    }
    const servers = [...hetzner.project().collection<{ name: string }>('servers').values()].map(
      (s) => s.name,
    );
    expect(servers.sort()).toEqual(
      ['fsn1-cp1', 'fsn1-w1', 'nbg1-cp1', 'nbg1-w1'].map((n) => `catalyst-twin-omani-works-${n}`),
    );

    const snapshot = (await api('GET', `/api/v1/deployments/${id}`)).json();
    expect(snapshot.status).toBe('ready');
    expect(snapshot.regions).toEqual(
      REGIONS.map((region) => ({
        region,
        provider: 'hetzner',
        phases: ['infrastructure', 'kubeconfig', 'bootstrap-kit'].map((name) => ({
          name,
          status: 'succeeded',
        })),
        controlPlaneIP: ADDRESSES[region],
        loadBalancerIP: ADDRESSES[region],
      })),
    );
    const expected = expectedKitReleases(['harbor', 'trivy']);
    expect(snapshot.components).toHaveLength(expected.length * 2);
    for (const region of REGIONS) {
      const mine = snapshot.components.filter((c: { region: string }) => c.region === region);
      expect(mine.map((c: { id: string }) => c.id)).toEqual(expected);
      expect(mine.every((c: { state: string }) => c.state === 'installed')).toBe(true);
      // Both kits were watched: each region's component events are its own.
      const events = client.events.filter((e) => e.event === 'component' && e.data.region === region);
      expect(new Set(events.map((e) => e.data.component))).toEqual(new Set(expected));
    }
    // The primary's addresses are the deployment's result; each region has its own name in DNS.
    expect(snapshot.result.loadBalancerIP).toBe(ADDRESSES.fsn1);
    expect(pdns.dig('fsn1.twin.omani.works', 'A', '+short')).toEqual([ADDRESSES.fsn1]);
    expect(pdns.dig('console.nbg1.twin.omani.works', 'A', '+short')).toEqual([ADDRESSES.nbg1]);

    // Each region's kubeconfig can be downloaded by name; an unknown region is a clear 400.
    const nbg1 = await api('GET', `/api/v1/deployments/${id}/kubeconfig?region=nbg1`);
    expect(nbg1.status).toBe(200);
    expect(nbg1.text).toContain(`https://${ADDRESSES.nbg1}:`);
    const unknown = await api('GET', `/api/v1/deployments/${id}/kubeconfig?region=hel1`);
    expect(unknown.status).toBe(400);
    expect(unknown.json().error.code).toBe('unknown_region');
  });

  it('wipes every region and releases the name', async () => {
    const wipe = await api('POST', `/api/v1/deployments/${id}/wipe`, { hetznerToken: FAKE_HETZNER_TOKEN });
    expect(wipe.status).toBe(202);
    const client = await stream(id);
    await client.waitFor((e) => e.event === 'deployment' && e.data.status === 'wiped');
    await client.close();
    for (const kind of [
      'servers',
      'load_balancers',
      'networks',
      'firewalls',
      'primary_ips',
      'floating_ips',
    ]) {
      expect([...hetzner.project().collection(kind).values()], kind).toEqual([]);
    }
    expect(pdns.dig('console.twin.omani.works', 'A', '+short')).toEqual([]);
    const { rows } = await db.query(
      'select sealed_kubeconfig, load_balancer_ip from deployment_regions where deployment_id = $1',
      [id],
    );
    expect(rows).toEqual([
      { sealed_kubeconfig: null, load_balancer_ip: null },
      { sealed_kubeconfig: null, load_balancer_ip: null },
    ]);
  });

  it("fails naming the region whose kit failed, while the other region's kit is Ready", async () => {
    convergedKit(clusters.fsn1);
    convergedKit(clusters.nbg1);
    clusters.nbg1.failed(KIT_NAMESPACE, 'bp-harbor', 'InstallFailed', 'harbor: image pull failed');
    const { id: failing, client } = await waitingRun('halfkit');
    for (const region of REGIONS) expect((await postKubeconfig(failing, region, region)).status).toBe(204);
    await client.waitFor((e) => e.event === 'deployment' && e.data.status === 'failed');
    await client.close();
    const snapshot = (await api('GET', `/api/v1/deployments/${failing}`)).json();
    expect(snapshot.error).toMatch(/^bootstrap-kit: region nbg1: /);
    expect(snapshot.error).not.toContain('fsn1');
    const kit = (region: Region) =>
      snapshot.regions
        .find((r: { region: string }) => r.region === region)
        .phases.find((p: { name: string }) => p.name === 'bootstrap-kit');
    expect(kit('fsn1')).toEqual({ name: 'bootstrap-kit', status: 'succeeded' });
    expect(kit('nbg1')).toMatchObject({ name: 'bootstrap-kit', status: 'failed' });
    expect(kit('nbg1').error).toContain('harbor: image pull failed');
    const harbor = (region: Region) =>
      snapshot.components.find(
        (c: { id: string; region: string }) => c.id === 'harbor' && c.region === region,
      );
    expect(harbor('fsn1').state).toBe('installed');
    expect(harbor('nbg1').state).toBe('failed');
    await api('POST', `/api/v1/deployments/${failing}/wipe`, { hetznerToken: FAKE_HETZNER_TOKEN });
  });

  it('takes a post-back while a run write holds the deployment and moves that region: one lock order, no deadlock', async () => {
    const { id: racing, client } = await waitingRun('lockorder');
    // What every run write does (FencedRunWrites): the deployment row first, then a region's row.
    const runWrite = new pg.Client({ connectionString: t.databaseUrl });
    await runWrite.connect();
    try {
      await runWrite.query('begin');
      await runWrite.query('select 1 from deployments where id = $1 for no key update', [racing]);
      const posting = postKubeconfig(racing, 'nbg1', 'nbg1');
      await eventually('the post-back to wait for the deployment row', async () => {
        const { rows } = await db.query(
          `select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`,
        );
        return rows[0].n > 0;
      });
      // Had the post-back taken the region's row before the deployment's, this would deadlock with it.
      await runWrite.query(
        `update deployment_regions set kubeconfig_status = 'running' where deployment_id = $1 and region = 'nbg1'`,
        [racing],
      );
      await runWrite.query('commit');
      expect((await posting).status).toBe(204);
    } finally {
      await runWrite.end();
    }
    expect((await api('POST', `/api/v1/deployments/${racing}/cancel`)).status).toBe(200);
    await client.waitFor((e) => e.event === 'deployment' && e.data.status === 'cancelled');
    await client.close();
  });

  it('refuses a region of a provider without a module (422) and the same region twice (400)', async () => {
    const aws = provisionRequest({
      topology: {
        haEnabled: false,
        regions: [
          {
            provider: 'hetzner',
            cloudRegion: 'fsn1',
            controlPlaneSize: 'cpx32',
            workerSize: 'cpx42',
            workerCount: 0,
          },
          {
            provider: 'aws',
            cloudRegion: 'eu-central-1',
            controlPlaneSize: 'x',
            workerSize: 'x',
            workerCount: 0,
          },
        ],
      },
      domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'mixed' },
    });
    const refused = await api('POST', '/api/v1/deployments', aws);
    expect(refused.status).toBe(422);
    expect(refused.json().error).toMatchObject({
      code: 'provider_not_available',
      message: 'Amazon Web Services is not available yet; Catalyst provisions on Hetzner Cloud today',
      details: { issues: [{ path: 'topology.regions.1.provider' }] },
    });
    const twice = twoRegions('twice');
    twice.topology.regions[1] = { ...(twice.topology.regions[0] as (typeof twice.topology.regions)[number]) };
    const duplicate = await api('POST', '/api/v1/deployments', twice);
    expect(duplicate.status).toBe(400);
    expect(duplicate.json().error.details.issues).toEqual([
      {
        path: 'topology.regions.1.cloudRegion',
        message: 'fsn1 is already one of the regions: each region once',
      },
    ]);
    const held = await db.query(`select count(*)::int as n from deployments where fqdn in ($1, $2)`, [
      'mixed.omani.works',
      'twice.omani.works',
    ]);
    expect(held.rows[0].n).toBe(0);
  });
});
