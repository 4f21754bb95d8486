import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRequest } from '../../test/helpers/provision-request.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import type { Principal } from '../auth/roles.decorator.js';
import { DeploymentsService } from '../deployments/deployments.service.js';

/** Postgres refuses U+0000 in text: such input must be a 400 at the edge, never a 500 half-way through. */
let smtp: SmtpPeer;
let t: TestApp;
let admin: string;

function call(method: 'GET' | 'POST', url: string, payload?: unknown, cookie = admin) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie } });
}

function expectRefused(res: Awaited<ReturnType<typeof call>>, path: string) {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.json().error.code).toBe('validation_failed');
  expect(res.json().error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
}

async function poolNameFree(subdomain: string): Promise<boolean> {
  return (await call('POST', '/api/v1/subdomains/check', { poolDomain: 'omani.works', subdomain })).json()
    .available;
}

beforeAll(async () => {
  smtp = new SmtpPeer();
  t = await startTestApp({
    env: {
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: 'ops@catalyst.test',
      CATALYST_TENANT_POOL_DOMAINS: 'omani.homes',
    },
  });
  admin = await signIn(t.app, smtp, 'ops@catalyst.test');
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

describe('control characters in requests', () => {
  it('refuses U+0000 in a body string with 400 naming the field', async () => {
    const customer = await signIn(t.app, smtp, 'nul@customer.test');
    expectRefused(
      await call('POST', '/billing/checkout', { planId: 'starter', orgName: 'Acme\u0000Ltd' }, customer),
      'orgName',
    );
    expect((await call('GET', '/api/v1/orgs', undefined, customer)).json().orgs).toEqual([]);
  });

  it('refuses U+0000 in a path parameter and in a query parameter', async () => {
    expectRefused(await call('GET', '/api/v1/orgs/ac%00me/environments'), 'slug');
    expectRefused(await call('GET', '/api/v1/pool/allocations?poolDomain=omani.works%00'), 'poolDomain');
  });

  it('refuses other C0 controls and DEL, and control characters in field names', async () => {
    for (const name of ['Acme\u001b[31m', 'Acme\u007f', 'Acme\u0008']) {
      expectRefused(await call('POST', '/billing/checkout', { planId: 'starter', orgName: name }), 'orgName');
    }
    const res = await call('POST', '/billing/checkout', { planId: 'starter', 'org\u0000Name': 'Acme' });
    expectRefused(res, 'org\\u0000Name');
  });

  it('answers a deployment with U+0000 in its organization name with 400 and holds no name', async () => {
    const body = provisionRequest({
      org: { ...provisionRequest().org, name: 'Omantel\u0000Cloud' },
      domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'nul-org' },
    });
    expectRefused(await call('POST', '/api/v1/deployments', body), 'org.name');
    expect(await poolNameFree('nul-org')).toBe(true);
  });
});

describe('a deployment that fails after its name was checked', () => {
  it('rolls the name reservation back with the deployment row', async () => {
    // Past the edge (a caller inside the api): the insert of the row fails in Postgres itself.
    const { user } = (await call('GET', '/auth/me')).json();
    const principal: Principal = { userId: user.id, email: user.email, roles: user.roles, sessionId: 'test' };
    const request = provisionRequest({
      org: { ...provisionRequest().org, name: 'Omantel\u0000Cloud' },
      domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'half-way' },
    });
    await expect(t.app.get(DeploymentsService).create(request, principal)).rejects.toThrow();
    expect(await poolNameFree('half-way')).toBe(true);
    const retried = await call('POST', '/api/v1/deployments', {
      ...request,
      org: provisionRequest().org,
    });
    expect(retried.statusCode).toBe(201);
  });
});
