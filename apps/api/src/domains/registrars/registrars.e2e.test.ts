import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDNS_TEST_API_KEY, PowerDnsServer } from '../../../test/fixtures/powerdns/powerdns-server.js';
import { DynadotEmulator } from '../../../test/fixtures/registrars/dynadot.emulator.js';
import { GoDaddyEmulator } from '../../../test/fixtures/registrars/godaddy.emulator.js';
import { signIn } from '../../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { DomainsService } from '../domains.service.js';
import { PowerDnsClient } from '../powerdns.client.js';

const KEY = 'gd-key-3f9a7c1e5b';
const SECRET = 'gd-secret-8d2b6e4a0c';
const NAMESERVERS = ['ns1.catalyst.test', 'ns2.catalyst.test'];
const customerRecords = [
  { type: 'A', name: '@', data: '198.51.100.7', ttl: 600 },
  { type: 'MX', name: '@', data: 'mail.bank.com', ttl: 3600, priority: 10 },
  { type: 'TXT', name: '@', data: 'v=spf1 -all', ttl: 3600 },
];

const DYNADOT_KEY = 'dyn-key-51c0ffee';
let godaddy: GoDaddyEmulator;
let dynadot: DynadotEmulator;
let pdns: PowerDnsServer;
let smtp: SmtpPeer;
let t: TestApp;
let admin: string;
let member: string;

beforeAll(async () => {
  godaddy = new GoDaddyEmulator();
  const godaddyUrl = await godaddy.start();
  dynadot = new DynadotEmulator();
  const dynadotUrl = await dynadot.start();
  pdns = new PowerDnsServer();
  await pdns.start();
  smtp = new SmtpPeer();
  t = await startTestApp({
    env: {
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: 'ops@catalyst.test',
      GODADDY_API_URL: godaddyUrl,
      DYNADOT_API_URL: dynadotUrl,
      PDNS_API_URL: pdns.apiUrl,
      PDNS_API_KEY: PDNS_TEST_API_KEY,
      CATALYST_NAMESERVERS: NAMESERVERS.join(','),
    },
  });
  admin = await signIn(t.app, smtp, 'ops@catalyst.test');
  member = await signIn(t.app, smtp, 'member@example.com');
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
  await pdns.stop();
  await godaddy.stop();
  await dynadot.stop();
});

function seedCustomer() {
  godaddy.reset();
  godaddy.addAccount(KEY, SECRET);
  godaddy.addDomain(KEY, { domain: 'bank.com', records: customerRecords });
}

