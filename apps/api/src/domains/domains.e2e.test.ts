import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultyProxy } from '../../test/fixtures/powerdns/faulty-proxy.js';
import { PDNS_TEST_API_KEY, PowerDnsServer } from '../../test/fixtures/powerdns/powerdns-server.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { DomainsService } from './domains.service.js';
import { PowerDnsClient } from './powerdns.client.js';

const NAMESERVERS = ['ns1.catalyst.test', 'ns2.catalyst.test'];
const LB_IP = '203.0.113.10';
let pdns: PowerDnsServer;
let proxy: FaultyProxy;
let direct: PowerDnsClient;
let smtp: SmtpPeer;
let t: TestApp;
let db: pg.Client;
let admin: string;
let member: string;

function api(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, cookie = admin) {
  return t.app.inject({ method, url, payload: payload as object, headers: { cookie } });
}

beforeAll(async () => {
  pdns = new PowerDnsServer();
  await pdns.start();
  proxy = new FaultyProxy(pdns.apiUrl);
  await proxy.start();
  direct = new PowerDnsClient({ url: pdns.apiUrl, apiKey: PDNS_TEST_API_KEY, serverId: 'localhost' });
  smtp = new SmtpPeer();
  t = await startTestApp({
    env: {
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: 'ops@catalyst.test',
      PDNS_API_URL: proxy.url,
      PDNS_API_KEY: PDNS_TEST_API_KEY,
      CATALYST_POOL_DOMAINS: 'omani.works, omantel.biz',
      CATALYST_TENANT_POOL_DOMAINS: 'omani.homes',
      CATALYST_NAMESERVERS: NAMESERVERS.join(','),
      CATALYST_RESERVED_SUBDOMAINS: 'billing',
    },
  });
  await t.app.get(DomainsService).ensurePoolZones();
  admin = await signIn(t.app, smtp, 'ops@catalyst.test');
  member = await signIn(t.app, smtp, 'someone@example.com');
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await t.close();
  await smtp.stop();
  await proxy.stop();
  await pdns.stop();
});

describe('pool zones', () => {
  it('are created and signed in PowerDNS at start-up', async () => {
    for (const pool of ['omani.works', 'omantel.biz', 'omani.homes']) {
      const zone = await direct.getZone(pool);
      expect(zone?.dnssec, pool).toBe(true);
      expect(
        zone?.rrsets
          ?.find((r) => r.type === 'NS')
          ?.records.map((r) => r.content)
          .sort(),
      ).toEqual(['ns1.catalyst.test.', 'ns2.catalyst.test.']);
      expect((await direct.listCryptokeys(pool)).some((k) => k.active)).toBe(true);
    }
    expect(pdns.dig('omani.works', 'DNSKEY', '+short').length).toBeGreaterThan(0);
  });
});

describe('POST /api/v1/subdomains/check', () => {
  const check = (poolDomain: string, subdomain: string) =>
    api('POST', '/api/v1/subdomains/check', { poolDomain, subdomain }, member);

  it('explains every name it will not give out', async () => {
    const cases: [string, string, string][] = [
      ['omani.works', 'Bad_Name', 'invalid-format'],
      ['omani.works', '-edge', 'invalid-format'],
      ['omani.works', 'edge-', 'invalid-format'],
      ['omani.works', '9lives', 'invalid-format'],
      ['omani.works', 'a'.repeat(64), 'invalid-format'],
      ['omani.works', 'a.b', 'invalid-format'],
      ['example.com', 'acme', 'unsupported-pool'],
      ['omani.homes', 'acme', 'unsupported-pool'],
      ['omani.works', 'console', 'reserved'],
      ['omani.works', 'K8S', 'reserved'],
      ['omani.works', 'billing', 'reserved'],
    ];
    for (const [pool, sub, reason] of cases) {
      const res = await check(pool, sub);
      expect(res.statusCode, `${sub}.${pool}`).toBe(200);
      expect(res.json(), `${sub}.${pool}`).toMatchObject({ available: false, reason });
    }
  });

  it('trims and lower-cases the name and answers with the FQDN when free', async () => {
    const res = await check(' Omani.Works ', '  Acme-1 ');
    expect(res.json()).toEqual({ available: true, fqdn: 'acme-1.omani.works' });
  });

  it('needs a session and rejects unknown fields', async () => {
    expect(
      (await api('POST', '/api/v1/subdomains/check', { poolDomain: 'omani.works', subdomain: 'x' }, ''))
        .statusCode,
    ).toBe(401);
    const bad = await api('POST', '/api/v1/subdomains/check', {
      poolDomain: 'omani.works',
      subdomain: 'x',
      admin: 1,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].path).toBe('admin');
  });
});

