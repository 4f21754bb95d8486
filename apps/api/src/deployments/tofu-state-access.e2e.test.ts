import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PDNS_TEST_API_KEY, PowerDnsServer } from '../../test/fixtures/powerdns/powerdns-server.js';
import { readInvocations, writeTofuControl } from '../../test/fixtures/tofu/tofu-fixture.js';
import { createTestDatabase } from '../../test/helpers/database.js';
import { eventually } from '../../test/helpers/eventually.js';
import { FAKE_HETZNER_TOKEN, provisionRequest } from '../../test/helpers/provision-request.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { fixtureTofuBin } from '../../test/helpers/tofu-bin.js';
import { deriveRunSecret, SECRET_KEYS, type SecretKeys } from '../crypto/keys.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { DeploymentsService } from './deployments.service.js';
import { TOFU_MODULE_DIR } from './phases/tofu.js';
import { RunScheduler } from './run.scheduler.js';
import { tofuConnectionString, tofuStateSchema } from './tofu-state-access.js';
import { cliConfigPath, workdirFor } from './workdir.js';

/*
 * OpenTofu's database rights (issue 11): the pg backend logs in as a role of its own, limited to the
 * deployment's state schema; and providers come from CATALYST_TOFU_PLUGIN_MIRROR when it is set.
 * The real api runs the tofu fixture, which speaks the pg backend against the test PostgreSQL.
 */

const user = {
  userId: null as never,
  email: 'ops@catalyst.test',
  roles: ['superadmin' as const],
  sessionId: 'x',
};
const PERMISSION_DENIED = '42501';

let pdns: PowerDnsServer;
let tofu: ReturnType<typeof fixtureTofuBin>;
let mirror: string;
/** The hcloud version infra/hetzner pins (required_providers): the one the mirror must hold. */
const HCLOUD_VERSION = /hcloud\s*=\s*\{[^}]*?\bversion\s*=\s*"(\d+\.\d+\.\d+)"/.exec(
  readFileSync(join(TOFU_MODULE_DIR, 'versions.tf'), 'utf8'),
)?.[1];
const cleanups: (() => Promise<void>)[] = [];
/** Cluster-wide roles the external-database tests leave (tofu's first, then the api users that made them). */
const rolesToDrop: string[] = [];

/** A variable of the api's own environment: no tofu process may see it. */
const API_ONLY = 'CATALYST_TEST_API_ONLY_VARIABLE';

