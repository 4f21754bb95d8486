import { deploymentSchema } from '@catalyst/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually } from '../../test/helpers/eventually.js';
import { inRegions, provisionRequest } from '../../test/helpers/provision-request.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { ComponentsService } from './components.service.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { toDeployment } from './deployments.service.js';

const ADMIN = 'snapshot-admin@catalyst.test';
let t: TestApp;
let smtp: SmtpPeer;
let db: pg.Client;
let cookie: string;

beforeAll(async () => {
  smtp = new SmtpPeer();
  t = await startTestApp({
    // No tofu: the run stops at preflight, which leaves a settled record to read.
    env: {
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: ADMIN,
      CATALYST_TOFU_BIN: '/nonexistent/tofu',
    },
  });
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  cookie = await signIn(t.app, smtp, ADMIN);
});
afterAll(async () => {
  await db?.end();
  await t?.close();
  await smtp?.stop();
});

const get = (id: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1/deployments/${id}`, headers: { cookie } });

/** The snapshot as the repository's separate reads build it (the deployment, its phases, components, regions). */
async function readSeparately(id: string) {
  const repo = t.app.get(DeploymentsRepository);
  const row = await repo.get(id);
  if (!row) throw new Error('no such deployment');
  const components = await t.app.get(ComponentsService).list(id);
  return toDeployment(
    row,
    await repo.phases(id),
    components.map(({ updatedAt: _, ...c }) => c),
    await repo.regions(id),
  );
}

describe('GET /api/v1/deployments/:id (one query)', () => {
  it('answers exactly what the separate reads of the row, its phases and its components give, within the contract', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/deployments',
      headers: { cookie },
      payload: provisionRequest({
        domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'snapshot' },
      }),
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    await eventually(
      'the run to stop',
      async () => !['queued', 'running'].includes((await get(id)).json().status),
    );

    // Every optional part filled in somewhere, with timestamps finer than a millisecond.
    await db.query(
      `update deployments set result = $2, error = 'it broke', has_cloud_resources = true,
              updated_at = '2026-01-02T03:04:05.678901Z' where id = $1`,
      [
        id,
        { controlPlaneIP: '192.0.2.1', loadBalancerIP: '192.0.2.2', consoleURL: 'https://console.example' },
      ],
    );
    await db.query(
      `update deployment_phases set status = 'succeeded', started_at = '2026-01-02T03:04:05.123456Z',
              finished_at = '2026-01-02T03:05:06.999999Z', error = null
        where deployment_id = $1 and name = 'tofu-init'`,
      [id],
    );
    await db.query(
      `insert into deployment_components (deployment_id, region, component_id, state, message)
       values ($1, 'fsn1', 'cilium', 'installed', null), ($1, 'fsn1', 'gitea', 'failed', 'chart not found'),
              ($1, 'fsn1', 'not-in-the-kit', 'installed', 'ignored'), ($1, 'hel1', 'cilium', 'failed', 'not a region of it')
       on conflict (deployment_id, region, component_id)
       do update set state = excluded.state, message = excluded.message`,
      [id],
    );
    await db.query(
      `update deployment_regions set infrastructure_status = 'succeeded', kubeconfig_status = 'failed',
              error = 'no kubeconfig', control_plane_ip = '192.0.2.1', load_balancer_ip = '192.0.2.2'
        where deployment_id = $1`,
      [id],
    );

    const response = await get(id);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual(await readSeparately(id));
    expect(deploymentSchema.parse(body)).toEqual(body);
    expect(body.phases.find((p: { name: string }) => p.name === 'tofu-init')).toMatchObject({
      status: 'succeeded',
      startedAt: '2026-01-02T03:04:05.123Z',
      finishedAt: '2026-01-02T03:05:06.999Z',
    });
    expect(body.components.map((c: { id: string }) => c.id)).not.toContain('not-in-the-kit');
    expect(body.components.find((c: { id: string }) => c.id === 'gitea')).toEqual({
      id: 'gitea',
      region: 'fsn1',
      state: 'failed',
      message: 'chart not found',
    });
    // Only the deployment's regions have components; the failed phase of a region carries its error.
    expect(body.components.every((c: { region: string }) => c.region === 'fsn1')).toBe(true);
    expect(body.regions).toEqual([
      {
        region: 'fsn1',
        provider: 'hetzner',
        phases: [
          { name: 'infrastructure', status: 'succeeded' },
          { name: 'kubeconfig', status: 'failed', error: 'no kubeconfig' },
          { name: 'bootstrap-kit', status: 'pending' },
        ],
        controlPlaneIP: '192.0.2.1',
        loadBalancerIP: '192.0.2.2',
      },
    ]);
  });

  it('answers 404 in the one error shape for an unknown id', async () => {
    const response = await get('00000000-0000-4000-8000-000000000000');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('deployment_not_found');
  });
});

describe('GET /api/v1/deployments', () => {
  it('lists every deployment exactly as its own snapshot, reading the parts of all of them in three queries', async () => {
    const create = async (subdomain: string, regions: string[]) => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/deployments',
        headers: { cookie },
        payload: provisionRequest({
          topology: inRegions(regions),
          domain: { mode: 'pool', poolDomain: 'omani.works', subdomain },
        }),
      });
      expect(created.statusCode).toBe(201);
      const { id } = created.json();
      await eventually(
        'the run to stop',
        async () => !['queued', 'running'].includes((await get(id)).json().status),
      );
      return id as string;
    };
    const one = await create('list-one', ['fsn1']);
    const two = await create('list-two', ['fsn1', 'nbg1']);
    await db.query(
      `insert into deployment_components (deployment_id, region, component_id, state, message)
       values ($1, 'nbg1', 'cilium', 'installed', null), ($2, 'fsn1', 'cilium', 'failed', 'crash loop')
       on conflict (deployment_id, region, component_id)
       do update set state = excluded.state, message = excluded.message`,
      [two, one],
    );

    const repo = t.app.get(DeploymentsRepository);
    const perDeployment = (['phases', 'regions', 'components'] as const).map((read) => vi.spyOn(repo, read));
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/deployments', headers: { cookie } });
    expect(listed.statusCode).toBe(200);
    const { deployments } = listed.json() as { deployments: { id: string }[] };
    for (const spy of perDeployment) expect(spy).not.toHaveBeenCalled();
    for (const spy of perDeployment) spy.mockRestore();

    expect(deployments.map((d) => d.id)).toEqual(expect.arrayContaining([one, two]));
    for (const listedOne of deployments) expect(listedOne).toEqual((await get(listedOne.id)).json());
    const listedTwo = deployments.find((d) => d.id === two) as unknown as { regions: { region: string }[] };
    expect(listedTwo.regions.map((r) => r.region)).toEqual(['fsn1', 'nbg1']);
  });
});