describe('reservations', () => {
  it('gives exactly one of 20 parallel reserves of a name', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api('POST', '/api/v1/pool/reservations', { poolDomain: 'omani.works', subdomain: 'race' }),
      ),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((r) => r.statusCode === 409)) expect(r.json().error.code).toBe('taken');
    const winner = results.find((r) => r.statusCode === 201)?.json();
    expect(winner.fqdn).toBe('race.omani.works');
    const ttl = (Date.parse(winner.expiresAt) - Date.now()) / 1000;
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
    expect(
      (
        await api('POST', '/api/v1/subdomains/check', { poolDomain: 'omani.works', subdomain: 'race' })
      ).json(),
    ).toMatchObject({
      available: false,
      reason: 'taken',
    });
  });

  it('frees a name when its reservation expires, and the sweeper removes the row', async () => {
    const first = await api('POST', '/api/v1/pool/reservations', {
      poolDomain: 'omani.works',
      subdomain: 'brief',
    });
    expect(first.statusCode).toBe(201);
    await db.query(
      `update domain_allocations set expires_at = now() - interval '1 second' where fqdn = 'brief.omani.works'`,
    );
    expect(
      (
        await api('POST', '/api/v1/subdomains/check', { poolDomain: 'omani.works', subdomain: 'brief' })
      ).json().available,
    ).toBe(true);
    expect(await t.app.get(DomainsService).sweepExpired()).toContain('brief.omani.works');
    const again = await api('POST', '/api/v1/pool/reservations', {
      poolDomain: 'omani.works',
      subdomain: 'brief',
    });
    expect(again.statusCode).toBe(201);
    expect(again.json().reservationId).not.toBe(first.json().reservationId);
  });

  it('lets a new reservation take over an expired one before the sweeper runs', async () => {
    await api('POST', '/api/v1/pool/reservations', { poolDomain: 'omani.works', subdomain: 'stale' });
    await db.query(
      `update domain_allocations set expires_at = now() - interval '1 second' where fqdn = 'stale.omani.works'`,
    );
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        api('POST', '/api/v1/pool/reservations', { poolDomain: 'omani.works', subdomain: 'stale' }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
  });

  it('refuses bad names with 422 and the reason as the code', async () => {
    for (const [poolDomain, subdomain, code] of [
      ['omani.works', 'no_way', 'invalid-format'],
      ['omani.works', 'harbor', 'reserved'],
      ['nowhere.example', 'acme', 'unsupported-pool'],
    ]) {
      const res = await api('POST', '/api/v1/pool/reservations', { poolDomain, subdomain });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe(code);
    }
  });

  it('is for sovereign admins only', async () => {
    const res = await api(
      'POST',
      '/api/v1/pool/reservations',
      { poolDomain: 'omani.works', subdomain: 'mine' },
      member,
    );
    expect(res.statusCode).toBe(403);
  });
});