beforeAll(async () => {
  process.env[API_ONLY] = 'the api process has it';
  pdns = new PowerDnsServer();
  await pdns.start();
  tofu = fixtureTofuBin();
  // A provider mirror in the unpacked layout `tofu providers mirror` documents, for this platform.
  mirror = mkdtempSync(join(tmpdir(), 'catalyst-tofu-mirror-'));
  const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
  expect(HCLOUD_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  mkdirSync(join(mirror, 'registry.opentofu.org/hetznercloud/hcloud', `${HCLOUD_VERSION}`, platform), {
    recursive: true,
  });
  mkdirSync(join(mirror, 'registry.opentofu.org/hashicorp/tls/4.2.1', platform), { recursive: true });
});
afterAll(async () => {
  delete process.env[API_ONLY];
  for (const cleanup of cleanups.reverse()) await cleanup();
  if (rolesToDrop.length > 0) {
    // Their databases are gone, and with them every right these roles held.
    const cluster = await connectAs(inject('postgresUrl'));
    for (const role of rolesToDrop) await cluster.query(`drop role if exists "${role}"`);
    await cluster.end();
  }
  await pdns.stop();
  rmSync(tofu.dir, { recursive: true, force: true });
  rmSync(mirror, { recursive: true, force: true });
});

async function app(env: Record<string, string>, databaseUrl?: string): Promise<TestApp> {
  const started = await startTestApp({
    databaseUrl,
    env: {
      PDNS_API_URL: pdns.apiUrl,
      PDNS_API_KEY: PDNS_TEST_API_KEY,
      CATALYST_TOFU_BIN: tofu.bin,
      CATALYST_RUN_LEASE_TTL: '3s',
      ...env,
    },
  });
  cleanups.push(() => started.close());
  return started;
}

/** Creates a deployment and runs it until it stops; plan fails on purpose, so init is the last tofu step. */
async function runUntilPlan(t: TestApp, subdomain: string): Promise<{ id: string; error?: string }> {
  writeTofuControl(tofu.controlPath, { failCommand: 'plan' });
  const service = t.app.get(DeploymentsService);
  const { id } = await service.create(
    provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.works', subdomain } }),
    user,
  );
  await t.app.get(RunScheduler).tick();
  await eventually('the run to stop', async () => (await service.get(id)).status === 'failed', 60_000);
  const failed = (await service.get(id)).phases.find((p) => p.status === 'failed');
  return { id, error: failed ? `${failed.name}: ${failed.error}` : undefined };
}

async function connectAs(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function sqlState(client: pg.Client, text: string): Promise<string | undefined> {
  try {
    await client.query(text);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('tofu on its own database role', () => {
  let t: TestApp;
  let id: string;
  let role: string;

  beforeAll(async () => {
    t = await app({ CATALYST_TOFU_WORKDIR: `${tofu.dir}/own`, CATALYST_TOFU_PLUGIN_MIRROR: mirror });
    const run = await runUntilPlan(t, 'ownrole');
    id = run.id;
    role = tofuStateSchema(id);
    expect(run.error).toMatch(/^tofu-plan:/);
  });

  it('runs every tofu command as a LOGIN-only role named after the state schema', async () => {
    const admin = await connectAs(t.databaseUrl);
    try {
      const { rows } = await admin.query('select * from pg_roles where rolname = $1', [role]);
      expect(rows[0]).toMatchObject({
        rolcanlogin: true,
        rolsuper: false,
        rolcreaterole: false,
        rolcreatedb: false,
        rolinherit: false,
        rolreplication: false,
        rolbypassrls: false,
      });
    } finally {
      await admin.end();
    }
    const workdir = workdirFor(`${tofu.dir}/own`, 'ownrole.omani.works');
    const runs = readInvocations(tofu.logPath).filter((r) => r.cwd === workdir);
    expect(runs.map((r) => r.argv[0])).toEqual(['init', 'plan']);
    for (const r of runs) expect(r.pgUser).toBe(role);
  });

  it("gives no tofu process the api's own environment, `tofu version` in preflight included", () => {
    const runs = readInvocations(tofu.logPath);
    expect(runs.map((r) => r.argv[0])).toEqual(expect.arrayContaining(['version', 'init', 'plan']));
    for (const r of runs) {
      expect(r.envKeys, r.argv[0]).not.toContain(API_ONLY);
      expect(
        r.envKeys.filter((key) => !key.startsWith('CATALYST_TOFU_FIXTURE_')),
        r.argv[0],
      ).not.toEqual(expect.arrayContaining([expect.stringMatching(/^(CATALYST_|DATABASE_URL$)/)]));
    }
  });

  it('lets that role read and write its state, and nothing of the api', async () => {
    const keys = t.app.get<SecretKeys>(SECRET_KEYS);
    const password = deriveRunSecret(keys, 'tofu-db-password', id);
    const tofuDb = await connectAs(tofuConnectionString(t.databaseUrl, { name: role, password }));
    try {
      // The workspace tofu init created, through the role.
      const states = await tofuDb.query(`select name from "${role}".states`);
      expect(states.rows).toEqual([{ name: 'default' }]);
      await tofuDb.query(`insert into "${role}".states (name, data) values ('other', '{}')`);
      await tofuDb.query(`update "${role}".states set data = data where name = 'other'`);
      await tofuDb.query(`delete from "${role}".states where name = 'other'`);
      await tofuDb.query('select pg_advisory_lock(4242), pg_advisory_unlock(4242)');

      for (const table of ['deployments', 'users', 'deployment_events']) {
        expect(await sqlState(tofuDb, `select * from ${table} limit 1`), table).toBe(PERMISSION_DENIED);
      }
      expect(await sqlState(tofuDb, 'create table public.intruder (x int)')).toBe(PERMISSION_DENIED);
      expect(await sqlState(tofuDb, `create table "${role}".intruder (x int)`)).toBe(PERMISSION_DENIED);
      expect(await sqlState(tofuDb, `drop table "${role}".states`)).toBe(PERMISSION_DENIED);
      expect(await sqlState(tofuDb, 'create schema intruder')).toBe(PERMISSION_DENIED);
    } finally {
      await tofuDb.end();
    }
  });

  it('keeps the role password out of the api log and the run events', async () => {
    const password = deriveRunSecret(t.app.get<SecretKeys>(SECRET_KEYS), 'tofu-db-password', id);
    const events = await t.app.get(DeploymentsRepository).eventsAfter(id, 0);
    expect(events.length).toBeGreaterThan(3);
    expect(JSON.stringify(events)).not.toContain(password);
    expect(t.logs.text).not.toContain(password);
  });

  it('installs the provider from CATALYST_TOFU_PLUGIN_MIRROR, with the module lock file in the workdir', async () => {
    const workdir = workdirFor(`${tofu.dir}/own`, 'ownrole.omani.works');
    expect(readFileSync(cliConfigPath(workdir), 'utf8')).toContain(`path = ${JSON.stringify(mirror)}`);
    expect(readFileSync(join(workdir, '.terraform.lock.hcl'), 'utf8')).toBe(
      readFileSync(join(TOFU_MODULE_DIR, '.terraform.lock.hcl'), 'utf8'),
    );
    const [init] = readInvocations(tofu.logPath).filter((r) => r.cwd === workdir);
    expect(init?.envKeys).toContain('TF_CLI_CONFIG_FILE');
    const lines = (await t.app.get(DeploymentsRepository).eventsAfter(id, 0)).map(
      (e) => (e.payload as { line?: string }).line ?? '',
    );
    expect(lines).toContain(`- Installed hetznercloud/hcloud v${HCLOUD_VERSION} (unauthenticated)`);
  });

  it('drops the role with the state schema on wipe', async () => {
    const service = t.app.get(DeploymentsService);
    writeTofuControl(tofu.controlPath, {});
    await service.wipe(id, FAKE_HETZNER_TOKEN, user);
    await t.app.get(RunScheduler).tick();
    await eventually('the wipe to finish', async () => (await service.get(id)).status === 'wiped', 60_000);
    const admin = await connectAs(t.databaseUrl);
    try {
      expect((await admin.query('select 1 from pg_roles where rolname = $1', [role])).rowCount).toBe(0);
      expect(
        (await admin.query('select 1 from information_schema.schemata where schema_name = $1', [role]))
          .rowCount,
      ).toBe(0);
    } finally {
      await admin.end();
    }
  });
});

describe('an external database whose api user is not a superuser', () => {
  /** A database owned by a fresh login role with the given attributes, as a hosted PostgreSQL hands out. */
  async function externalDatabase(attributes: string): Promise<string> {
    const database = await createTestDatabase();
    const name = new URL(database.url).pathname.slice(1);
    const apiUser = `api_${name}`;
    const admin = await connectAs(database.url);
    await admin.query(`create role ${apiUser} login ${attributes} password 'api-user-password'`);
    await admin.query(`alter database ${name} owner to ${apiUser}`);
    await admin.end();
    cleanups.push(() => database.drop());
    rolesToDrop.push(apiUser);
    const url = new URL(database.url);
    url.username = apiUser;
    url.password = 'api-user-password';
    return url.toString();
  }

  it('gives tofu its own role when the api user has CREATEROLE', async () => {
    const t = await app(
      { CATALYST_TOFU_WORKDIR: `${tofu.dir}/createrole` },
      await externalDatabase('createrole'),
    );
    const { id, error } = await runUntilPlan(t, 'createrole');
    rolesToDrop.unshift(tofuStateSchema(id));
    expect(error).toMatch(/^tofu-plan:/);
    const workdir = workdirFor(`${tofu.dir}/createrole`, 'createrole.omani.works');
    const runs = readInvocations(tofu.logPath).filter((r) => r.cwd === workdir);
    expect(runs.map((r) => [r.argv[0], r.pgUser])).toEqual([
      ['init', tofuStateSchema(id)],
      ['plan', tofuStateSchema(id)],
    ]);
  });

  it('fails preflight with what to do when the api user may not create roles', async () => {
    const t = await app({ CATALYST_TOFU_WORKDIR: `${tofu.dir}/nocreaterole` }, await externalDatabase(''));
    const { error } = await runUntilPlan(t, 'nocreaterole');
    expect(error).toMatch(/^preflight: The database user "api_t_[0-9a-f]+" may not create roles/);
    expect(error).toContain('CATALYST_TOFU_DB_ROLE=shared');
  });

  it('lets tofu share the api role when CATALYST_TOFU_DB_ROLE=shared', async () => {
    const databaseUrl = await externalDatabase('');
    const t = await app(
      { CATALYST_TOFU_WORKDIR: `${tofu.dir}/shared`, CATALYST_TOFU_DB_ROLE: 'shared' },
      databaseUrl,
    );
    const { error } = await runUntilPlan(t, 'sharedrole');
    expect(error).toMatch(/^tofu-plan:/);
    const workdir = workdirFor(`${tofu.dir}/shared`, 'sharedrole.omani.works');
    const runs = readInvocations(tofu.logPath).filter((r) => r.cwd === workdir);
    expect(runs.map((r) => [r.argv[0], r.pgUser])).toEqual([
      ['init', new URL(databaseUrl).username],
      ['plan', new URL(databaseUrl).username],
    ]);
  });
});