function validate(id: string, body: unknown, cookie = admin) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/registrars/${id}/validate`,
    payload: body as object,
    headers: { cookie },
  });
}

describe('GET /api/v1/registrars', () => {
  it('lists the five registrars with the credential fields the wizard asks for', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/registrars', headers: { cookie: admin } });
    expect(res.statusCode).toBe(200);
    const registrars = res.json().registrars as {
      id: string;
      credentialFields: { name: string; secret: boolean }[];
    }[];
    expect(registrars.map((r) => r.id).sort()).toEqual([
      'cloudflare',
      'dynadot',
      'godaddy',
      'namecheap',
      'ovh',
    ]);
    for (const registrar of registrars) {
      expect(registrar.credentialFields.length, registrar.id).toBeGreaterThan(0);
      expect(
        registrar.credentialFields.some((f) => f.secret),
        registrar.id,
      ).toBe(true);
    }
    expect(registrars.find((r) => r.id === 'godaddy')?.credentialFields.map((f) => f.name)).toEqual([
      'apiKey',
      'apiSecret',
    ]);
  });

  it('is for sovereign admins', async () => {
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/registrars', headers: { cookie: member } }))
        .statusCode,
    ).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/registrars' })).statusCode).toBe(401);
  });
});

describe('POST /api/v1/registrars/:id/validate', () => {
  it('finds the registered domain a name lives in and never echoes or logs the credentials', async () => {
    seedCustomer();
    const res = await validate('godaddy', {
      domain: 'Cloud.Bank.com.',
      credentials: { apiKey: KEY, apiSecret: SECRET },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'valid', zone: 'bank.com', label: 'cloud' });
    expect(res.body).not.toContain(KEY);
    expect(res.body).not.toContain(SECRET);
    expect(t.logs.text).not.toContain(SECRET);
    expect(t.logs.text).not.toContain(KEY);
    // The check only read: nothing was written at the registrar.
    expect(godaddy.server.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('answers with the registrar status for bad credentials and names outside the account', async () => {
    seedCustomer();
    const wrong = await validate('godaddy', {
      domain: 'bank.com',
      credentials: { apiKey: KEY, apiSecret: 'nope' },
    });
    expect(wrong.json().status).toBe('invalid');
    expect(wrong.body).not.toContain('nope');
    const elsewhere = await validate('godaddy', {
      domain: 'cloud.other.org',
      credentials: { apiKey: KEY, apiSecret: SECRET },
    });
    expect(elsewhere.json().status).toBe('not-in-account');
  });

  it('rejects credentials of the wrong shape field by field, without echoing them', async () => {
    const missing = await validate('godaddy', { domain: 'bank.com', credentials: { apiKey: KEY } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual([
      'credentials.apiSecret',
    ]);
    const extra = await validate('godaddy', {
      domain: 'bank.com',
      credentials: { apiKey: KEY, apiSecret: SECRET, pin: '1' },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual([
      'credentials.pin',
    ]);
    expect(extra.body).not.toContain(SECRET);
  });

  it('rejects an unknown registrar with 404 and a bad domain with 400', async () => {
    const unknown = await validate('gandi', { domain: 'bank.com', credentials: {} });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('registrar_not_found');
    const badDomain = await validate('godaddy', {
      domain: 'localhost',
      credentials: { apiKey: KEY, apiSecret: SECRET },
    });
    expect(badDomain.statusCode).toBe(400);
    expect(badDomain.json().error.details.issues[0].path).toBe('domain');
  });

  it('says unsupported when the registrar cannot delegate that kind of name', async () => {
    dynadot.reset();
    dynadot.seedAccount({ apiKey: DYNADOT_KEY, domains: { 'bank.com': {} } });
    const sub = await validate('dynadot', { domain: 'cloud.bank.com', credentials: { apiKey: DYNADOT_KEY } });
    expect(sub.json()).toMatchObject({ status: 'unsupported', zone: 'bank.com', label: 'cloud' });
    const apex = await validate('dynadot', { domain: 'bank.com', credentials: { apiKey: DYNADOT_KEY } });
    expect(apex.json()).toMatchObject({ status: 'valid', zone: 'bank.com' });
  });
});

describe('byo-api: delegation through the customer registrar', () => {
  it('publishes the zone and writes only the NS records of the name at the registrar', async () => {
    seedCustomer();
    const domains = t.app.get(DomainsService);
    const reservation = await domains.reserveOwn('cloud.bank.com', 'byo-api');
    const allocation = await domains.commit(
      reservation.reservationId,
      [{ region: 'fsn1', loadBalancerIP: '203.0.113.20' }],
      {
        registrar: 'godaddy',
        credentials: { apiKey: KEY, apiSecret: SECRET },
      },
    );
    expect(allocation).toMatchObject({ fqdn: 'cloud.bank.com', state: 'active', mode: 'byo-api' });
    expect(pdns.dig('console.cloud.bank.com', 'A', '+short')).toEqual(['203.0.113.20']);
    expect(
      godaddy
        .records('bank.com', 'NS', 'cloud')
        .map((r) => r.data)
        .sort(),
    ).toEqual(NAMESERVERS);
    for (const record of customerRecords) {
      expect(godaddy.records('bank.com', record.type, record.name).map((r) => r.data)).toContain(record.data);
    }
    await domains.release('cloud.bank.com');
  });

  it('leaves no zone behind when the registrar refuses, and keeps the reservation for a retry', async () => {
    seedCustomer();
    const domains = t.app.get(DomainsService);
    const reservation = await domains.reserveOwn('app.bank.com', 'byo-api');
    await expect(
      domains.commit(reservation.reservationId, [{ region: 'fsn1', loadBalancerIP: '203.0.113.21' }], {
        registrar: 'godaddy',
        credentials: { apiKey: KEY, apiSecret: 'bad' },
      }),
    ).rejects.toMatchObject({ status: 422, code: 'registrar_invalid' });
    const direct = new PowerDnsClient({ url: pdns.apiUrl, apiKey: PDNS_TEST_API_KEY, serverId: 'localhost' });
    expect(await direct.getZone('app.bank.com')).toBeUndefined();
    await expect(
      domains.commit(reservation.reservationId, [{ region: 'fsn1', loadBalancerIP: '203.0.113.21' }]),
    ).rejects.toMatchObject({
      code: 'registrar_credentials_required',
    });
    const ok = await domains.commit(
      reservation.reservationId,
      [{ region: 'fsn1', loadBalancerIP: '203.0.113.21' }],
      {
        registrar: 'godaddy',
        credentials: { apiKey: KEY, apiSecret: SECRET },
      },
    );
    expect(ok.state).toBe('active');
  });

  it('refuses to claim a pool name or an invalid name as a customer domain', async () => {
    const domains = t.app.get(DomainsService);
    await expect(domains.reserveOwn('x.omani.works', 'byo-manual')).rejects.toMatchObject({ status: 422 });
    await expect(domains.reserveOwn('no_such', 'byo-manual')).rejects.toMatchObject({
      code: 'invalid-format',
    });
  });
});
