import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmulatorServer } from '../../../test/fixtures/registrars/emulator-server.js';
import {
  NAMECHEAP_DNS_SERVERS,
  NamecheapEmulator,
  type NamecheapHost,
} from '../../../test/fixtures/registrars/namecheap.emulator.js';
import { DEFAULT_NAMECHEAP_API_URL } from '../../config/registrar-endpoints.js';
import { NamecheapAdapter, type NamecheapCredentials } from './namecheap.adapter.js';
import { RegistrarError } from './registrar.js';

const API_USER = 'bankops';
const API_KEY = 'nc5f1e2d3c4b5a69788796a5b4c3d2e1f0';
const CLIENT_IP = '203.0.113.10';
const DOMAIN = 'bank.com';
const PROVIDER_NS = ['ns1.provider.net', 'ns2.provider.net'];

const credentials: NamecheapCredentials = { apiUser: API_USER, apiKey: API_KEY, clientIp: CLIENT_IP };

/** A customer's zone as Namecheap holds it: web, mail, SPF/DKIM/DMARC and an unrelated delegation. */
const CUSTOMER_HOSTS: NamecheapHost[] = [
  { name: '@', type: 'A', address: '192.0.2.10', ttl: 1800 },
  { name: 'www', type: 'CNAME', address: 'bank.com.', ttl: 3600 },
  { name: '@', type: 'MX', address: 'mx1.mail.example.net.', mxPref: 10, ttl: 3600 },
  { name: '@', type: 'MX', address: 'mx2.mail.example.net.', mxPref: 20, ttl: 3600 },
  { name: '@', type: 'TXT', address: 'v=spf1 include:_spf.example.net ~all', ttl: 1800 },
  { name: '_dmarc', type: 'TXT', address: 'v=DMARC1; p=reject; rua=mailto:dmarc@bank.com', ttl: 1800 },
  { name: 'sel1._domainkey', type: 'TXT', address: 'k=rsa; p=MIGf+/A= "quoted" & <angled>', ttl: 1800 },
  { name: 'beta', type: 'NS', address: 'ns1.other-cloud.io', ttl: 1800 },
  { name: 'beta', type: 'NS', address: 'ns2.other-cloud.io', ttl: 1800 },
];

function hostsOf(emulator: NamecheapEmulator, domain = DOMAIN): NamecheapHost[] {
  return emulator.domain(domain).hosts.map(({ hostId: _hostId, ...host }) => host);
}

function nsRows(nameservers: string[], name = 'acme', ttl = 1800): NamecheapHost[] {
  return nameservers.map((address) => ({ name, type: 'NS', address, ttl }));
}

function sortHosts(hosts: NamecheapHost[]): NamecheapHost[] {
  return [...hosts].sort((a, b) =>
    `${a.name} ${a.type} ${a.address}`.localeCompare(`${b.name} ${b.type} ${b.address}`),
  );
}

async function failure(promise: Promise<unknown>): Promise<RegistrarError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof RegistrarError)) throw new Error(`expected a RegistrarError, got ${String(error)}`);
  expect(error.message).not.toContain(API_KEY);
  return error;
}

