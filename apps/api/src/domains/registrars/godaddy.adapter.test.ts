import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmulatorServer } from '../../../test/fixtures/registrars/emulator-server.js';
import {
  GODADDY_DNS_NAMESERVERS,
  GODADDY_RATE_LIMITED,
  GODADDY_SERVER_ERROR,
  GoDaddyEmulator,
  type GoDaddyRecord,
} from '../../../test/fixtures/registrars/godaddy.emulator.js';
import { DEFAULT_GODADDY_API_URL } from '../../config/registrar-endpoints.js';
import { GoDaddyAdapter, type GoDaddyCredentials } from './godaddy.adapter.js';
import { RegistrarError } from './registrar.js';

const KEY = 'dKy7PqR2xW_9Lm3VbN8cT4';
const SECRET = 'Sx8Qe2Wn5Rt7Yu1Io3Pa9D';
const credentials: GoDaddyCredentials = { apiKey: KEY, apiSecret: SECRET };
const DOMAIN = 'bank.com';
const ACME = { kind: 'label', label: 'acme' } as const;
const APEX = { kind: 'apex' } as const;
const OURS = ['ns1.openova.io', 'ns2.openova.io'];

/** The customer's zone: apex NS, web, mail, SPF and another team's delegation, none of which is ours. */
const customerRecords: GoDaddyRecord[] = [
  { type: 'A', name: '@', data: '203.0.113.10', ttl: 600 },
  { type: 'CNAME', name: 'www', data: 'bank.com', ttl: 3600 },
  { type: 'MX', name: '@', data: 'mail.bank.com', ttl: 3600, priority: 10 },
  { type: 'TXT', name: '@', data: 'v=spf1 include:_spf.bank.com -all', ttl: 3600 },
  { type: 'NS', name: '@', data: 'ns51.domaincontrol.com', ttl: 3600 },
  { type: 'NS', name: '@', data: 'ns52.domaincontrol.com', ttl: 3600 },
  { type: 'NS', name: 'lab', data: 'ns1.elsewhere.net', ttl: 3600 },
];

const emulator = new GoDaddyEmulator();
let adapter: GoDaddyAdapter;

beforeAll(async () => {
  adapter = new GoDaddyAdapter({ baseUrl: await emulator.start() });
});

afterAll(() => emulator.stop());

beforeEach(() => {
  emulator.reset();
  emulator.addAccount(KEY, SECRET);
  emulator.addDomain(KEY, { domain: DOMAIN, records: customerRecords });
});

afterEach(() => {
  // Whatever a test did, the zone-replacing endpoint must never have been called.
  expect(zoneReplacements()).toEqual([]);
});

function zoneReplacements() {
  return emulator.requests.filter((request) => request.method === 'PUT' && request.path.endsWith('/records'));
}

function recordsOtherThan(type: string, name: string) {
  return emulator.records(DOMAIN).filter((record) => !(record.type === type && record.name === name));
}

async function registrarError(promise: Promise<unknown>): Promise<RegistrarError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RegistrarError) return error;
    throw error;
  }
  throw new Error('expected a RegistrarError, but the call succeeded');
}

/** A base URL nothing listens on: a server that was started and stopped again. */
async function closedPortUrl(): Promise<string> {
  const server = new EmulatorServer((_request, response) => {
    response.end();
  });
  const url = await server.start();
  await server.stop();
  return url;
}

