import type { ProvisionRequest } from '@catalyst/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDNS_TEST_API_KEY, PowerDnsServer } from '../../test/fixtures/powerdns/powerdns-server.js';
import { provisionRequest } from '../../test/helpers/provision-request.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { DomainsService } from './domains.service.js';
import { PowerDnsClient } from './powerdns.client.js';

/**
 * A customer's own domain shares Catalyst's PowerDNS with zones Catalyst did not make (pools, other
 * operators' zones): Catalyst must neither take those names nor overwrite or delete those zones.
 */
const NAMESERVERS = ['ns1.catalyst.test', 'ns2.catalyst.test'];
const LB_IP = '203.0.113.10';
let pdns: PowerDnsServer;
let direct: PowerDnsClient;
let smtp: SmtpPeer;
let t: TestApp;
let db: pg.Client;
let admin: string;

function api(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, cookie = admin) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie } });
}

function byoManual(domain: string): ProvisionRequest {
  return provisionRequest({ domain: { mode: 'byo-manual', domain } });
}

/** A zone someone else keeps in the same PowerDNS, with a record of theirs. */
async function foreignZone(name: string): Promise<void> {
  await direct.createZone(name, ['ns.elsewhere.test']);
  await direct.patchRRsets(name, [
    {
      name: `www.${name}.`,
      type: 'A',
      ttl: 60,
      changetype: 'REPLACE',
      records: [{ content: '198.51.100.7', disabled: false }],
    },
  ]);
}

async function recordsOf(name: string) {
  return (await direct.getZone(name))?.rrsets
    ?.map((r) => `${r.name} ${r.type} ${r.records.map((x) => x.content).join(',')}`)
    .sort();
}

async function holder(fqdn: string) {
  return (await db.query('select mode, state from domain_allocations where fqdn = $1', [fqdn])).rows[0];
}

beforeAll(async () => {
  pdns = new PowerDnsServer();
  await pdns.start();
  direct = new PowerDnsClient({ url: pdns.apiUrl, apiKey: PDNS_TEST_API_KEY, serverId: 'localhost' });
  smtp = new SmtpPeer();
  t = await startTestApp({
    env: {
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: 'ops@catalyst.test',
      PDNS_API_URL: pdns.apiUrl,
      PDNS_API_KEY: PDNS_TEST_API_KEY,
      // omani.homes is both a Sovereign pool and a tenant pool: the two kinds of name compete there.
      CATALYST_POOL_DOMAINS: 'omani.works,omani.homes',
      CATALYST_TENANT_POOL_DOMAINS: 'omani.homes,omani.rest',
      CATALYST_NAMESERVERS: NAMESERVERS.join(','),
    },
  });
  await t.app.get(DomainsService).ensurePoolZones();
  admin = await signIn(t.app, smtp, 'ops@catalyst.test');
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await t.close();
  await smtp.stop();
  await pdns.stop();
});

describe('a deployment on its own domain', () => {
  it('is refused with 422 domain_not_allowed on a tenant pool domain, a pool domain and the nameservers’ domain', async () => {
    for (const domain of [
      'acme.omani.rest',
      'omani.rest',
      'cloud.omani.works',
      'omani.works',
      'catalyst.test',
    ]) {
      const res = await api('POST', '/api/v1/deployments', byoManual(domain));
      expect(res.statusCode, domain).toBe(422);
      expect(res.json().error.code, domain).toBe('domain_not_allowed');
      expect(res.json().error.details.issues[0].path, domain).toBe('domain.domain');
      expect(await holder(domain), domain).toBeUndefined();
    }
  });

  it('is refused with 422 zone_exists when a zone Catalyst did not create serves the name, which stays untouched', async () => {
    await foreignZone('foreign.test');
    const before = await recordsOf('foreign.test');
    for (const domain of ['foreign.test', 'shop.foreign.test']) {
      const res = await api('POST', '/api/v1/deployments', byoManual(domain));
      expect(res.statusCode, domain).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'zone_exists', details: { zone: 'foreign.test' } });
      expect(await holder(domain), domain).toBeUndefined();
    }
    expect(await recordsOf('foreign.test')).toEqual(before);
    expect(await direct.getZone('shop.foreign.test')).toBeUndefined();
  });
});