describe('commit and release against a real PowerDNS', () => {
  it('publishes a signed zone with the canonical records and delegates it from the pool zone; release undoes it all', async () => {
    const reserved = (
      await api('POST', '/api/v1/pool/reservations', { poolDomain: 'omani.works', subdomain: 'omantel' })
    ).json();
    const commit = await api('POST', `/api/v1/pool/reservations/${reserved.reservationId}/commit`, {
      loadBalancerIP: LB_IP,
    });
    expect(commit.statusCode).toBe(200);
    expect(commit.json()).toEqual({ fqdn: 'omantel.omani.works', state: 'active', loadBalancerIP: LB_IP });

    const zone = await direct.getZone('omantel.omani.works');
    expect(zone).toMatchObject({
      kind: 'Native',
      dnssec: true,
      soa_edit: 'INCEPTION-EPOCH',
      soa_edit_api: 'DEFAULT',
    });
    expect(
      zone?.rrsets
        ?.find((r) => r.type === 'NS')
        ?.records.map((r) => r.content)
        .sort(),
    ).toEqual(NAMESERVERS.map((ns) => `${ns}.`));
    const keys = await direct.listCryptokeys('omantel.omani.works');
    expect(keys.some((k) => k.active && (k.keytype === 'csk' || k.keytype === 'ksk'))).toBe(true);
    const aRecords = zone?.rrsets?.filter((r) => r.type === 'A') ?? [];
    expect(aRecords.map((r) => r.name).sort()).toEqual(
      ['*', 'api', 'console', 'gitea', 'harbor']
        .map((h) => `${h}.omantel.omani.works.`)
        .concat('omantel.omani.works.')
        .sort(),
    );
    expect(aRecords.every((r) => r.ttl === 300 && r.records[0]?.content === LB_IP)).toBe(true);
    // One region: plain A records only, no LUA failover record and no per-region name.
    expect(zone?.rrsets?.filter((r) => r.type === 'LUA')).toEqual([]);

    // As a resolver sees it.
    expect(pdns.dig('console.omantel.omani.works', 'A', '+short')).toEqual([LB_IP]);
    expect(pdns.dig('anything.omantel.omani.works', 'A', '+short')).toEqual([LB_IP]);
    expect(pdns.dig('omantel.omani.works', 'DNSKEY', '+short').length).toBeGreaterThan(0);
    // The pool zone carries the referral (NS, TTL 3600) and the DS of the child's key.
    const poolZone = pdns.dig('omani.works', 'AXFR').join('\n');
    expect(poolZone).toMatch(/omantel\.omani\.works\.\s+3600\s+IN\s+NS\s+ns1\.catalyst\.test\./);
    expect(poolZone).toMatch(/omantel\.omani\.works\.\s+3600\s+IN\s+NS\s+ns2\.catalyst\.test\./);
    expect(poolZone).toMatch(/omantel\.omani\.works\.\s+3600\s+IN\s+DS\s+\d+ 13 2 /);

    const listed = (await api('GET', '/api/v1/pool/allocations?poolDomain=omani.works')).json().allocations;
    expect(listed.find((a: { fqdn: string }) => a.fqdn === 'omantel.omani.works')).toMatchObject({
      state: 'active',
      mode: 'pool',
      loadBalancerIP: LB_IP,
    });

    // Every step converges: committing again changes nothing.
    const again = await api('POST', `/api/v1/pool/reservations/${reserved.reservationId}/commit`, {
      loadBalancerIP: LB_IP,
    });
    expect(again.statusCode).toBe(200);
    expect((await direct.listCryptokeys('omantel.omani.works')).length).toBe(keys.length);

    const released = await api('DELETE', '/api/v1/pool/allocations/omantel.omani.works');
    expect(released.statusCode).toBe(200);
    expect(await direct.getZone('omantel.omani.works')).toBeUndefined();
    expect(pdns.dig('omani.works', 'AXFR').join('\n')).not.toContain('omantel.omani.works');
    expect(pdns.dig('console.omantel.omani.works', 'A', '+short')).toEqual([]);
    expect(
      (
        await api('POST', '/api/v1/subdomains/check', { poolDomain: 'omani.works', subdomain: 'omantel' })
      ).json().available,
    ).toBe(true);
    expect((await api('DELETE', '/api/v1/pool/allocations/omantel.omani.works')).statusCode).toBe(404);
  });

  it('removes the zone it created when signing fails (no half-created zone), and a re-run succeeds', async () => {
    const reserved = (
      await api('POST', '/api/v1/pool/reservations', { poolDomain: 'omantel.biz', subdomain: 'shaky' })
    ).json();
    proxy.rules = [{ method: 'PUT', path: /\/zones\/shaky\.omantel\.biz\.$/ }];
    const failed = await api('POST', `/api/v1/pool/reservations/${reserved.reservationId}/commit`, {
      loadBalancerIP: LB_IP,
    });
    proxy.rules = [];
    expect(failed.statusCode).toBe(502);
    expect(failed.json().error.code).toBe('dns_failed');
    expect(await direct.getZone('shaky.omantel.biz')).toBeUndefined();
    const { rows } = await db.query(`select state from domain_allocations where fqdn = 'shaky.omantel.biz'`);
    expect(rows[0].state).toBe('reserved');

    const retried = await api('POST', `/api/v1/pool/reservations/${reserved.reservationId}/commit`, {
      loadBalancerIP: LB_IP,
    });
    expect(retried.statusCode).toBe(200);
    expect((await direct.getZone('shaky.omantel.biz'))?.dnssec).toBe(true);
  });

  it('rolls back the zone when the delegation in the pool zone fails', async () => {
    const reserved = (
      await api('POST', '/api/v1/pool/reservations', { poolDomain: 'omantel.biz', subdomain: 'orphan' })
    ).json();
    proxy.rules = [{ method: 'PATCH', path: /\/zones\/omantel\.biz\.$/ }];
    const failed = await api('POST', `/api/v1/pool/reservations/${reserved.reservationId}/commit`, {
      loadBalancerIP: LB_IP,
    });
    proxy.rules = [];
    expect(failed.statusCode).toBe(502);
    expect(await direct.getZone('orphan.omantel.biz')).toBeUndefined();
    expect(pdns.dig('omantel.biz', 'AXFR').join('\n')).not.toContain('orphan.omantel.biz');
  });

  it('refuses to commit an expired reservation, an unknown one and a bad address', async () => {
    const reserved = (
      await api('POST', '/api/v1/pool/reservations', { poolDomain: 'omani.works', subdomain: 'late' })
    ).json();
    await db.query(
      `update domain_allocations set expires_at = now() - interval '1 second' where fqdn = 'late.omani.works'`,
    );
    const expired = await api('POST', `/api/v1/pool/reservations/${reserved.reservationId}/commit`, {
      loadBalancerIP: LB_IP,
    });
    expect(expired.statusCode).toBe(410);
    expect(await direct.getZone('late.omani.works')).toBeUndefined();
    const unknown = await api(
      'POST',
      '/api/v1/pool/reservations/00000000-0000-4000-8000-000000000000/commit',
      {
        loadBalancerIP: LB_IP,
      },
    );
    expect(unknown.statusCode).toBe(404);
    const badIp = await api('POST', `/api/v1/pool/reservations/${reserved.reservationId}/commit`, {
      loadBalancerIP: '300.1.1.1',
    });
    expect(badIp.statusCode).toBe(400);
    expect(badIp.json().error.details.issues[0].path).toBe('loadBalancerIP');
    const badId = await api('POST', '/api/v1/pool/reservations/not-a-uuid/commit', { loadBalancerIP: LB_IP });
    expect(badId.statusCode).toBe(400);
  });
});

