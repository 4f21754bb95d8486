import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServerEmulator, type KubeObject } from '../../test/fixtures/kube/kube-apiserver.emulator.js';
import { eventually } from '../../test/helpers/eventually.js';
import { convergedKit } from '../../test/helpers/kit.js';
import { provisionRequest } from '../../test/helpers/provision-request.js';
import { type ProvisioningStack, startProvisioningStack } from '../../test/helpers/provisioning-stack.js';
import type { TestApp } from '../../test/helpers/test-app.js';
import { SECRET_KEYS, type SecretKeys } from '../crypto/keys.js';
import { kubeconfigTokenOf } from './run-secrets.js';

/** A password with every character URL-encoding must carry through SMTP_URL. */
const PASSWORD = 'Sm7p:P@ss/w0rd%?#&+ é';
const SMTP = {
  host: 'smtp.omantel.example',
  port: 587,
  security: 'starttls' as const,
  username: 'mailer@omantel.example',
  password: PASSWORD,
  from: 'Omantel Cloud <no-reply@omantel.example>',
};

let stack: ProvisioningStack;
let kube: KubeApiServerEmulator;
let t: TestApp;
let base: string;
let db: pg.Client;
const api = (method: string, path: string, body?: unknown) => stack.api(method, path, body);

/** Runs the deployment to `ready`: the kubeconfig post-back of the emulator, then the converged kit. */
async function runToReady(id: string): Promise<void> {
  const phase = async (name: string) =>
    (await api('GET', `/api/v1/deployments/${id}`))
      .json()
      .phases.find((p: { name: string }) => p.name === name)?.status;
  await eventually(
    'flux-bootstrap waits for the kubeconfig',
    async () => (await phase('flux-bootstrap')) === 'running',
  );
  const token = kubeconfigTokenOf(t.app.get<SecretKeys>(SECRET_KEYS), id, 'fsn1');
  const posted = await fetch(`${base}/api/v1/deployments/${id}/kubeconfig`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' },
    body: kube.kubeconfig(),
  });
  expect(posted.status).toBe(204);
  await eventually(
    'the deployment to be ready',
    async () => (await api('GET', `/api/v1/deployments/${id}`)).json().status === 'ready',
    60_000,
  );
}

function secretValues(): Record<string, string> | undefined {
  const secret = kube
    .objects<KubeObject & { data?: Record<string, string> }>('Secret', 'catalyst-system')
    .find((s) => s.metadata.name === 'catalyst-smtp');
  if (!secret) return undefined;
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value, 'base64').toString('utf8'),
    ]),
  );
}

/** Every row of every table, as text. */
async function databaseDump(): Promise<string> {
  const tables = await db.query(
    `select table_schema, table_name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`,
  );
  let dump = '';
  for (const { table_schema, table_name } of tables.rows) {
    const rows = await db.query(`select t::text as row from "${table_schema}"."${table_name}" t`);
    dump += rows.rows.map((r) => r.row).join('\n');
  }
  return dump;
}

beforeAll(async () => {
  // The new Sovereign's API, its kit converged; without catalyst-system, which the run must create.
  kube = new KubeApiServerEmulator({ tls: true });
  await kube.start();
  convergedKit(kube);
  stack = await startProvisioningStack({
    publicIpv4: '127.0.0.1',
    env: { CATALYST_MAX_RUNS_PER_PROJECT: '5', CATALYST_KUBE_API_PORT: String(kube.port) },
  });
  ({ t, base, db } = stack);
});
afterAll(async () => {
  await stack.close();
  await kube.stop();
});

