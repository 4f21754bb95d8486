import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PDNS_TEST_API_KEY, PowerDnsServer } from '../../test/fixtures/powerdns/powerdns-server.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { DomainsService } from './domains.service.js';
import { PowerDnsClient } from './powerdns.client.js';

/**
 * A tenant organization's name (`<slug>.<tenant pool>`) and every name under it point at the
 * Sovereign's ingress: A/AAAA records in the pool zone of a real PowerDNS, read back with dig.
 */
const NAMESERVERS = ['ns1.catalyst.test', 'ns2.catalyst.test'];
const INGRESS_V4 = '203.0.113.20';
const INGRESS_V6 = '2001:db8::20';
const LB_IP = '203.0.113.10';
const POOL = 'omani.homes';
const ENV = {
  PDNS_API_KEY: PDNS_TEST_API_KEY,
  // omani.homes is also a Sovereign pool, so a Sovereign's delegation shares the zone with organizations.
  CATALYST_POOL_DOMAINS: 'omani.works,omani.homes',
  CATALYST_TENANT_POOL_DOMAINS: 'omani.homes,omani.rest',
  CATALYST_NAMESERVERS: NAMESERVERS.join(','),
};
let pdns: PowerDnsServer;
let direct: PowerDnsClient;
let t: TestApp;
let domains: DomainsService;

/** Another app on the same database and PowerDNS with a different configuration, its pool zones in place. */
async function withApp(env: Record<string, string>, run: (service: DomainsService) => Promise<void>) {
  const app = await startTestApp({ databaseUrl: t.databaseUrl, env: { ...ENV, ...env } });
  try {
    if (env.PDNS_API_URL) await poolZonesReady(app);
    await run(app.app.get(DomainsService));
  } finally {
    await app.close();
  }
}

/** The app ensures its pool zones in the background at start-up; wait for that to finish. */
async function poolZonesReady(app: TestApp) {
  await vi.waitFor(() => expect(app.logs.text).toContain('pool zones are in place in PowerDNS'), {
    timeout: 15_000,
  });
}

/** The zone's records as PowerDNS keeps them, the SOA aside (its serial moves with every change). */
async function records(zone: string, options: { soa?: boolean } = {}) {
  return (await direct.getZone(zone))?.rrsets
    ?.filter((r) => options.soa || r.type !== 'SOA')
    .map((r) => `${r.name} ${r.ttl} ${r.type} ${r.records.map((x) => x.content).sort()}`)
    .sort();
}

/** Everything in the zone except the records at an organization's two names. */
async function recordsBesides(zone: string, orgFqdn: string) {
  const own = [`${orgFqdn}. `, `*.${orgFqdn}. `];
  return (await records(zone))?.filter((line) => !own.some((prefix) => line.startsWith(prefix)));
}

/** The answer section as a resolver gets it: `name ttl class type content`, one space apart. */
function answer(name: string, type: string): string[] {
  return pdns.dig(name, type, '+noall', '+answer').map((line) => line.replace(/\s+/g, ' '));
}

/** The response code (NOERROR, NXDOMAIN, …) of a query. */
function rcode(name: string, type: string): string | undefined {
  return /status: (\w+)/.exec(pdns.dig(name, type).join('\n'))?.[1];
}

beforeAll(async () => {
  pdns = new PowerDnsServer();
  await pdns.start();
  direct = new PowerDnsClient({ url: pdns.apiUrl, apiKey: PDNS_TEST_API_KEY, serverId: 'localhost' });
  t = await startTestApp({
    env: { ...ENV, PDNS_API_URL: pdns.apiUrl, CATALYST_INGRESS_IP: INGRESS_V4 },
  });
  await poolZonesReady(t);
  domains = t.app.get(DomainsService);
  // What else lives in the pool zone: a Sovereign delegated from it and an operator's own record.
  const sovereign = await domains.reservePool(POOL, 'omantel');
  await domains.commit(sovereign.reservationId, [{ region: 'fsn1', loadBalancerIP: LB_IP }]);
  await direct.patchRRsets(POOL, [
    {
      name: `status.${POOL}.`,
      type: 'A',
      ttl: 60,
      changetype: 'REPLACE',
      records: [{ content: '198.51.100.7', disabled: false }],
    },
  ]);
});
afterAll(async () => {
  await t?.close();
  await pdns?.stop();
});