describe('GoDaddyAdapter credentials', () => {
  it('accepts an API key and secret, trimming the whitespace of a paste', () => {
    expect(adapter.credentialsSchema.parse({ apiKey: ` ${KEY}\n`, apiSecret: SECRET })).toEqual(credentials);
  });

  it('rejects unknown fields and blank values', () => {
    expect(adapter.credentialsSchema.safeParse({ ...credentials, shopperId: '1' }).success).toBe(false);
    expect(adapter.credentialsSchema.safeParse({ apiKey: '  ', apiSecret: SECRET }).success).toBe(false);
    expect(adapter.credentialsSchema.safeParse({ apiKey: KEY }).success).toBe(false);
  });

  it('describes both fields as secrets with a hint on where to create them', () => {
    expect(adapter.credentialFields.map((field) => [field.name, field.secret, field.optional])).toEqual([
      ['apiKey', true, false],
      ['apiSecret', true, false],
    ]);
    for (const field of adapter.credentialFields) expect(field.hint).toContain('developer.godaddy.com/keys');
  });

  it('defaults to the production API and supports label and apex delegation', () => {
    expect(DEFAULT_GODADDY_API_URL).toBe('https://api.godaddy.com');
    expect(adapter.subdomainDelegation).toBe(true);
    expect(adapter.apexDelegation).toBe(true);
  });
});