describe("the Sovereign's own mail", { timeout: 120_000 }, () => {
  it('hands the SMTP settings to the Sovereign as the Secret catalyst-smtp, and the password nowhere else', async () => {
    const created = await api(
      'POST',
      '/api/v1/deployments',
      provisionRequest({
        domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'mailer' },
        smtp: SMTP,
      }),
    );
    expect(created.status).toBe(201);
    const { id } = created.json();
    // Sealed at rest until the run hands it over; the stored request keeps the rest.
    const before = await db.query('select request, sealed_smtp_password from deployments where id = $1', [
      id,
    ]);
    expect(before.rows[0].sealed_smtp_password).toEqual(expect.any(String));
    expect(before.rows[0].request.smtp).toEqual({
      host: 'smtp.omantel.example',
      port: 587,
      security: 'starttls',
      username: 'mailer@omantel.example',
      from: 'Omantel Cloud <no-reply@omantel.example>',
    });
    expect((await databaseDump()).includes(PASSWORD)).toBe(false);

    await runToReady(id);

    const secret = secretValues();
    expect(secret).toEqual({
      SMTP_URL: `smtp://mailer%40omantel.example:${encodeURIComponent(PASSWORD)}@smtp.omantel.example:587?requireTLS=true`,
      MAIL_FROM: 'Omantel Cloud <no-reply@omantel.example>',
    });
    // What nodemailer reads back out of that URL is the password given.
    expect(decodeURIComponent(new URL(secret?.SMTP_URL ?? '').password)).toBe(PASSWORD);
    expect(kube.objects('Namespace').some((ns) => ns.metadata.name === 'catalyst-system')).toBe(true);

    // Handed over: the mothership keeps no copy, sealed or not.
    const after = await db.query('select sealed_smtp_password from deployments where id = $1', [id]);
    expect(after.rows[0].sealed_smtp_password).toBeNull();

    const events = await db.query(
      'select payload::text as payload from deployment_events where deployment_id = $1',
      [id],
    );
    const streamed = events.rows.map((r) => r.payload).join('\n');
    expect(streamed).toContain('Mail settings handed to the Sovereign');
    expect(streamed).toContain('smtp.omantel.example:587');
    const haystacks = {
      events: streamed,
      logs: t.logs.text,
      database: await databaseDump(),
      get: (await api('GET', `/api/v1/deployments/${id}`)).text,
      list: (await api('GET', '/api/v1/deployments')).text,
    };
    for (const [where, text] of Object.entries(haystacks)) {
      expect(text.includes(PASSWORD), where).toBe(false);
      expect(text.includes(encodeURIComponent(PASSWORD)), where).toBe(false);
    }
    expect(t.logs.text).toContain('mail settings handed to the Sovereign');
  });

  it('applies no Secret for a request without SMTP', async () => {
    kube.deleteObject('Secret', 'catalyst-system', 'catalyst-smtp');
    const smtpWrites = () =>
      kube.writes.filter((w) => w.kind === 'Secret' && w.name === 'catalyst-smtp').length;
    const writesBefore = smtpWrites();
    const created = await api(
      'POST',
      '/api/v1/deployments',
      provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'nomail' } }),
    );
    expect(created.status).toBe(201);
    const { id } = created.json();
    await runToReady(id);
    expect(secretValues()).toBeUndefined();
    expect(smtpWrites()).toBe(writesBefore);
    const row = await db.query('select request, sealed_smtp_password from deployments where id = $1', [id]);
    expect(row.rows[0].request.smtp).toBeUndefined();
    expect(row.rows[0].sealed_smtp_password).toBeNull();
  });

  it('refuses bad SMTP settings with 400, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ ...SMTP, port: 0 }, 'smtp.port'],
      [{ ...SMTP, port: 65536 }, 'smtp.port'],
      [{ ...SMTP, starttls: true }, 'smtp.starttls'],
      [{ host: SMTP.host, from: SMTP.from, password: PASSWORD }, 'smtp.username'],
      [{ host: SMTP.host, from: SMTP.from, username: 'mailer' }, 'smtp.password'],
      [{ ...SMTP, from: 'no-reply' }, 'smtp.from'],
      [{ ...SMTP, from: 'a@omantel.example, b@omantel.example' }, 'smtp.from'],
      [{ ...SMTP, security: 'ssl' }, 'smtp.security'],
      [{ ...SMTP, host: 'smtp server' }, 'smtp.host'],
    ];
    for (const [smtpField, path] of cases) {
      const res = await api(
        'POST',
        '/api/v1/deployments',
        provisionRequest({
          domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'badmail' },
          smtp: smtpField as never,
        }),
      );
      expect(res.status, path).toBe(400);
      expect(res.json().error.code, path).toBe('validation_failed');
      expect(
        res.json().error.details.issues.map((i: { path: string }) => i.path),
        path,
      ).toContain(path);
      expect(res.text.includes(PASSWORD), path).toBe(false);
    }
    const held = await db.query(
      `select count(*)::int as n from deployments where fqdn = 'badmail.omani.works'`,
    );
    expect(held.rows[0].n).toBe(0);
  });
});