describe('publishing a tenant organization', () => {
  it('points the name and every name under it at the ingress, touching nothing else in the pool zone', async () => {
    const others = await recordsBesides(POOL, 'acme.omani.homes');
    expect(others?.join('\n')).toMatch(/^omantel\.omani\.homes\. 3600 NS /m);
    expect(rcode('acme.omani.homes', 'A')).toBe('NXDOMAIN');

    const result = await domains.publishTenantOrg({ fqdn: 'acme.omani.homes', poolDomain: POOL });
    expect(result).toEqual({ published: true, fqdn: 'acme.omani.homes', address: INGRESS_V4 });

    expect(answer('acme.omani.homes', 'A')).toEqual([`acme.omani.homes. 300 IN A ${INGRESS_V4}`]);
    expect(answer('www.acme.omani.homes', 'A')).toEqual([`www.acme.omani.homes. 300 IN A ${INGRESS_V4}`]);
    expect(answer('blog.prod.acme.omani.homes', 'A')).toEqual([
      `blog.prod.acme.omani.homes. 300 IN A ${INGRESS_V4}`,
    ]);
    expect(answer('acme.omani.homes', 'AAAA')).toEqual([]);
    // Signed like the rest of the pool zone.
    expect(pdns.dig('acme.omani.homes', 'A', '+dnssec', '+short').some((l) => l.startsWith('A '))).toBe(true);

    expect(await recordsBesides(POOL, 'acme.omani.homes')).toEqual(others);
    expect(pdns.dig('console.omantel.omani.homes', 'A', '+short')).toEqual([LB_IP]);
    expect(pdns.dig(`status.${POOL}`, 'A', '+short')).toEqual(['198.51.100.7']);
  });

  it('changes no record when published again', async () => {
    const org = { fqdn: 'acme.omani.homes', poolDomain: POOL };
    await domains.publishTenantOrg(org);
    const before = await records(POOL);
    const keys = (await direct.listCryptokeys(POOL)).length;

    for (let i = 0; i < 2; i++) {
      expect(await domains.publishTenantOrg(org)).toMatchObject({ published: true });
    }
    expect(await records(POOL)).toEqual(before);
    expect((await direct.listCryptokeys(POOL)).length).toBe(keys);
    expect(answer('www.acme.omani.homes', 'A')).toEqual([`www.acme.omani.homes. 300 IN A ${INGRESS_V4}`]);
  });

  it('publishes AAAA for an IPv6 ingress and moves a name from A to AAAA when the address family changes', async () => {
    await domains.publishTenantOrg({ fqdn: 'switch.omani.homes', poolDomain: POOL });
    expect(pdns.dig('switch.omani.homes', 'A', '+short')).toEqual([INGRESS_V4]);

    await withApp({ PDNS_API_URL: pdns.apiUrl, CATALYST_INGRESS_IP: INGRESS_V6 }, async (v6) => {
      for (const fqdn of ['six.omani.homes', 'switch.omani.homes']) {
        expect(await v6.publishTenantOrg({ fqdn, poolDomain: POOL })).toEqual({
          published: true,
          fqdn,
          address: INGRESS_V6,
        });
        expect(answer(fqdn, 'AAAA')).toEqual([`${fqdn}. 300 IN AAAA ${INGRESS_V6}`]);
        expect(answer(`api.${fqdn}`, 'AAAA')).toEqual([`api.${fqdn}. 300 IN AAAA ${INGRESS_V6}`]);
        expect(answer(fqdn, 'A')).toEqual([]);
        expect(answer(`api.${fqdn}`, 'A')).toEqual([]);
      }
      const before = await records(POOL);
      await v6.publishTenantOrg({ fqdn: 'six.omani.homes', poolDomain: POOL });
      expect(await records(POOL)).toEqual(before);

      expect(await v6.withdrawTenantOrg({ fqdn: 'six.omani.homes', poolDomain: POOL })).toEqual({
        withdrawn: true,
        fqdn: 'six.omani.homes',
      });
      expect(rcode('six.omani.homes', 'AAAA')).toBe('NXDOMAIN');
      expect(rcode('www.six.omani.homes', 'AAAA')).toBe('NXDOMAIN');
    });
  });

  it('creates and signs the pool zone when it is missing', async () => {
    await direct.deleteZone('omani.rest');
    const org = { fqdn: 'shop.omani.rest', poolDomain: 'omani.rest' };
    expect(await domains.publishTenantOrg(org)).toMatchObject({ published: true });
    const zone = await direct.getZone('omani.rest');
    expect(zone).toMatchObject({ dnssec: true, account: 'catalyst' });
    expect(
      zone?.rrsets
        ?.find((r) => r.type === 'NS')
        ?.records.map((r) => r.content)
        .sort(),
    ).toEqual(NAMESERVERS.map((ns) => `${ns}.`));
    expect(pdns.dig('cart.shop.omani.rest', 'A', '+short')).toEqual([INGRESS_V4]);
  });

  it('keeps records of other types at the organization’s names', async () => {
    await direct.patchRRsets(POOL, [
      {
        name: 'verified.omani.homes.',
        type: 'TXT',
        ttl: 60,
        changetype: 'REPLACE',
        records: [{ content: '"site-verification=abc"', disabled: false }],
      },
    ]);
    const org = { fqdn: 'verified.omani.homes', poolDomain: POOL };
    await domains.publishTenantOrg(org);
    expect(pdns.dig('verified.omani.homes', 'A', '+short')).toEqual([INGRESS_V4]);
    await domains.withdrawTenantOrg(org);
    expect(pdns.dig('verified.omani.homes', 'A', '+short')).toEqual([]);
    expect(pdns.dig('verified.omani.homes', 'TXT', '+short')).toEqual(['"site-verification=abc"']);
  });
});

