import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FaultyProxy } from '../../test/fixtures/powerdns/faulty-proxy.js';
import { PDNS_TEST_API_KEY, PowerDnsServer } from '../../test/fixtures/powerdns/powerdns-server.js';
import { eventually } from '../../test/helpers/eventually.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { freePort } from '../database/embedded-postgres.js';
import { DomainsService } from './domains.service.js';
import { PowerDnsClient } from './powerdns.client.js';
import { failoverRecord } from './zone-publisher.js';

/**
 * A multi-region Sovereign's DNS on a real PowerDNS with LUA records: each region's names answer its
 * own load balancer, the shared names answer the load balancers whose failover port is open. The two
 * "load balancers" are 127.0.0.2 and 127.0.0.3; a TCP listener on each stands for its port 443.
 */
const NAMESERVERS = ['ns1.catalyst.test', 'ns2.catalyst.test'];
const FSN1 = '127.0.0.2';
const NBG1 = '127.0.0.3';
const TWO_REGIONS = [
  { region: 'fsn1', loadBalancerIP: FSN1 },
  { region: 'nbg1', loadBalancerIP: NBG1 },
];
const SHARED = ['', '*.', 'console.', 'api.', 'gitea.', 'harbor.'];
let pdns: PowerDnsServer;
let proxy: FaultyProxy;
let direct: PowerDnsClient;
let t: TestApp;
let domains: DomainsService;
let port: number;

/** A region's load balancer port, opened and closed by the test. */
class Listener {
  private server?: Server;
  constructor(private readonly host: string) {}
  async open(): Promise<void> {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, resolve);
    });
    this.server = server;
  }
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
const fsn1 = new Listener(FSN1);
const nbg1 = new Listener(NBG1);

/** The addresses a resolver gets for a name, sorted. */
function addresses(name: string): string[] {
  return pdns.dig(name, 'A', '+short').sort();
}

/** Waits until every shared name of `fqdn` answers exactly `expected`. */
async function sharedNamesAnswer(fqdn: string, expected: string[]) {
  await eventually(`the shared names of ${fqdn} to answer ${expected.join(', ')}`, () =>
    SHARED.every((host) => {
      const name = host === '*.' ? `anything.${fqdn}` : `${host}${fqdn}`;
      return addresses(name).join() === [...expected].sort().join();
    }),
  );
}

/** The zone's records as PowerDNS keeps them, the SOA aside (its serial moves with every change). */
async function records(zone: string) {
  return (await direct.getZone(zone))?.rrsets
    ?.filter((r) => r.type !== 'SOA')
    .map((r) => `${r.name} ${r.ttl} ${r.type} ${r.records.map((x) => x.content).sort()}`)
    .sort();
}

beforeAll(async () => {
  pdns = new PowerDnsServer();
  await pdns.start();
  proxy = new FaultyProxy(pdns.apiUrl);
  await proxy.start();
  direct = new PowerDnsClient({ url: pdns.apiUrl, apiKey: PDNS_TEST_API_KEY, serverId: 'localhost' });
  port = await freePort();
  t = await startTestApp({
    env: {
      PDNS_API_URL: proxy.url,
      PDNS_API_KEY: PDNS_TEST_API_KEY,
      CATALYST_POOL_DOMAINS: 'omani.works',
      CATALYST_NAMESERVERS: NAMESERVERS.join(','),
      CATALYST_DNS_FAILOVER_PORT: String(port),
    },
  });
  await vi.waitFor(() => expect(t.logs.text).toContain('pool zones are in place in PowerDNS'), {
    timeout: 15_000,
  });
  domains = t.app.get(DomainsService);
});
afterAll(async () => {
  await fsn1.close();
  await nbg1.close();
  await t?.close();
  await proxy?.stop();
  await pdns?.stop();
});

