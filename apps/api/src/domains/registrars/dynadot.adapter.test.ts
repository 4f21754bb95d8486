import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DYNADOT_MAIN_SERVER_ERROR,
  DYNADOT_RATE_LIMIT_ERROR,
  DynadotEmulator,
  type DynadotMainRecord,
  type DynadotSubRecord,
} from '../../../test/fixtures/registrars/dynadot.emulator.js';
import { EmulatorServer } from '../../../test/fixtures/registrars/emulator-server.js';
import { DEFAULT_DYNADOT_API_URL } from '../../config/registrar-endpoints.js';
import { DynadotAdapter, type DynadotCredentials } from './dynadot.adapter.js';
import { RegistrarError } from './registrar.js';

const API_KEY = 'dyn8Kq2ZpX7wLm4Rt9Vb3Nc6Hj1Sd5Fg';
const OTHER_KEY = 'dyn0Aa9Bb8Cc7Dd6Ee5Ff4Gg3Hh2Ii1Jj';
const credentials: DynadotCredentials = { apiKey: API_KEY };
const TARGET_NS = ['ns1.catalyst-dns.net', 'ns2.catalyst-dns.net'];

const customerMain: DynadotMainRecord[] = [
  { type: 'a', value: '203.0.113.10' },
  { type: 'mx', value: 'mail.bank.com', value2: '10' },
  { type: 'txt', value: 'v=spf1 include:_spf.bank.com ~all' },
];
const customerSub: DynadotSubRecord[] = [
  { subhost: 'www', type: 'cname', value: 'bank.com' },
  { subhost: '_dmarc', type: 'txt', value: 'v=DMARC1; p=reject' },
];

const emulator = new DynadotEmulator();
let adapter: DynadotAdapter;

beforeAll(async () => {
  await emulator.start();
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  emulator.reset();
  emulator.seedAccount({
    apiKey: API_KEY,
    domains: {
      'bank.com': { mainRecords: structuredClone(customerMain), subRecords: structuredClone(customerSub) },
      'delegated.org': {
        nameserverType: 'Name Servers',
        nameservers: ['ns1.old-host.net', 'ns2.old-host.net'],
      },
    },
    nameserverHosts: [...TARGET_NS, 'ns3.catalyst-dns.net'],
  });
  emulator.seedAccount({ apiKey: OTHER_KEY, domains: { 'other.net': {} } });
  adapter = new DynadotAdapter({ baseUrl: emulator.baseUrl, retryDelaysMs: [1, 1] });
});

/** Runs `action` and returns the RegistrarError it must throw. */
async function registrarError(action: () => Promise<unknown>): Promise<RegistrarError> {
  const error = await action().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(RegistrarError);
  return error as RegistrarError;
}

describe('DynadotAdapter metadata', () => {
  it('points at the production api3 JSON endpoint by default', () => {
    expect(DEFAULT_DYNADOT_API_URL).toBe('https://api.dynadot.com/api3.json');
  });

  it('offers whole-domain delegation only and asks for one secret API key', () => {
    expect(adapter.apexDelegation).toBe(true);
    expect(adapter.subdomainDelegation).toBe(false);
    expect(adapter.credentialFields).toEqual([
      expect.objectContaining({ name: 'apiKey', secret: true, optional: false }),
    ]);
  });

  it('trims the API key and rejects unknown or empty credential fields', () => {
    expect(adapter.credentialsSchema.parse({ apiKey: `  ${API_KEY} ` })).toEqual({ apiKey: API_KEY });
    expect(adapter.credentialsSchema.safeParse({ apiKey: API_KEY, apiSecret: 'x' }).success).toBe(false);
    expect(adapter.credentialsSchema.safeParse({ apiKey: '   ' }).success).toBe(false);
  });
});