describe('publishing and releasing a customer’s own domain', () => {
  it('creates the zone as Catalyst’s and deletes exactly that zone on release', async () => {
    const domains = t.app.get(DomainsService);
    const reservation = await domains.reserveOwn('mine.test', 'byo-manual');
    await domains.commit(reservation.reservationId, [{ region: 'fsn1', loadBalancerIP: LB_IP }]);
    expect((await direct.getZone('mine.test'))?.account).toBe('catalyst');
    expect(pdns.dig('console.mine.test', 'A', '+short')).toEqual([LB_IP]);
    // Converging again on its own zone is fine.
    await domains.commit(reservation.reservationId, [{ region: 'fsn1', loadBalancerIP: LB_IP }]);

    await domains.release('mine.test');
    expect(await direct.getZone('mine.test')).toBeUndefined();
    expect(await holder('mine.test')).toBeUndefined();
  });

  it('never overwrites a zone that appeared after the reservation, and a release leaves it alone', async () => {
    const domains = t.app.get(DomainsService);
    const reservation = await domains.reserveOwn('late.test', 'byo-manual');
    await foreignZone('late.test');
    const before = await recordsOf('late.test');

    await expect(
      domains.commit(reservation.reservationId, [{ region: 'fsn1', loadBalancerIP: LB_IP }]),
    ).rejects.toMatchObject({
      status: 422,
      code: 'zone_exists',
    });
    expect(await recordsOf('late.test')).toEqual(before);
    expect((await holder('late.test')).state).toBe('reserved');

    await domains.release('late.test');
    expect(await recordsOf('late.test')).toEqual(before);
    expect(await holder('late.test')).toBeUndefined();
  });

  it('releases an allocation whose zone Catalyst did not create without deleting that zone', async () => {
    // As an allocation made before Catalyst checked for foreign zones would be.
    await foreignZone('legacy.test');
    await db.query(
      `insert into domain_allocations (fqdn, mode, state, load_balancer_ip, committed_at)
       values ('legacy.test', 'byo-manual', 'active', $1, now())`,
      [LB_IP],
    );
    const before = await recordsOf('legacy.test');
    const res = await api('DELETE', '/api/v1/pool/allocations/legacy.test');
    expect(res.statusCode).toBe(200);
    expect(await recordsOf('legacy.test')).toEqual(before);
    expect(await holder('legacy.test')).toBeUndefined();
  });
});

describe('tenant organization names', () => {
  async function customer(email: string) {
    return signIn(t.app, smtp, email);
  }
  const checkout = (cookie: string, body: Record<string, unknown>) =>
    api('POST', '/billing/checkout', { planId: 'starter', ...body }, cookie);

  it('are held as allocations at checkout, so no Sovereign can take one', async () => {
    const owner = await customer('owner@acme.test');
    const res = await checkout(owner, { orgSlug: 'acme', poolDomain: 'omani.homes' });
    expect(res.statusCode).toBe(200);
    expect(res.json().org).toEqual({ slug: 'acme', fqdn: 'acme.omani.homes' });
    expect(await holder('acme.omani.homes')).toEqual({ mode: 'pool', state: 'active' });
    const listed = (await api('GET', '/api/v1/pool/allocations?poolDomain=omani.homes')).json().allocations;
    expect(listed.map((a: { fqdn: string }) => a.fqdn)).toContain('acme.omani.homes');

    const check = await api('POST', '/api/v1/subdomains/check', {
      poolDomain: 'omani.homes',
      subdomain: 'acme',
    });
    expect(check.json()).toMatchObject({ available: false, reason: 'taken' });
    const deployment = await api(
      'POST',
      '/api/v1/deployments',
      provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.homes', subdomain: 'acme' } }),
    );
    expect(deployment.statusCode).toBe(409);
    expect(deployment.json().error.code).toBe('fqdn_in_use');
  });

  it('skip a name a Sovereign already holds: a chosen slug is refused, a derived one moves on', async () => {
    const held = await api('POST', '/api/v1/pool/reservations', {
      poolDomain: 'omani.homes',
      subdomain: 'beta',
    });
    expect(held.statusCode).toBe(201);
    const chosen = await checkout(await customer('chosen@beta.test'), {
      orgSlug: 'beta',
      poolDomain: 'omani.homes',
    });
    expect(chosen.statusCode).toBe(422);
    expect(chosen.json().error.code).toBe('slug_taken');

    const derived = await checkout(await customer('derived@beta.test'), {
      orgName: 'Beta',
      poolDomain: 'omani.homes',
    });
    expect(derived.statusCode).toBe(200);
    expect(derived.json().org).toEqual({ slug: 'beta-2', fqdn: 'beta-2.omani.homes' });
    expect((await holder('beta.omani.homes')).state).toBe('reserved');
  });

  it('follow the reserved-name list: a chosen reserved slug is 422, a derived one gets the next free variant', async () => {
    const cookie = await customer('reserved@console.test');
    const chosen = await checkout(cookie, { orgSlug: 'console' });
    expect(chosen.statusCode).toBe(422);
    expect(chosen.json().error.code).toBe('slug_reserved');
    expect((await api('GET', '/api/v1/tenant/slug-check?slug=console', undefined, cookie)).json()).toEqual({
      available: false,
      reason: 'reserved',
    });

    const derived = await checkout(cookie, { orgName: 'Console' });
    expect(derived.statusCode).toBe(200);
    expect(derived.json().org).toEqual({ slug: 'console-2', fqdn: 'console-2.omani.homes' });
    expect(await holder('console.omani.homes')).toBeUndefined();
  });
});