describe('GoDaddyAdapter.validate', () => {
  it('reports valid for an active domain, authenticating with the sso-key header and writing nothing', async () => {
    const result = await adapter.validate(credentials, DOMAIN);
    expect(result.status).toBe('valid');
    expect(emulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET /v1/domains/${DOMAIN}`,
    ]);
    expect(emulator.requests[0]?.headers.authorization).toBe(`sso-key ${KEY}:${SECRET}`);
    expect(emulator.writes()).toEqual([]);
  });

  it('reports invalid when GoDaddy does not recognise the key and secret', async () => {
    const result = await adapter.validate({ apiKey: KEY, apiSecret: 'wrong-secret' }, DOMAIN);
    expect(result.status).toBe('invalid');
    expect(emulator.requests[0]?.path).toBe(`/v1/domains/${DOMAIN}`);
  });

  it('reports insufficient, explaining the production API entitlement, when GoDaddy answers ACCESS_DENIED', async () => {
    emulator.reset();
    emulator.addAccount(KEY, SECRET, { entitled: false });
    emulator.addDomain(KEY, { domain: DOMAIN });
    const result = await adapter.validate(credentials, DOMAIN);
    expect(result.status).toBe('insufficient');
    expect(result.message).toMatch(/production/i);
    expect(result.message).toMatch(/10 or more domains|Discount Domain Club/);
  });

  it('reports not-in-account for a domain the account does not hold', async () => {
    const result = await adapter.validate(credentials, 'other-bank.com');
    expect(result.status).toBe('not-in-account');
    expect(result.message).toContain('other-bank.com');
  });

  it('reports not-in-account, naming the status, for a domain that is in the account but not active', async () => {
    emulator.addDomain(KEY, { domain: 'lapsed.com', status: 'EXPIRED' });
    const result = await adapter.validate(credentials, 'lapsed.com');
    expect(result).toEqual({ status: 'not-in-account', message: expect.stringContaining('EXPIRED') });
  });

  it('reports rate-limited when GoDaddy answers 429', async () => {
    emulator.failure = GODADDY_RATE_LIMITED;
    const result = await adapter.validate(credentials, DOMAIN);
    expect(result.status).toBe('rate-limited');
    expect(result.message).toContain('30 seconds');
  });

  it('reports unavailable when GoDaddy answers with a server error', async () => {
    emulator.failure = GODADDY_SERVER_ERROR;
    expect((await adapter.validate(credentials, DOMAIN)).status).toBe('unavailable');
  });

  it('reports unavailable when GoDaddy cannot be reached', async () => {
    const unreachable = new GoDaddyAdapter({ baseUrl: await closedPortUrl() });
    const result = await unreachable.validate(credentials, DOMAIN);
    expect(result.status).toBe('unavailable');
    expect(result.message).not.toContain('127.0.0.1');
  });

  it('warns that only the whole domain can be delegated when the DNS is not served by GoDaddy', async () => {
    emulator.addDomain(KEY, {
      domain: 'elsewhere.com',
      nameServers: ['ns1.other-dns.net', 'ns2.other-dns.net'],
    });
    const result = await adapter.validate(credentials, 'elsewhere.com');
    expect(result.status).toBe('valid');
    expect(result.message).toMatch(/not served by GoDaddy/);
  });
});

describe('GoDaddyAdapter label delegation', () => {
  it('writes the NS set of the label through the per-type/name endpoint with a TTL GoDaddy accepts', async () => {
    await adapter.delegate(credentials, DOMAIN, ACME, OURS);

    const writes = emulator.writes();
    expect(writes.map((request) => `${request.method} ${request.path}`)).toEqual([
      `PUT /v1/domains/${DOMAIN}/records/NS/acme`,
    ]);
    expect(JSON.parse(writes[0]?.body ?? 'null')).toEqual([
      { data: 'ns1.openova.io', ttl: 3600 },
      { data: 'ns2.openova.io', ttl: 3600 },
    ]);
    expect(emulator.records(DOMAIN, 'NS', 'acme').map((record) => record.data)).toEqual(OURS);
    expect(await adapter.readNameservers(credentials, DOMAIN, ACME)).toEqual(OURS);
  });

  it("keeps the customer's A, CNAME, MX, TXT, apex NS and other delegations when delegating", async () => {
    const before = recordsOtherThan('NS', 'acme');
    await adapter.delegate(credentials, DOMAIN, ACME, OURS);
    expect(recordsOtherThan('NS', 'acme')).toEqual(before);
    expect(before).toHaveLength(customerRecords.length);
    expect(emulator.domain(DOMAIN).nameServers).toEqual(GODADDY_DNS_NAMESERVERS);
  });

  it('changes nothing when the label is already delegated to the same nameservers', async () => {
    await adapter.delegate(credentials, DOMAIN, ACME, OURS);
    const writesAfterFirst = emulator.writes().length;

    await adapter.delegate(credentials, DOMAIN, ACME, ['NS2.openova.io.', 'ns1.openova.io']);

    expect(emulator.writes()).toHaveLength(writesAfterFirst);
    expect(emulator.records(DOMAIN, 'NS', 'acme')).toHaveLength(2);
  });

  it('replaces a stale NS set at the label rather than adding to it', async () => {
    emulator.addDomain(KEY, {
      domain: 'stale.com',
      records: [
        { type: 'NS', name: 'acme', data: 'ns1.old-host.net', ttl: 600 },
        { type: 'TXT', name: 'acme', data: 'owner=team-a', ttl: 600 },
      ],
    });
    await adapter.delegate(credentials, 'stale.com', ACME, OURS);
    expect(emulator.records('stale.com', 'NS', 'acme').map((record) => record.data)).toEqual(OURS);
    expect(emulator.records('stale.com', 'TXT', 'acme')).toHaveLength(1);
  });

  it('sends nameservers lower-case and without trailing dots, however they were given', async () => {
    await adapter.delegate(credentials, DOMAIN, ACME, [
      'NS1.OpenOva.io.',
      ' ns2.openova.io ',
      'ns1.openova.io',
    ]);
    expect(emulator.records(DOMAIN, 'NS', 'acme').map((record) => record.data)).toEqual(OURS);
  });

  it('reads an undelegated label as no nameservers', async () => {
    expect(await adapter.readNameservers(credentials, DOMAIN, ACME)).toEqual([]);
  });

  it('refuses to delegate a label when the domain is not served by GoDaddy DNS, and writes nothing', async () => {
    emulator.addDomain(KEY, {
      domain: 'elsewhere.com',
      nameServers: ['ns1.other-dns.net', 'ns2.other-dns.net'],
    });
    const error = await registrarError(adapter.delegate(credentials, 'elsewhere.com', ACME, OURS));
    expect(error.status).toBe('unsupported');
    expect(error.message).toContain('ns1.other-dns.net');
    expect(emulator.writes()).toEqual([]);
  });

  it.each(['@', '*', 'acme/../x', ''])('refuses %j as a label without calling GoDaddy', async (label) => {
    const error = await registrarError(adapter.delegate(credentials, DOMAIN, { kind: 'label', label }, OURS));
    expect(error.status).toBe('unsupported');
    expect(emulator.requests).toEqual([]);
  });

  it('refuses to delegate to an empty nameserver list', async () => {
    const error = await registrarError(adapter.delegate(credentials, DOMAIN, ACME, [' ', '']));
    expect(error.status).toBe('unsupported');
    expect(emulator.writes()).toEqual([]);
  });
});

describe('GoDaddyAdapter apex delegation', () => {
  it("points the domain's nameservers at ours with PATCH and leaves the zone's records alone", async () => {
    const before = emulator.records(DOMAIN).map((record) => ({ ...record }));
    await adapter.delegate(credentials, DOMAIN, APEX, OURS);

    expect(emulator.writes().map((request) => `${request.method} ${request.path}`)).toEqual([
      `PATCH /v1/domains/${DOMAIN}`,
    ]);
    expect(JSON.parse(emulator.writes()[0]?.body ?? 'null')).toEqual({ nameServers: OURS });
    expect(emulator.domain(DOMAIN).nameServers).toEqual(OURS);
    expect(emulator.records(DOMAIN)).toEqual(before);
    expect(await adapter.readNameservers(credentials, DOMAIN, APEX)).toEqual(OURS);
  });

  it('changes nothing when the domain already uses the same nameservers', async () => {
    await adapter.delegate(credentials, DOMAIN, APEX, OURS);
    await adapter.delegate(credentials, DOMAIN, APEX, [...OURS].reverse());
    expect(emulator.writes()).toHaveLength(1);
  });

  it('reads the nameservers GoDaddy has for the domain', async () => {
    expect(await adapter.readNameservers(credentials, DOMAIN, APEX)).toEqual(GODADDY_DNS_NAMESERVERS);
  });

  it('refuses to delegate a domain that is not active', async () => {
    emulator.addDomain(KEY, { domain: 'lapsed.com', status: 'EXPIRED' });
    const error = await registrarError(adapter.delegate(credentials, 'lapsed.com', APEX, OURS));
    expect(error.status).toBe('not-in-account');
    expect(emulator.writes()).toEqual([]);
  });
});

describe('GoDaddyAdapter errors on write', () => {
  it("turns GoDaddy's 422 refusal into unsupported with GoDaddy's reason", async () => {
    emulator.failure = {
      status: 422,
      code: 'INVALID_BODY',
      message: 'nameServers[0] is not allowed',
      writesOnly: true,
    };
    const error = await registrarError(adapter.delegate(credentials, DOMAIN, APEX, OURS));
    expect(error.status).toBe('unsupported');
    expect(error.message).toContain('nameServers[0] is not allowed');
    expect(emulator.domain(DOMAIN).nameServers).toEqual(GODADDY_DNS_NAMESERVERS);
  });

  it('reports rate-limited when the write is throttled', async () => {
    emulator.failure = { ...GODADDY_RATE_LIMITED, writesOnly: true };
    const error = await registrarError(adapter.delegate(credentials, DOMAIN, ACME, OURS));
    expect(error.status).toBe('rate-limited');
    expect(emulator.records(DOMAIN, 'NS', 'acme')).toEqual([]);
  });

  it('reports unavailable when the write hits a server error', async () => {
    emulator.failure = { ...GODADDY_SERVER_ERROR, status: 503, writesOnly: true };
    expect((await registrarError(adapter.delegate(credentials, DOMAIN, ACME, OURS))).status).toBe(
      'unavailable',
    );
  });

  it('reports invalid, insufficient and not-in-account on delegate as validate does', async () => {
    const wrong = { apiKey: KEY, apiSecret: 'nope' };
    expect((await registrarError(adapter.delegate(wrong, DOMAIN, ACME, OURS))).status).toBe('invalid');
    expect((await registrarError(adapter.delegate(credentials, 'other-bank.com', ACME, OURS))).status).toBe(
      'not-in-account',
    );
    emulator.reset();
    emulator.addAccount(KEY, SECRET, { entitled: false });
    expect((await registrarError(adapter.delegate(credentials, DOMAIN, APEX, OURS))).status).toBe(
      'insufficient',
    );
    expect((await registrarError(adapter.readNameservers(credentials, DOMAIN, ACME))).status).toBe(
      'insufficient',
    );
  });

  it('reports unavailable when GoDaddy cannot be reached during a delegation', async () => {
    const unreachable = new GoDaddyAdapter({ baseUrl: await closedPortUrl() });
    expect((await registrarError(unreachable.delegate(credentials, DOMAIN, ACME, OURS))).status).toBe(
      'unavailable',
    );
  });
});

describe('GoDaddyAdapter secrecy', () => {
  it('never puts the key or secret in a message, even when GoDaddy echoes them back', async () => {
    const messages: string[] = [];
    const collect = async (promise: Promise<unknown>) =>
      messages.push((await registrarError(promise)).message);

    emulator.failure = {
      status: 422,
      code: 'INVALID_BODY',
      message: `bad key ${KEY}:${SECRET}`,
      writesOnly: true,
    };
    await collect(adapter.delegate(credentials, DOMAIN, ACME, OURS));
    for (const failure of [GODADDY_RATE_LIMITED, GODADDY_SERVER_ERROR]) {
      emulator.failure = failure;
      await collect(adapter.delegate(credentials, DOMAIN, ACME, OURS));
    }
    emulator.failure = undefined;
    await collect(adapter.delegate({ apiKey: KEY, apiSecret: `${SECRET}x` }, DOMAIN, ACME, OURS));
    await collect(adapter.readNameservers(credentials, 'other-bank.com', APEX));
    messages.push((await adapter.validate(credentials, DOMAIN)).message);

    expect(messages[0]).toContain('[redacted]');
    for (const message of messages) {
      expect(message).not.toContain(KEY);
      expect(message).not.toContain(SECRET);
    }
  });
});

describe('GoDaddy emulator', () => {
  it('replaces the whole zone on PUT /records, which is why the adapter never calls it', async () => {
    const response = await fetch(`${emulator.baseUrl}/v1/domains/${DOMAIN}/records`, {
      method: 'PUT',
      headers: { authorization: `sso-key ${KEY}:${SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ type: 'NS', name: 'acme', data: 'ns1.openova.io', ttl: 3600 }]),
    });
    expect(response.status).toBe(200);
    expect(emulator.records(DOMAIN)).toEqual([
      { type: 'NS', name: 'acme', data: 'ns1.openova.io', ttl: 3600 },
    ]);
    // This test calls it on purpose; keep the afterEach guard about the adapter meaningful.
    emulator.requests.length = 0;
  });

  it('rejects a Bearer header and a TTL below 600 the way GoDaddy does', async () => {
    const bearer = await fetch(`${emulator.baseUrl}/v1/domains/${DOMAIN}`, {
      headers: { authorization: `Bearer ${KEY}:${SECRET}` },
    });
    expect(bearer.status).toBe(401);
    expect(await bearer.json()).toMatchObject({ code: 'MALFORMED_CREDENTIALS' });

    const shortTtl = await fetch(`${emulator.baseUrl}/v1/domains/${DOMAIN}/records/NS/acme`, {
      method: 'PUT',
      headers: { authorization: `sso-key ${KEY}:${SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ data: 'ns1.openova.io', ttl: 300 }]),
    });
    expect(shortTtl.status).toBe(422);
    expect(await shortTtl.json()).toMatchObject({
      code: 'INVALID_BODY',
      fields: [{ path: 'records[0].ttl' }],
    });
  });
});