describe('DynadotAdapter.validate', () => {
  it('reports valid when the key works and the domain is in the account, whether ResponseCode is a number or a string', async () => {
    const first = await adapter.validate(credentials, 'bank.com');
    const second = await adapter.validate(credentials, 'bank.com');

    expect(first.status).toBe('valid');
    expect(second.status).toBe('valid');
    expect(emulator.responseCodeTypes).toEqual(['number', 'string']);
  });

  it('asks domain_info with the key in the query string and never writes', async () => {
    await adapter.validate(credentials, 'bank.com');

    expect(emulator.requests).toHaveLength(1);
    const [request] = emulator.requests;
    expect(request?.method).toBe('GET');
    expect(request?.query.get('command')).toBe('domain_info');
    expect(request?.query.get('domain')).toBe('bank.com');
    expect(request?.query.get('key')).toBe(API_KEY);
  });

  it('reports invalid when Dynadot rejects the key', async () => {
    const result = await adapter.validate({ apiKey: 'not-a-real-key-123' }, 'bank.com');

    expect(result.status).toBe('invalid');
    expect(result.message).not.toContain('not-a-real-key-123');
  });

  it('reports not-in-account when the domain belongs to no domain of this key', async () => {
    const result = await adapter.validate({ apiKey: OTHER_KEY }, 'bank.com');

    expect(result.status).toBe('not-in-account');
    expect(result.message).toContain('bank.com');
  });

  it('reports rate-limited when Dynadot throttles the account', async () => {
    emulator.rateLimited = true;

    expect((await adapter.validate(credentials, 'bank.com')).status).toBe('rate-limited');
  });

  it('retries the transient main-server error and then succeeds', async () => {
    emulator.failNext(DYNADOT_MAIN_SERVER_ERROR, { times: 2 });

    const result = await adapter.validate(credentials, 'bank.com');

    expect(result.status).toBe('valid');
    expect(emulator.commands()).toEqual(['domain_info', 'domain_info', 'domain_info']);
  });

  it('reports unavailable when the main-server error outlasts the retries', async () => {
    emulator.failNext(DYNADOT_MAIN_SERVER_ERROR, { times: 10 });

    const result = await adapter.validate(credentials, 'bank.com');

    expect(result.status).toBe('unavailable');
    expect(result.message).toMatch(/main server/i);
    expect(emulator.requests).toHaveLength(3);
  });

  it('reports unavailable when Dynadot answers with an HTTP 5xx page', async () => {
    emulator.httpStatus = 503;

    const result = await adapter.validate(credentials, 'bank.com');

    expect(result.status).toBe('unavailable');
    expect(result.message).toContain('503');
  });

  it('reports unavailable when nothing listens at the API address', async () => {
    const closed = new EmulatorServer(() => undefined);
    const url = `${await closed.start()}/api3.json`;
    await closed.stop();

    const result = await new DynadotAdapter({ baseUrl: url, retryDelaysMs: [] }).validate(
      credentials,
      'bank.com',
    );

    expect(result.status).toBe('unavailable');
    expect(result.message).not.toContain(API_KEY);
    expect(result.message).not.toContain('127.0.0.1');
  });

  it('keeps the API key out of every validation message', async () => {
    const messages: string[] = [];
    messages.push((await adapter.validate(credentials, 'bank.com')).message);
    messages.push((await adapter.validate(credentials, 'missing.com')).message);
    messages.push((await adapter.validate({ apiKey: `${API_KEY}x` }, 'bank.com')).message);
    emulator.rateLimited = true;
    messages.push((await adapter.validate(credentials, 'bank.com')).message);
    emulator.rateLimited = false;
    emulator.failNext(DYNADOT_MAIN_SERVER_ERROR, { times: 3 });
    messages.push((await adapter.validate(credentials, 'bank.com')).message);
    emulator.failNext(`unexpected failure for key ${API_KEY}`);
    messages.push((await adapter.validate(credentials, 'bank.com')).message);

    expect(messages).toHaveLength(6);
    expect(messages.at(-1)).toContain('unexpected failure');
    for (const message of messages) expect(message).not.toContain(API_KEY);
  });
});