describe('withdrawing a tenant organization', () => {
  it('removes both names, leaves the rest of the pool zone as it was, and may run again', async () => {
    const org = { fqdn: 'gone.omani.homes', poolDomain: POOL };
    await domains.publishTenantOrg(org);
    expect(pdns.dig('www.gone.omani.homes', 'A', '+short')).toEqual([INGRESS_V4]);
    const others = await recordsBesides(POOL, 'gone.omani.homes');

    expect(await domains.withdrawTenantOrg(org)).toEqual({ withdrawn: true, fqdn: 'gone.omani.homes' });
    for (const name of ['gone.omani.homes', 'www.gone.omani.homes']) {
      expect(rcode(name, 'A'), name).toBe('NXDOMAIN');
      expect(answer(name, 'A'), name).toEqual([]);
    }
    expect(await recordsBesides(POOL, 'gone.omani.homes')).toEqual(others);
    expect((await records(POOL))?.some((line) => line.includes('gone.omani.homes'))).toBe(false);

    const after = await records(POOL);
    expect(await domains.withdrawTenantOrg(org)).toEqual({ withdrawn: true, fqdn: 'gone.omani.homes' });
    expect(await records(POOL)).toEqual(after);
    expect(pdns.dig('console.omantel.omani.homes', 'A', '+short')).toEqual([LB_IP]);
    expect(pdns.dig('acme.omani.homes', 'A', '+short')).toEqual([INGRESS_V4]);
  });

  it('is fine when the pool zone is not there, and does not create it', async () => {
    await domains.publishTenantOrg({ fqdn: 'shop.omani.rest', poolDomain: 'omani.rest' });
    await direct.deleteZone('omani.rest');
    expect(await domains.withdrawTenantOrg({ fqdn: 'shop.omani.rest', poolDomain: 'omani.rest' })).toEqual({
      withdrawn: true,
      fqdn: 'shop.omani.rest',
    });
    expect(await direct.getZone('omani.rest')).toBeUndefined();
  });
});

describe('when tenant DNS is not set up', () => {
  it('does nothing without an ingress address and says why', async () => {
    await withApp({ PDNS_API_URL: pdns.apiUrl }, async (unset) => {
      const before = await records(POOL, { soa: true });
      const org = { fqdn: 'quiet.omani.homes', poolDomain: POOL };
      for (const result of [await unset.publishTenantOrg(org), await unset.withdrawTenantOrg(org)]) {
        expect(result).toEqual({ published: false, reason: expect.stringContaining('CATALYST_INGRESS_IP') });
      }
      // A withdrawal does not touch an organization published before the address was unset either.
      await unset.withdrawTenantOrg({ fqdn: 'acme.omani.homes', poolDomain: POOL });
      expect(await records(POOL, { soa: true })).toEqual(before);
      expect(rcode('quiet.omani.homes', 'A')).toBe('NXDOMAIN');
    });
  });

  it('does nothing without PowerDNS and says why', async () => {
    const before = await records(POOL, { soa: true });
    await withApp({ CATALYST_INGRESS_IP: INGRESS_V4 }, async (offline) => {
      const org = { fqdn: 'quiet.omani.homes', poolDomain: POOL };
      expect(await offline.publishTenantOrg(org)).toEqual({
        published: false,
        reason: expect.stringContaining('PDNS_API_URL'),
      });
      expect(await offline.withdrawTenantOrg(org)).toMatchObject({ published: false });
    });
    expect(await records(POOL, { soa: true })).toEqual(before);
    expect(rcode('quiet.omani.homes', 'A')).toBe('NXDOMAIN');
  });

  it('writes into no zone but the tenant pools', async () => {
    await direct.createZone('bank.test', ['ns.elsewhere.test']);
    await direct.patchRRsets('bank.test', [
      {
        name: 'acme.bank.test.',
        type: 'A',
        ttl: 60,
        changetype: 'REPLACE',
        records: [{ content: '198.51.100.9', disabled: false }],
      },
    ]);
    const before = await records('bank.test', { soa: true });
    for (const [fqdn, poolDomain] of [
      ['acme.bank.test', 'bank.test'],
      ['shop.omani.works', 'omani.works'],
    ] as const) {
      expect(await domains.publishTenantOrg({ fqdn, poolDomain })).toEqual({
        published: false,
        reason: `${poolDomain} is not a tenant pool domain here`,
      });
      expect(await domains.withdrawTenantOrg({ fqdn, poolDomain })).toMatchObject({ published: false });
    }
    expect(await records('bank.test', { soa: true })).toEqual(before);
    expect(rcode('shop.omani.works', 'A')).toBe('NXDOMAIN');
  });

  it('refuses a name that is not one label under its pool', async () => {
    const before = await records(POOL, { soa: true });
    for (const fqdn of ['a.b.omani.homes', 'omani.homes', 'acme.omani.rest', 'Bad_Name.omani.homes']) {
      await expect(domains.publishTenantOrg({ fqdn, poolDomain: POOL }), fqdn).rejects.toMatchObject({
        status: 422,
        code: 'invalid-format',
      });
      await expect(domains.withdrawTenantOrg({ fqdn, poolDomain: POOL }), fqdn).rejects.toMatchObject({
        code: 'invalid-format',
      });
    }
    expect(await records(POOL, { soa: true })).toEqual(before);
  });
});