describe('a two-region Sovereign', () => {
  const fqdn = 'twin.omani.works';

  it('publishes per-region A records and LUA failover records for the shared names, signed', async () => {
    const reservation = await domains.reservePool('omani.works', 'twin');
    const allocation = await domains.commit(reservation.reservationId, TWO_REGIONS);
    expect(allocation).toMatchObject({ fqdn, state: 'active', loadBalancerIP: FSN1 });

    const lua = `A "ifportup(${port}, {'${FSN1}', '${NBG1}'}, {selector='all', backupSelector='all'})"`;
    expect((await records(fqdn))?.filter((line) => !/ (NS|DNSKEY|CDS|CDNSKEY) /.test(line))).toEqual(
      [
        ...SHARED.map((host) => `${host}${fqdn}. 300 LUA ${lua}`),
        `fsn1.${fqdn}. 300 A ${FSN1}`,
        `console.fsn1.${fqdn}. 300 A ${FSN1}`,
        `nbg1.${fqdn}. 300 A ${NBG1}`,
        `console.nbg1.${fqdn}. 300 A ${NBG1}`,
      ].sort(),
    );

    // Each region's own names answer its load balancer, whatever the ports do.
    expect(addresses(`fsn1.${fqdn}`)).toEqual([FSN1]);
    expect(addresses(`console.fsn1.${fqdn}`)).toEqual([FSN1]);
    expect(addresses(`nbg1.${fqdn}`)).toEqual([NBG1]);
    expect(addresses(`console.nbg1.${fqdn}`)).toEqual([NBG1]);

    // DNSSEC stays on: an active key, delegated by DS, and the failover answers are signed.
    const keys = await direct.listCryptokeys(fqdn);
    expect(keys.some((k) => k.active && (k.keytype === 'csk' || k.keytype === 'ksk'))).toBe(true);
    expect(pdns.dig('omani.works', 'AXFR').join('\n')).toMatch(
      /twin\.omani\.works\.\s+3600\s+IN\s+DS\s+\d+ 13 2 /,
    );
    const signed = pdns.dig(`console.${fqdn}`, 'A', '+dnssec', '+noall', '+answer').join('\n');
    expect(signed).toMatch(/\sRRSIG\s+A 13 /);
    expect(pdns.dig(`fsn1.${fqdn}`, 'A', '+dnssec', '+noall', '+answer').join('\n')).toMatch(
      /\sRRSIG\s+A 13 /,
    );
  });

  it('answers the shared names with every load balancer whose port is open', async () => {
    await fsn1.open();
    await nbg1.open();
    await sharedNamesAnswer(fqdn, [FSN1, NBG1]);

    // fsn1 goes down: only nbg1 is answered; fsn1's own names still point at it.
    await fsn1.close();
    await sharedNamesAnswer(fqdn, [NBG1]);
    expect(addresses(`console.fsn1.${fqdn}`)).toEqual([FSN1]);

    // fsn1 is back, nbg1 goes down.
    await fsn1.open();
    await sharedNamesAnswer(fqdn, [FSN1, NBG1]);
    await nbg1.close();
    await sharedNamesAnswer(fqdn, [FSN1]);

    // Both down: PowerDNS answers all of them (backupSelector='all') rather than nothing.
    await fsn1.close();
    await sharedNamesAnswer(fqdn, [FSN1, NBG1]);
  });

  it('converges on a re-commit, and a one-region commit leaves exactly the plain A records', async () => {
    const live = await domains.findLive(fqdn);
    if (!live) throw new Error(`${fqdn} is not allocated`);
    const before = await records(fqdn);
    const keys = await direct.listCryptokeys(fqdn);
    await domains.commit(live.id, TWO_REGIONS);
    expect(await records(fqdn)).toEqual(before);
    expect(await direct.listCryptokeys(fqdn)).toHaveLength(keys.length);

    // An operator's own record in the zone is no region's: it stays.
    await direct.patchRRsets(fqdn, [
      {
        name: `status.${fqdn}.`,
        type: 'A',
        ttl: 60,
        changetype: 'REPLACE',
        records: [{ content: '198.51.100.7', disabled: false }],
      },
    ]);
    await domains.commit(live.id, [{ region: 'fsn1', loadBalancerIP: NBG1 }]);
    expect(
      (await records(fqdn))?.filter((line) => / (A|LUA) /.test(line) && !line.startsWith('status.')),
    ).toEqual(SHARED.map((host) => `${host}${fqdn}. 300 A ${NBG1}`).sort());
    expect(await records(fqdn)).toContain(`status.${fqdn}. 60 A 198.51.100.7`);
    expect(addresses(`console.${fqdn}`)).toEqual([NBG1]);
    // The region names are gone: only the wildcard answers them now.
    expect(addresses(`fsn1.${fqdn}`)).toEqual([NBG1]);
    expect(addresses(`console.fsn1.${fqdn}`)).toEqual([NBG1]);

    // And back to two regions, then one region dropped from three.
    await domains.commit(live.id, [...TWO_REGIONS, { region: 'hel1', loadBalancerIP: '127.0.0.4' }]);
    await domains.commit(live.id, TWO_REGIONS);
    expect((await records(fqdn))?.filter((line) => line.includes('hel1'))).toEqual([]);
    expect(addresses(`console.nbg1.${fqdn}`)).toEqual([NBG1]);
    expect((await records(fqdn))?.filter((line) => line.startsWith(`console.${fqdn}.`))).toEqual([
      `console.${fqdn}. 300 LUA ${failoverRecord(TWO_REGIONS, port)}`,
    ]);

    await domains.release(fqdn);
    expect(await direct.getZone(fqdn)).toBeUndefined();
  });

  it('rolls back the zone it created when the delegation fails, and a re-run succeeds', async () => {
    const reservation = await domains.reservePool('omani.works', 'shaky');
    proxy.rules = [{ method: 'PATCH', path: /\/zones\/omani\.works\.$/ }];
    await expect(domains.commit(reservation.reservationId, TWO_REGIONS)).rejects.toMatchObject({
      status: 502,
      code: 'dns_failed',
    });
    proxy.rules = [];
    expect(await direct.getZone('shaky.omani.works')).toBeUndefined();
    expect((await domains.findLive('shaky.omani.works'))?.state).toBe('reserved');

    await domains.commit(reservation.reservationId, TWO_REGIONS);
    expect(addresses('nbg1.shaky.omani.works')).toEqual([NBG1]);
    expect((await direct.getZone('shaky.omani.works'))?.dnssec).toBe(true);
    await domains.release('shaky.omani.works');
  });

  it('refuses regions and addresses that cannot be published, writing nothing', async () => {
    const reservation = await domains.reservePool('omani.works', 'wrong');
    const cases: [{ region: string; loadBalancerIP: string }[], RegExp][] = [
      [[], /at least one/],
      [[TWO_REGIONS[0], { region: 'fsn1', loadBalancerIP: NBG1 }] as never, /listed twice/],
      [[TWO_REGIONS[0], { region: 'console', loadBalancerIP: NBG1 }] as never, /cannot name a region/],
      [[TWO_REGIONS[0], { region: 'a.b', loadBalancerIP: NBG1 }] as never, /cannot name a region/],
      [[TWO_REGIONS[0], { region: 'nbg1', loadBalancerIP: "1.2.3.4'}) os.exit() --" }] as never, /IPv4/],
      [[{ region: 'fsn1', loadBalancerIP: '2001:db8::1' }], /IPv4/],
    ];
    for (const [targets, message] of cases) {
      await expect(domains.commit(reservation.reservationId, targets)).rejects.toMatchObject({
        status: 422,
        code: 'invalid_regions',
        message: expect.stringMatching(message),
      });
    }
    expect(await direct.getZone('wrong.omani.works')).toBeUndefined();
    expect(() => failoverRecord([{ region: 'x', loadBalancerIP: "1.2.3.4'" }], 443)).toThrow(/IPv4/);
  });
});