describe('DynadotAdapter.delegate', () => {
  it('points the whole domain at the nameservers with set_ns and reads them back', async () => {
    await adapter.delegate(credentials, 'bank.com', { kind: 'apex' }, [
      'NS2.Catalyst-DNS.net.',
      'ns1.catalyst-dns.net',
    ]);

    const domain = emulator.domain(API_KEY, 'bank.com');
    expect(domain.nameserverType).toBe('Name Servers');
    expect(domain.nameservers).toEqual(TARGET_NS);
    expect(await adapter.readNameservers(credentials, 'bank.com', { kind: 'apex' })).toEqual(TARGET_NS);
    const setNs = emulator.requests.find((request) => request.query.get('command') === 'set_ns');
    expect(setNs?.query.get('ns0')).toBe('ns1.catalyst-dns.net');
    expect(setNs?.query.get('ns1')).toBe('ns2.catalyst-dns.net');
    expect(setNs?.query.get('ns2')).toBeNull();
  });

  it('replaces the nameservers of a domain that was already delegated elsewhere', async () => {
    await adapter.delegate(credentials, 'delegated.org', { kind: 'apex' }, TARGET_NS);

    expect(emulator.domain(API_KEY, 'delegated.org').nameservers).toEqual(TARGET_NS);
  });

  it("keeps the customer's A, MX, TXT and subdomain records and never calls set_dns2", async () => {
    await adapter.delegate(credentials, 'bank.com', { kind: 'apex' }, TARGET_NS);

    const domain = emulator.domain(API_KEY, 'bank.com');
    expect(domain.mainRecords).toEqual(customerMain);
    expect(domain.subRecords).toEqual(customerSub);
    expect(emulator.commands()).not.toContain('set_dns2');
  });

  it('changes nothing when the domain already uses exactly these nameservers', async () => {
    await adapter.delegate(credentials, 'bank.com', { kind: 'apex' }, TARGET_NS);
    emulator.server.requests.length = 0;

    await adapter.delegate(credentials, 'bank.com', { kind: 'apex' }, [...TARGET_NS].reverse());

    expect(emulator.commands()).toEqual(['domain_info']);
    expect(emulator.domain(API_KEY, 'bank.com').nameservers).toEqual(TARGET_NS);
  });

  it('refuses to delegate a subdomain, says what to do instead, and sends nothing', async () => {
    const error = await registrarError(() =>
      adapter.delegate(credentials, 'bank.com', { kind: 'label', label: 'acme' }, TARGET_NS),
    );

    expect(error.status).toBe('unsupported');
    expect(error.message).toContain('acme.bank.com');
    expect(error.message).toContain('byo-manual');
    expect(emulator.requests).toHaveLength(0);
  });

  it('refuses to read the nameservers of a subdomain', async () => {
    const error = await registrarError(() =>
      adapter.readNameservers(credentials, 'bank.com', { kind: 'label', label: 'acme' }),
    );

    expect(error.status).toBe('unsupported');
  });

  it('tells the user to register nameserver hosts Dynadot does not know yet, and leaves the domain alone', async () => {
    const error = await registrarError(() =>
      adapter.delegate(credentials, 'delegated.org', { kind: 'apex' }, [
        'ns1.catalyst-dns.net',
        'ns9.unknown-host.io',
      ]),
    );

    expect(error.status).toBe('insufficient');
    expect(error.message).toContain('ns9.unknown-host.io');
    expect(error.message).toMatch(/register|add/i);
    expect(emulator.domain(API_KEY, 'delegated.org').nameservers).toEqual([
      'ns1.old-host.net',
      'ns2.old-host.net',
    ]);
  });

  it('maps a domain outside the account to not-in-account', async () => {
    const error = await registrarError(() =>
      adapter.delegate(credentials, 'other.net', { kind: 'apex' }, TARGET_NS),
    );

    expect(error.status).toBe('not-in-account');
  });

  it('maps a rejected key to invalid without echoing it', async () => {
    const error = await registrarError(() =>
      adapter.delegate({ apiKey: 'stolen-key-4242' }, 'bank.com', { kind: 'apex' }, TARGET_NS),
    );

    expect(error.status).toBe('invalid');
    expect(error.message).not.toContain('stolen-key-4242');
  });

  it('maps throttling of the write to rate-limited', async () => {
    emulator.failNext(DYNADOT_RATE_LIMIT_ERROR, { command: 'set_ns' });

    const error = await registrarError(() =>
      adapter.delegate(credentials, 'bank.com', { kind: 'apex' }, TARGET_NS),
    );

    expect(error.status).toBe('rate-limited');
    expect(emulator.domain(API_KEY, 'bank.com').nameservers).toEqual([]);
  });

  it('retries set_ns through a transient main-server error', async () => {
    emulator.failNext(DYNADOT_MAIN_SERVER_ERROR, { command: 'set_ns', times: 2 });

    await adapter.delegate(credentials, 'bank.com', { kind: 'apex' }, TARGET_NS);

    expect(emulator.commands()).toEqual(['domain_info', 'set_ns', 'set_ns', 'set_ns']);
    expect(emulator.domain(API_KEY, 'bank.com').nameservers).toEqual(TARGET_NS);
  });

  it('gives a readable error with the key removed when Dynadot refuses the write for another reason', async () => {
    emulator.failNext(`domain is locked (key ${API_KEY})`, { command: 'set_ns' });

    const error = await registrarError(() =>
      adapter.delegate(credentials, 'bank.com', { kind: 'apex' }, TARGET_NS),
    );

    expect(error.status).toBe('unavailable');
    expect(error.message).toContain('domain is locked');
    expect(error.message).not.toContain(API_KEY);
    expect(emulator.domain(API_KEY, 'bank.com').nameservers).toEqual([]);
  });

  it('refuses more than 13 nameservers and an empty list before calling Dynadot', async () => {
    const many = Array.from({ length: 14 }, (_, index) => `ns${index}.catalyst-dns.net`);

    expect(
      (await registrarError(() => adapter.delegate(credentials, 'bank.com', { kind: 'apex' }, many))).status,
    ).toBe('unsupported');
    expect(
      (await registrarError(() => adapter.delegate(credentials, 'bank.com', { kind: 'apex' }, [' ']))).status,
    ).toBe('unsupported');
    expect(emulator.requests).toHaveLength(0);
  });

  it('sends one request at a time even when called concurrently', async () => {
    emulator.responseDelayMs = 25;

    const results = await Promise.all([
      adapter.validate(credentials, 'bank.com'),
      adapter.readNameservers(credentials, 'delegated.org', { kind: 'apex' }),
      adapter.delegate(credentials, 'bank.com', { kind: 'apex' }, TARGET_NS),
      adapter.validate(credentials, 'bank.com'),
    ]);

    expect(emulator.maxInFlight).toBe(1);
    expect(results[0]).toMatchObject({ status: 'valid' });
    expect(results[1]).toEqual(['ns1.old-host.net', 'ns2.old-host.net']);
    expect(results[3]).toMatchObject({ status: 'valid' });
    expect(emulator.domain(API_KEY, 'bank.com').nameservers).toEqual(TARGET_NS);
  });

  it('keeps serving calls after one of them failed', async () => {
    await adapter.validate({ apiKey: 'wrong' }, 'bank.com');

    expect((await adapter.validate(credentials, 'bank.com')).status).toBe('valid');
  });
});