describe('an organization made at checkout and deleted by its owner', () => {
  it('gets its records when created, and loses them (and frees its name) when deleted', async () => {
    const smtp = new SmtpPeer();
    const app = await startTestApp({
      databaseUrl: t.databaseUrl,
      env: {
        ...ENV,
        PDNS_API_URL: pdns.apiUrl,
        CATALYST_INGRESS_IP: INGRESS_V4,
        SMTP_URL: await smtp.start(),
        CATALYST_ADMIN_EMAILS: 'admin@sovereign.test',
      },
    });
    try {
      await poolZonesReady(app);
      const admin = await signIn(app.app, smtp, 'admin@sovereign.test');
      const issued = await app.app.inject({
        method: 'POST',
        url: '/billing/vouchers/issue',
        headers: { cookie: admin },
        payload: { code: 'DNS-ORG', creditBaisa: 1_000 },
      });
      expect(issued.statusCode).toBe(201);
      const owner = await signIn(app.app, smtp, 'owner@nimbus.test');
      const checkout = await app.app.inject({
        method: 'POST',
        url: '/billing/checkout',
        headers: { cookie: owner },
        payload: { planId: 'starter', promoCode: 'DNS-ORG', orgSlug: 'nimbus', poolDomain: POOL },
      });
      expect(checkout.statusCode, checkout.body).toBe(200);
      await vi.waitFor(
        () =>
          expect(answer('nimbus.omani.homes', 'A')).toEqual([`nimbus.omani.homes. 300 IN A ${INGRESS_V4}`]),
        {
          timeout: 10_000,
        },
      );
      expect(answer('shop.nimbus.omani.homes', 'A')).toEqual([
        `shop.nimbus.omani.homes. 300 IN A ${INGRESS_V4}`,
      ]);

      // With an environment left, the organization stays.
      const env = await app.app.inject({
        method: 'POST',
        url: '/api/v1/orgs/nimbus/environments',
        headers: { cookie: owner },
        payload: { name: 'staging' },
      });
      expect(env.statusCode).toBe(201);
      const refused = await app.app.inject({
        method: 'DELETE',
        url: '/api/v1/orgs/nimbus',
        headers: { cookie: owner },
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('org_not_empty');
      const envGone = await app.app.inject({
        method: 'DELETE',
        url: '/api/v1/orgs/nimbus/environments/staging',
        headers: { cookie: owner },
      });
      expect(envGone.statusCode).toBe(204);
      // Its row goes once its (here: no) apps and namespace are gone, done by the consumer.
      await vi.waitFor(
        async () => {
          const deleted = await app.app.inject({
            method: 'DELETE',
            url: '/api/v1/orgs/nimbus',
            headers: { cookie: owner },
          });
          expect(deleted.statusCode).toBe(204);
        },
        { timeout: 10_000, interval: 200 },
      );
      await vi.waitFor(() => expect(rcode('nimbus.omani.homes', 'A')).toBe('NXDOMAIN'), { timeout: 10_000 });
      expect(rcode('shop.nimbus.omani.homes', 'A')).toBe('NXDOMAIN');
      const orgs = await app.app.inject({ method: 'GET', url: '/api/v1/orgs', headers: { cookie: owner } });
      expect(orgs.json().orgs).toEqual([]);
      // The name is free again.
      const check = await app.app.inject({
        method: 'GET',
        url: '/api/v1/tenant/slug-check?slug=nimbus',
        headers: { cookie: owner },
      });
      expect(check.json()).toEqual({ available: true });
    } finally {
      await app.close();
      await smtp.stop();
    }
  });
});
