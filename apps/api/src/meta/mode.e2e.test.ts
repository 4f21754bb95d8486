import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRequest } from '../../test/helpers/provision-request.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';

const ADMIN = 'admin@catalyst.test';
const TENANT = 'tenant@catalyst.test';

let smtp: SmtpPeer;
let sovereign: TestApp;
let mothership: TestApp;
const cookies: Record<'sovereign' | 'mothership', Record<string, string>> = { sovereign: {}, mothership: {} };

async function call(t: TestApp, method: 'GET' | 'POST', url: string, cookie?: string, payload?: unknown) {
  const response = await t.app.inject({
    method,
    url,
    headers: cookie ? { cookie } : {},
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  return { status: response.statusCode, body: response.json() };
}

async function countRows(t: TestApp, table: 'deployments' | 'domain_allocations'): Promise<number> {
  const db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(`select count(*)::int as n from ${table}`);
    return rows[0].n;
  } finally {
    await db.end();
  }
}

beforeAll(async () => {
  smtp = new SmtpPeer();
  const SMTP_URL = await smtp.start();
  const env = { SMTP_URL, CATALYST_ADMIN_EMAILS: ADMIN };
  [sovereign, mothership] = await Promise.all([
    startTestApp({ env: { ...env, CATALYST_MODE: 'sovereign' } }),
    startTestApp({ env }),
  ]);
  for (const [name, t] of [
    ['sovereign', sovereign],
    ['mothership', mothership],
  ] as const) {
    cookies[name][ADMIN] = await signIn(t.app, smtp, ADMIN);
    cookies[name][TENANT] = await signIn(t.app, smtp, TENANT);
  }
});
afterAll(async () => {
  await Promise.all([sovereign?.close(), mothership?.close()]);
  await smtp.stop();
});

describe('CATALYST_MODE=sovereign', () => {
  it('tells anyone, signed in or not, that it is a Sovereign', async () => {
    expect(await call(sovereign, 'GET', '/api/v1/meta')).toEqual({
      status: 200,
      body: { mode: 'sovereign' },
    });
  });

  it('answers /auth/me with the user and the mode', async () => {
    const me = await call(sovereign, 'GET', '/auth/me', cookies.sovereign[ADMIN]);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      user: { id: expect.any(String), email: ADMIN, roles: expect.any(Array), createdAt: expect.any(String) },
      mode: 'sovereign',
    });
    expect(me.body.user.roles).toEqual(expect.arrayContaining(['superadmin', 'sovereign-admin']));
  });

  it('refuses a provision request with 403 not_on_a_sovereign and holds nothing', async () => {
    const refused = await call(
      sovereign,
      'POST',
      '/api/v1/deployments',
      cookies.sovereign[ADMIN],
      provisionRequest(),
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: { code: 'not_on_a_sovereign', message: expect.stringContaining('Sovereign') },
    });
    expect(await countRows(sovereign, 'deployments')).toBe(0);
    expect(await countRows(sovereign, 'domain_allocations')).toBe(0);
  });

  it('refuses before reading the body: an invalid request gets the same 403, not a 400', async () => {
    const refused = await call(sovereign, 'POST', '/api/v1/deployments', cookies.sovereign[ADMIN], {
      org: 'not an org',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('not_on_a_sovereign');
  });

  it('still asks for a session and the role first', async () => {
    const anonymous = await call(sovereign, 'POST', '/api/v1/deployments', undefined, provisionRequest());
    expect(anonymous.status).toBe(401);
    const tenant = await call(
      sovereign,
      'POST',
      '/api/v1/deployments',
      cookies.sovereign[TENANT],
      provisionRequest(),
    );
    expect(tenant.status).toBe(403);
    expect(tenant.body.error.code).toBe('forbidden');
  });
});

describe('CATALYST_MODE unset (a mothership)', () => {
  it('answers mothership at /api/v1/meta and /auth/me', async () => {
    expect(await call(mothership, 'GET', '/api/v1/meta')).toEqual({
      status: 200,
      body: { mode: 'mothership' },
    });
    const me = await call(mothership, 'GET', '/auth/me', cookies.mothership[TENANT]);
    expect(me.status).toBe(200);
    expect(me.body.mode).toBe('mothership');
    expect(me.body.user).toMatchObject({ email: TENANT, roles: ['member'] });
  });

  it('lets a provision request through to validation', async () => {
    const invalid = await call(mothership, 'POST', '/api/v1/deployments', cookies.mothership[ADMIN], {
      org: 'not an org',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
  });
});