describe('DynadotAdapter.readNameservers', () => {
  it('returns the lower-cased, sorted hosts and skips the empty slots Dynadot pads the list with', async () => {
    emulator.domain(API_KEY, 'delegated.org').nameservers = ['NS2.Old-Host.net', 'ns1.old-host.net'];

    expect(await adapter.readNameservers(credentials, 'delegated.org', { kind: 'apex' })).toEqual([
      'ns1.old-host.net',
      'ns2.old-host.net',
    ]);
  });

  it('returns no nameservers for a domain still on Dynadot DNS', async () => {
    expect(await adapter.readNameservers(credentials, 'bank.com', { kind: 'apex' })).toEqual([]);
  });
});

describe('DynadotEmulator', () => {
  it('wipes every record on set_dns2 without add_dns_to_current_setting, which is why the adapter avoids it', async () => {
    const url = new URL(emulator.baseUrl);
    url.search = new URLSearchParams({
      key: API_KEY,
      command: 'set_dns2',
      domain: 'bank.com',
      main_record_type0: 'a',
      main_record0: '198.51.100.7',
    }).toString();

    const body = (await (await fetch(url)).json()) as { SetDns2Response: { Status: string } };

    expect(body.SetDns2Response.Status).toBe('success');
    expect(emulator.domain(API_KEY, 'bank.com').mainRecords).toEqual([{ type: 'a', value: '198.51.100.7' }]);
    expect(emulator.domain(API_KEY, 'bank.com').subRecords).toEqual([]);
  });

  it('answers a bad key in a bare Response envelope', async () => {
    const url = new URL(emulator.baseUrl);
    url.search = new URLSearchParams({ key: 'nope', command: 'domain_info', domain: 'bank.com' }).toString();

    const response = await fetch(url);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      Response: { ResponseCode: -1, Status: 'error', Error: 'invalid key' },
    });
  });

  it('turns away a request that arrives while another is being answered', async () => {
    emulator.responseDelayMs = 25;
    const url = new URL(emulator.baseUrl);
    url.search = new URLSearchParams({ key: API_KEY, command: 'domain_info', domain: 'bank.com' }).toString();

    const bodies = (await Promise.all([fetch(url), fetch(url)].map(async (r) => (await r).json()))) as Array<{
      DomainInfoResponse: { Status: string };
    }>;

    expect(bodies.map((body) => body.DomainInfoResponse.Status).sort()).toEqual(['error', 'success']);
  });
});