describe('NamecheapAdapter', () => {
  const emulator = new NamecheapEmulator();
  let adapter: NamecheapAdapter;

  beforeAll(async () => {
    adapter = new NamecheapAdapter({ baseUrl: await emulator.start() });
  });

  afterAll(() => emulator.stop());

  beforeEach(() => {
    emulator.reset();
    emulator.addAccount({
      apiUser: API_USER,
      apiKey: API_KEY,
      whitelistedIps: [CLIENT_IP],
      actsFor: ['bank-subaccount'],
    });
    emulator.addAccount({ apiUser: 'someoneelse', apiKey: 'other-key-000', whitelistedIps: [CLIENT_IP] });
    emulator.addDomain(API_USER, DOMAIN, { emailType: 'MX', hosts: CUSTOMER_HOSTS });
  });

  const writes = () =>
    emulator
      .commands()
      .filter((command) => command === 'namecheap.domains.dns.sethosts' || command.endsWith('.setcustom'));

  /** The parameters of the request at `index` (negative counts from the end). */
  const paramsAt = (index: number) => {
    const request = emulator.requests.at(index);
    if (!request) throw new Error(`no request at ${index}`);
    return emulator.params(request);
  };
  const paramsOf = (command: string) => {
    const request = emulator.requests.find(
      (candidate) => emulator.params(candidate).get('Command') === command,
    );
    if (!request) throw new Error(`no ${command} request`);
    return { request, params: emulator.params(request) };
  };

  describe('description', () => {
    it('points the config default at the production XML endpoint', () => {
      expect(DEFAULT_NAMECHEAP_API_URL).toBe('https://api.namecheap.com/xml.response');
    });

    it('asks for API user, API key, optional user name and the whitelisted IPv4, with only the key secret', () => {
      expect(adapter.credentialFields.map((field) => [field.name, field.secret, field.optional])).toEqual([
        ['apiUser', false, false],
        ['apiKey', true, false],
        ['userName', false, true],
        ['clientIp', false, false],
      ]);
      expect(adapter.subdomainDelegation).toBe(true);
      expect(adapter.apexDelegation).toBe(true);
    });

    it('trims credentials and rejects unknown fields, empty values and a client IP that is not IPv4', () => {
      const schema = adapter.credentialsSchema;
      expect(schema.parse({ apiUser: ' bankops ', apiKey: ' key ', clientIp: ' 203.0.113.10 ' })).toEqual({
        apiUser: 'bankops',
        apiKey: 'key',
        clientIp: '203.0.113.10',
      });
      expect(schema.safeParse({ ...credentials, token: 'x' }).success).toBe(false);
      expect(schema.safeParse({ ...credentials, apiKey: '   ' }).success).toBe(false);
      expect(schema.safeParse({ ...credentials, clientIp: '2001:db8::1' }).success).toBe(false);
      expect(schema.safeParse({ apiUser: API_USER, apiKey: API_KEY }).success).toBe(false);
    });
  });

  describe('validate', () => {
    it('is valid when the domain is on a later page of a large account, paging 100 at a time', async () => {
      for (let i = 0; i < 249; i++) emulator.addDomain(API_USER, `aaa-${String(i).padStart(3, '0')}.com`);
      emulator.addDomain(API_USER, 'zzz-last.com');

      const result = await adapter.validate(credentials, 'ZZZ-Last.com.');

      expect(result.status).toBe('valid');
      const pages = emulator.requests.map((request) => emulator.params(request));
      expect(
        pages.map((params) => [params.get('Command'), params.get('Page'), params.get('PageSize')]),
      ).toEqual([
        ['namecheap.domains.getList', '1', '100'],
        ['namecheap.domains.getList', '2', '100'],
        ['namecheap.domains.getList', '3', '100'],
      ]);
    });

    it('sends ApiUser, ApiKey, UserName (the API user by default) and ClientIp on every call, and writes nothing', async () => {
      await adapter.validate(credentials, DOMAIN);

      expect(emulator.requests.length).toBeGreaterThan(0);
      for (const request of emulator.requests) {
        const params = emulator.params(request);
        expect(request.method).toBe('GET');
        expect(params.get('ApiUser')).toBe(API_USER);
        expect(params.get('ApiKey')).toBe(API_KEY);
        expect(params.get('UserName')).toBe(API_USER);
        expect(params.get('ClientIp')).toBe(CLIENT_IP);
      }
      expect(writes()).toEqual([]);
    });

    it('acts for a sub-account when a user name is given', async () => {
      emulator.addDomain('bank-subaccount', 'sub-bank.com');

      const result = await adapter.validate({ ...credentials, userName: 'bank-subaccount' }, 'sub-bank.com');

      expect(result.status).toBe('valid');
      expect(paramsAt(0).get('UserName')).toBe('bank-subaccount');
    });

    it('mentions when the domain does not use Namecheap DNS', async () => {
      emulator.addDomain(API_USER, 'elsewhere.com', { usingOurDns: false, nameservers: PROVIDER_NS });

      const result = await adapter.validate(credentials, 'elsewhere.com');

      expect(result.status).toBe('valid');
      expect(result.message).toMatch(/does not use Namecheap DNS/);
    });

    it('is invalid for a wrong API key (error 1011102) without echoing the key', async () => {
      const result = await adapter.validate({ ...credentials, apiKey: 'wrong-key-123456' }, DOMAIN);

      expect(result.status).toBe('invalid');
      expect(result.message).not.toContain('wrong-key-123456');
    });

    it('is invalid when API access was never enabled for the account', async () => {
      emulator.addAccount({
        apiUser: 'noaccess',
        apiKey: 'noaccess-key',
        whitelistedIps: [CLIENT_IP],
        apiAccess: false,
      });

      const result = await adapter.validate(
        { ...credentials, apiUser: 'noaccess', apiKey: 'noaccess-key' },
        DOMAIN,
      );

      expect(result.status).toBe('invalid');
    });

    it('is invalid and says the client IP is not whitelisted (error 1011150)', async () => {
      const result = await adapter.validate({ ...credentials, clientIp: '198.51.100.7' }, DOMAIN);

      expect(result.status).toBe('invalid');
      expect(result.message).toMatch(/not whitelisted/);
      expect(result.message).not.toContain(API_KEY);
    });

    it('is insufficient when the API user may not act for the given user name (error 1016103)', async () => {
      const result = await adapter.validate({ ...credentials, userName: 'stranger' }, DOMAIN);

      expect(result.status).toBe('insufficient');
    });

    it('is not-in-account when the domain belongs to another account', async () => {
      emulator.addDomain('someoneelse', 'theirs.com');

      const result = await adapter.validate(credentials, 'theirs.com');

      expect(result.status).toBe('not-in-account');
      expect(result.message).toContain('theirs.com');
    });

    it('is rate-limited when Namecheap throttles with error 500000 inside an HTTP 200', async () => {
      emulator.failures.rateLimited = true;

      const result = await adapter.validate(credentials, DOMAIN);

      expect(result.status).toBe('rate-limited');
    });

    it('is rate-limited when an unknown error number says "too many requests"', async () => {
      emulator.failures.commands.set('namecheap.domains.getlist', {
        number: '3050900',
        text: 'Too many requests per hour',
      });

      expect((await adapter.validate(credentials, DOMAIN)).status).toBe('rate-limited');
    });

    it('is unavailable when Namecheap answers HTTP 503', async () => {
      emulator.failures.httpStatus = 503;

      const result = await adapter.validate(credentials, DOMAIN);

      expect(result.status).toBe('unavailable');
    });

    it('is unavailable when Namecheap answers HTTP 200 with something that is not API XML', async () => {
      emulator.failures.garbage = true;

      expect((await adapter.validate(credentials, DOMAIN)).status).toBe('unavailable');
    });

    it('is unavailable when nothing listens at the configured address, without showing the URL', async () => {
      const closed = new EmulatorServer(() => undefined);
      const url = await closed.start('/xml.response');
      await closed.stop();

      const result = await new NamecheapAdapter({ baseUrl: url }).validate(credentials, DOMAIN);

      expect(result.status).toBe('unavailable');
      expect(result.message).not.toContain('127.0.0.1');
      expect(result.message).not.toContain(API_KEY);
    });
  });

  describe('delegating a label', () => {
    it('adds NS rows for the label and reads them back', async () => {
      await adapter.delegate(credentials, DOMAIN, { kind: 'label', label: 'acme' }, [
        'NS2.Provider.net.',
        'ns1.provider.net',
      ]);

      expect(hostsOf(emulator).filter((host) => host.name === 'acme')).toEqual(nsRows(PROVIDER_NS));
      await expect(
        adapter.readNameservers(credentials, DOMAIN, { kind: 'label', label: 'acme' }),
      ).resolves.toEqual(PROVIDER_NS);
    });

    it("keeps the customer's A, CNAME, MX, TXT and other NS records, their TTLs and MX preferences", async () => {
      await adapter.delegate(credentials, DOMAIN, { kind: 'label', label: 'acme' }, PROVIDER_NS);

      expect(sortHosts(hostsOf(emulator))).toEqual(sortHosts([...CUSTOMER_HOSTS, ...nsRows(PROVIDER_NS)]));
    });

    it("re-sends the domain's EmailType so mail routing survives", async () => {
      await adapter.delegate(credentials, DOMAIN, { kind: 'label', label: 'acme' }, PROVIDER_NS);

      expect(emulator.domain(DOMAIN).emailType).toBe('MX');
      expect(hostsOf(emulator).filter((host) => host.type === 'MX')).toHaveLength(2);
    });

    it('uses an emulator that drops every row a setHosts call leaves out (so the preservation tests can fail)', async () => {
      const body = new URLSearchParams({
        ApiUser: API_USER,
        ApiKey: API_KEY,
        UserName: API_USER,
        ClientIp: CLIENT_IP,
        Command: 'namecheap.domains.dns.setHosts',
        SLD: 'bank',
        TLD: 'com',
        HostName1: 'acme',
        RecordType1: 'NS',
        Address1: 'ns1.provider.net',
      });
      await fetch(emulator.server.baseUrl, { method: 'POST', body });

      expect(hostsOf(emulator)).toEqual(nsRows(['ns1.provider.net']));
      expect(emulator.domain(DOMAIN).emailType).toBe('NONE');
    });

    it('replaces only the label’s own NS rows, keeping their TTL', async () => {
      emulator.addDomain(API_USER, DOMAIN, {
        emailType: 'MX',
        hosts: [...CUSTOMER_HOSTS, ...nsRows(['ns-old1.provider.net', 'ns-old2.provider.net'], 'acme', 600)],
      });

      await adapter.delegate(credentials, DOMAIN, { kind: 'label', label: 'acme' }, PROVIDER_NS);

      expect(sortHosts(hostsOf(emulator))).toEqual(
        sortHosts([...CUSTOMER_HOSTS, ...nsRows(PROVIDER_NS, 'acme', 600)]),
      );
    });

    it('sends setHosts as a POST form with every host, MXPref for MX rows and the EmailType', async () => {
      await adapter.delegate(credentials, DOMAIN, { kind: 'label', label: 'acme' }, PROVIDER_NS);

      const { request } = paramsOf('namecheap.domains.dns.setHosts');
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(request.url).not.toContain(API_KEY);
      const form = new URLSearchParams(request.body);
      expect(form.get('SLD')).toBe('bank');
      expect(form.get('TLD')).toBe('com');
      expect(form.get('EmailType')).toBe('MX');
      const mxIndexes = [...form.entries()].filter(
        ([key, value]) => key.startsWith('RecordType') && value === 'MX',
      );
      expect(mxIndexes.map(([key]) => form.get(key.replace('RecordType', 'MXPref')))).toEqual(['10', '20']);
      expect([...form.keys()].filter((key) => key.startsWith('HostName'))).toHaveLength(
        CUSTOMER_HOSTS.length + 2,
      );
    });

    it('changes nothing when delegating the same nameservers twice', async () => {
      await adapter.delegate(credentials, DOMAIN, { kind: 'label', label: 'acme' }, PROVIDER_NS);
      const after = hostsOf(emulator);
      const requestsBefore = emulator.requests.length;

      await adapter.delegate(
        credentials,
        DOMAIN,
        { kind: 'label', label: 'acme' },
        [...PROVIDER_NS].reverse(),
      );

      expect(hostsOf(emulator)).toEqual(after);
      expect(emulator.commands().slice(requestsBefore)).toEqual(['namecheap.domains.dns.gethosts']);
      expect(hostsOf(emulator).filter((host) => host.name === 'acme')).toHaveLength(2);
    });

    it('loses neither label when two labels are delegated at the same time', async () => {
      await Promise.all([
        adapter.delegate(credentials, DOMAIN, { kind: 'label', label: 'acme' }, PROVIDER_NS),
        adapter.delegate(credentials, DOMAIN, { kind: 'label', label: 'zeta' }, ['ns9.provider.net']),
      ]);

      await expect(
        adapter.readNameservers(credentials, DOMAIN, { kind: 'label', label: 'acme' }),
      ).resolves.toEqual(PROVIDER_NS);
      await expect(
        adapter.readNameservers(credentials, DOMAIN, { kind: 'label', label: 'zeta' }),
      ).resolves.toEqual(['ns9.provider.net']);
      expect(hostsOf(emulator)).toHaveLength(CUSTOMER_HOSTS.length + 3);
    });

    it('reads the documented <Host> element and HostID attribute spelling too', async () => {
      emulator.quirks.hostElement = 'Host';
      emulator.quirks.hostIdAttribute = 'HostID';

      await adapter.delegate(credentials, DOMAIN, { kind: 'label', label: 'acme' }, PROVIDER_NS);

      expect(sortHosts(hostsOf(emulator))).toEqual(sortHosts([...CUSTOMER_HOSTS, ...nsRows(PROVIDER_NS)]));
      await expect(
        adapter.readNameservers(credentials, DOMAIN, { kind: 'label', label: 'beta' }),
      ).resolves.toEqual(['ns1.other-cloud.io', 'ns2.other-cloud.io']);
    });

    it('splits a multi-label TLD: bank.co.uk is SLD bank, TLD co.uk', async () => {
      emulator.addDomain(API_USER, 'bank.co.uk', {
        hosts: [{ name: '@', type: 'A', address: '192.0.2.1', ttl: 1800 }],
      });

      await adapter.delegate(credentials, 'bank.co.uk', { kind: 'label', label: 'acme' }, PROVIDER_NS);

      const form = paramsAt(-1);
      expect([form.get('SLD'), form.get('TLD')]).toEqual(['bank', 'co.uk']);
      expect(hostsOf(emulator, 'bank.co.uk')).toHaveLength(3);
    });

    it('refuses as unsupported when the domain does not use Namecheap DNS, and writes nothing', async () => {
      emulator.addDomain(API_USER, 'elsewhere.com', { usingOurDns: false, nameservers: PROVIDER_NS });

      const error = await failure(
        adapter.delegate(credentials, 'elsewhere.com', { kind: 'label', label: 'acme' }, PROVIDER_NS),
      );

      expect(error.status).toBe('unsupported');
      expect(error.message).toMatch(/does not use Namecheap DNS/);
      expect(writes()).toEqual([]);
    });

    it('refuses as unsupported when the label already holds other records, and writes nothing', async () => {
      const error = await failure(
        adapter.delegate(credentials, DOMAIN, { kind: 'label', label: 'www' }, PROVIDER_NS),
      );

      expect(error.status).toBe('unsupported');
      expect(error.message).toContain('CNAME');
      expect(writes()).toEqual([]);
      expect(sortHosts(hostsOf(emulator))).toEqual(sortHosts(CUSTOMER_HOSTS));
    });

    it('refuses an empty nameserver list instead of removing the delegation', async () => {
      const error = await failure(
        adapter.delegate(credentials, DOMAIN, { kind: 'label', label: 'beta' }, [' ']),
      );

      expect(error.status).toBe('unsupported');
      expect(emulator.requests).toHaveLength(0);
    });
  });

  describe('delegating the whole domain', () => {
    it('sets custom nameservers with setCustom and reads them back from dns.getList', async () => {
      await adapter.delegate(credentials, DOMAIN, { kind: 'apex' }, [
        'NS2.provider.net',
        'ns1.provider.net.',
      ]);

      const form = paramsOf('namecheap.domains.dns.setCustom').params;
      expect([form.get('SLD'), form.get('TLD'), form.get('Nameservers')]).toEqual([
        'bank',
        'com',
        'ns1.provider.net,ns2.provider.net',
      ]);
      expect(emulator.domain(DOMAIN).usingOurDns).toBe(false);
      expect(emulator.domain(DOMAIN).nameservers).toEqual(PROVIDER_NS);
      await expect(adapter.readNameservers(credentials, DOMAIN, { kind: 'apex' })).resolves.toEqual(
        PROVIDER_NS,
      );
    });

    it('reports the Namecheap nameservers while the domain is on Namecheap DNS', async () => {
      await expect(adapter.readNameservers(credentials, DOMAIN, { kind: 'apex' })).resolves.toEqual(
        NAMECHEAP_DNS_SERVERS,
      );
    });

    it('accepts the documented Update= confirmation as well as Updated=', async () => {
      emulator.quirks.setCustomAttribute = 'Update';

      await adapter.delegate(credentials, DOMAIN, { kind: 'apex' }, PROVIDER_NS);

      expect(emulator.domain(DOMAIN).nameservers).toEqual(PROVIDER_NS);
    });

    it('fails as unavailable when Namecheap answers OK but Updated="false"', async () => {
      emulator.failures.unconfirmedWrites = true;

      const error = await failure(adapter.delegate(credentials, DOMAIN, { kind: 'apex' }, PROVIDER_NS));

      expect(error.status).toBe('unavailable');
      expect(error.message).toMatch(/did not confirm/);
    });

    it('treats an ERROR answer without any error number as a failure, never a success', async () => {
      emulator.failures.commands.set('namecheap.domains.dns.setcustom', { number: '', text: '' });

      const error = await failure(adapter.delegate(credentials, DOMAIN, { kind: 'apex' }, PROVIDER_NS));

      expect(error.status).toBe('unavailable');
    });

    it('uses SLD bank and TLD co.uk for bank.co.uk', async () => {
      emulator.addDomain(API_USER, 'bank.co.uk');

      await adapter.delegate(credentials, 'bank.co.uk', { kind: 'apex' }, PROVIDER_NS);

      expect(emulator.domain('bank.co.uk').nameservers).toEqual(PROVIDER_NS);
      await expect(adapter.readNameservers(credentials, 'bank.co.uk', { kind: 'apex' })).resolves.toEqual(
        PROVIDER_NS,
      );
    });

    it('does not call setCustom again when the nameservers are already set', async () => {
      await adapter.delegate(credentials, DOMAIN, { kind: 'apex' }, PROVIDER_NS);
      const before = emulator.requests.length;

      await adapter.delegate(credentials, DOMAIN, { kind: 'apex' }, [...PROVIDER_NS].reverse());

      expect(emulator.commands().slice(before)).toEqual(['namecheap.domains.dns.getlist']);
    });

    it('refuses more than 12 nameservers as unsupported', async () => {
      const many = Array.from({ length: 13 }, (_, i) => `ns${i}.provider.net`);

      const error = await failure(adapter.delegate(credentials, DOMAIN, { kind: 'apex' }, many));

      expect(error.status).toBe('unsupported');
      expect(writes()).toEqual([]);
    });
  });

  describe('errors while writing', () => {
    const label = { kind: 'label', label: 'acme' } as const;

    it('maps error 2030166 (editing not supported) to unsupported', async () => {
      emulator.failures.commands.set('namecheap.domains.dns.sethosts', {
        number: '2030166',
        text: 'Edit permission for domain is not supported',
      });

      expect((await failure(adapter.delegate(credentials, DOMAIN, label, PROVIDER_NS))).status).toBe(
        'unsupported',
      );
    });

    it('maps error 2030288 (not using Namecheap DNS) to unsupported', async () => {
      emulator.failures.commands.set('namecheap.domains.dns.setcustom', {
        number: '2030288',
        text: 'Domain is not using proper DNS servers',
      });

      expect(
        (await failure(adapter.delegate(credentials, DOMAIN, { kind: 'apex' }, PROVIDER_NS))).status,
      ).toBe('unsupported');
    });

    it('maps a throttled write to rate-limited', async () => {
      emulator.failures.commands.set('namecheap.domains.dns.sethosts', {
        number: '500000',
        text: 'Too many requests',
      });

      expect((await failure(adapter.delegate(credentials, DOMAIN, label, PROVIDER_NS))).status).toBe(
        'rate-limited',
      );
      expect(sortHosts(hostsOf(emulator))).toEqual(sortHosts(CUSTOMER_HOSTS));
    });

    it('maps a wrong key to invalid', async () => {
      const error = await failure(
        adapter.delegate({ ...credentials, apiKey: 'bad-key-999' }, DOMAIN, label, PROVIDER_NS),
      );

      expect(error.status).toBe('invalid');
      expect(error.message).not.toContain('bad-key-999');
    });

    it('maps an unknown domain (2019166) and another account’s domain (2016166) to not-in-account', async () => {
      emulator.addDomain('someoneelse', 'theirs.com');

      const unknown = await failure(adapter.delegate(credentials, 'nowhere.com', label, PROVIDER_NS));
      const theirs = await failure(adapter.readNameservers(credentials, 'theirs.com', { kind: 'apex' }));

      expect([unknown.status, theirs.status]).toEqual(['not-in-account', 'not-in-account']);
      expect(emulator.domain('theirs.com').hosts).toEqual([]);
    });

    it('fails as unavailable when setHosts answers IsSuccess="false"', async () => {
      emulator.failures.unconfirmedWrites = true;

      const error = await failure(adapter.delegate(credentials, DOMAIN, label, PROVIDER_NS));

      expect(error.status).toBe('unavailable');
      expect(error.message).toMatch(/did not confirm/);
    });

    it('maps HTTP 502 to unavailable', async () => {
      emulator.failures.httpStatus = 502;

      expect((await failure(adapter.delegate(credentials, DOMAIN, label, PROVIDER_NS))).status).toBe(
        'unavailable',
      );
    });

    it('maps an unknown error number to unavailable and redacts the key if Namecheap echoes it', async () => {
      emulator.failures.commands.set('namecheap.domains.dns.sethosts', {
        number: '3031510',
        text: `Unexpected failure for key ${API_KEY}`,
      });

      const error = await failure(adapter.delegate(credentials, DOMAIN, label, PROVIDER_NS));

      expect(error.status).toBe('unavailable');
      expect(error.message).toContain('3031510');
      expect(error.message).not.toContain(API_KEY);
    });

    it('refuses a label read-back as unsupported when the domain does not use Namecheap DNS', async () => {
      emulator.addDomain(API_USER, 'elsewhere.com', { usingOurDns: false, nameservers: PROVIDER_NS });

      const error = await failure(adapter.readNameservers(credentials, 'elsewhere.com', label));

      expect(error.status).toBe('unsupported');
    });
  });
});