describe('manual delegation (byo-manual)', () => {
  it('creates the zone the same way and reports progress until the customer delegates the name', async () => {
    // The "internet": another PowerDNS that hosts the customer's domain and acts as the resolver.
    const world = new PowerDnsServer();
    await world.start();
    const worldApi = new PowerDnsClient({
      url: world.apiUrl,
      apiKey: PDNS_TEST_API_KEY,
      serverId: 'localhost',
    });
    await worldApi.createZone('bank.test', ['ns1.bank.test']);
    const app = await startTestApp({
      databaseUrl: t.databaseUrl,
      env: {
        PDNS_API_URL: pdns.apiUrl,
        PDNS_API_KEY: PDNS_TEST_API_KEY,
        CATALYST_NAMESERVERS: NAMESERVERS.join(','),
        CATALYST_DNS_RESOLVER: `127.0.0.1:${world.dnsPort}`,
      },
    });
    try {
      const domains = app.app.get(DomainsService);
      const reservation = await domains.reserveOwn('cloud.bank.test', 'byo-manual');
      await domains.commit(reservation.reservationId, [{ region: 'fsn1', loadBalancerIP: LB_IP }]);
      expect(pdns.dig('console.cloud.bank.test', 'A', '+short')).toEqual([LB_IP]);

      const seen: boolean[] = [];
      const waiting = domains.delegation.waitFor('cloud.bank.test', {
        timeoutSeconds: 30,
        pollSeconds: 0.2,
        onProgress: (status) => seen.push(status.delegated),
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((delegated) => !delegated)).toBe(true);

      await worldApi.patchRRsets('bank.test', [
        {
          name: 'cloud.bank.test.',
          type: 'NS',
          ttl: 3600,
          changetype: 'REPLACE',
          records: NAMESERVERS.map((ns) => ({ content: `${ns}.`, disabled: false })),
        },
      ]);
      const done = await waiting;
      expect(done).toEqual({
        fqdn: 'cloud.bank.test',
        expected: NAMESERVERS,
        found: NAMESERVERS,
        delegated: true,
      });
      expect(seen.at(-1)).toBe(true);
      await domains.release('cloud.bank.test');
    } finally {
      await app.close();
      await world.stop();
    }
  });

  it('gives up with a clear message when the delegation never appears', async () => {
    const checker = t.app.get(DomainsService).delegation;
    await expect(
      checker.waitFor('never.example.invalid', { timeoutSeconds: 1, pollSeconds: 0.3 }),
    ).rejects.toThrow(/not delegated to ns1\.catalyst\.test, ns2\.catalyst\.test/);
  });
});

describe('without PowerDNS', () => {
  it('still checks and reserves names but refuses to commit with 503', async () => {
    const app = await startTestApp({
      env: { CATALYST_ADMIN_EMAILS: 'ops@catalyst.test', SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
    });
    try {
      const cookie = await signIn(app.app, smtp, 'ops@catalyst.test');
      const reserved = await app.app.inject({
        method: 'POST',
        url: '/api/v1/pool/reservations',
        payload: { poolDomain: 'omani.works', subdomain: 'offline' },
        headers: { cookie },
      });
      expect(reserved.statusCode).toBe(201);
      const commit = await app.app.inject({
        method: 'POST',
        url: `/api/v1/pool/reservations/${reserved.json().reservationId}/commit`,
        payload: { loadBalancerIP: LB_IP },
        headers: { cookie },
      });
      expect(commit.statusCode).toBe(503);
      expect(commit.json().error.code).toBe('dns_not_configured');
    } finally {
      await app.close();
    }
  });
});
