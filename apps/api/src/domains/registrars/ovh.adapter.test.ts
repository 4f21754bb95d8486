import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  OVH_MAX_CLOCK_DRIFT_SECONDS,
  type OvhAccessRule,
  OvhEmulator,
  type OvhZoneRecord,
  ovhSignature,
} from '../../../test/fixtures/registrars/ovh.emulator.js';
import { DEFAULT_OVH_API_URL } from '../../config/registrar-endpoints.js';
import { OvhAdapter, type OvhCredentials } from './ovh.adapter.js';
import { RegistrarError } from './registrar.js';

const APPLICATION_KEY = 'ak7Hq2Lm9Xc4Vb1N';
const APPLICATION_SECRET = 'asZ8yT3kQ6wE1rU5pO0iL7mN2bV4cX9j';
const CONSUMER_KEY = 'ckF4gH7jK2lP9oI3uY6tR1eW8qA5sD0z';
const CREDENTIALS: OvhCredentials = {
  applicationKey: APPLICATION_KEY,
  applicationSecret: APPLICATION_SECRET,
  consumerKey: CONSUMER_KEY,
};
const DOMAIN = 'bank.com';
const NAMESERVERS = ['ns2.catalyst-dns.net', 'NS1.catalyst-dns.net.'];
const EXPECTED = ['ns1.catalyst-dns.net', 'ns2.catalyst-dns.net'];
const ACME = { kind: 'label', label: 'acme' } as const;
const APEX = { kind: 'apex' } as const;

function rules(methods: string[], ...paths: string[]): OvhAccessRule[] {
  return methods.flatMap((method) => paths.map((path) => ({ method, path })));
}

const ALL_DOMAIN_RULES = rules(['GET', 'POST', 'PUT', 'DELETE'], '/domain/*');

const CUSTOMER_RECORDS = [
  { subDomain: '', fieldType: 'NS', target: 'dns100.ovh.net.', ttl: 0 },
  { subDomain: '', fieldType: 'A', target: '203.0.113.10', ttl: 3600 },
  { subDomain: '', fieldType: 'MX', target: '10 mx1.mail.ovh.net.', ttl: 3600 },
  { subDomain: '', fieldType: 'TXT', target: '"v=spf1 include:mx.ovh.com ~all"', ttl: 3600 },
  { subDomain: 'acme', fieldType: 'TXT', target: '"acme-verification=42"', ttl: 600 },
  { subDomain: 'www', fieldType: 'A', target: '203.0.113.11', ttl: 3600 },
  { subDomain: 'other', fieldType: 'NS', target: 'ns.elsewhere.example.', ttl: 3600 },
];

let emulator: OvhEmulator;
let adapter: OvhAdapter;

beforeAll(async () => {
  emulator = new OvhEmulator();
  await emulator.start();
});

afterAll(() => emulator.stop());

beforeEach(() => {
  emulator.reset();
  emulator.addApplication(APPLICATION_KEY, APPLICATION_SECRET);
  emulator.addConsumerKey({
    consumerKey: CONSUMER_KEY,
    applicationKey: APPLICATION_KEY,
    status: 'validated',
    rules: ALL_DOMAIN_RULES,
  });
  emulator.addZone(DOMAIN, CUSTOMER_RECORDS);
  emulator.addDomain(DOMAIN, ['dns100.ovh.net', 'ns100.ovh.net']);
  adapter = new OvhAdapter({ baseUrl: emulator.baseUrl });
});

function withConsumer(overrides: { rules?: OvhAccessRule[]; status?: 'pendingValidation' | 'expired' }) {
  emulator.addConsumerKey({
    consumerKey: CONSUMER_KEY,
    applicationKey: APPLICATION_KEY,
    status: overrides.status ?? 'validated',
    rules: overrides.rules ?? ALL_DOMAIN_RULES,
  });
}

function nsRecords(records: OvhZoneRecord[], subDomain: string) {
  return records
    .filter((record) => record.fieldType === 'NS' && record.subDomain === subDomain)
    .map(({ target, ttl }) => ({ target, ttl }))
    .sort((a, b) => a.target.localeCompare(b.target));
}

function withoutNsAt(records: OvhZoneRecord[], subDomain: string) {
  return records.filter((record) => !(record.fieldType === 'NS' && record.subDomain === subDomain));
}

function writes() {
  return emulator.requests.filter((request) => request.method !== 'GET');
}

async function failure(promise: Promise<unknown>): Promise<RegistrarError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RegistrarError);
  return error as RegistrarError;
}

/** A raw signed call, for proving what the emulator accepts. */
function signedFetch(
  path: string,
  options: { method?: string; body?: string; timestamp?: number; signedUrl?: string; signedBody?: string },
) {
  const method = options.method ?? 'GET';
  const url = `${emulator.baseUrl}${path}`;
  const body = options.body ?? '';
  const timestamp = String(options.timestamp ?? emulator.now());
  return fetch(url, {
    method,
    headers: {
      'X-Ovh-Application': APPLICATION_KEY,
      'X-Ovh-Consumer': CONSUMER_KEY,
      'X-Ovh-Timestamp': timestamp,
      'X-Ovh-Signature': ovhSignature(
        APPLICATION_SECRET,
        CONSUMER_KEY,
        method,
        options.signedUrl ?? url,
        options.signedBody ?? body,
        timestamp,
      ),
      'Content-Type': 'application/json',
    },
    body: body === '' ? undefined : body,
  });
}

describe('OvhAdapter description', () => {
  it('uses the European endpoint by default and supports label and apex delegation', () => {
    expect(DEFAULT_OVH_API_URL).toBe('https://eu.api.ovh.com/1.0');
    expect(adapter.subdomainDelegation).toBe(true);
    expect(adapter.apexDelegation).toBe(true);
    expect(adapter.credentialFields.map((field) => [field.name, field.secret])).toEqual([
      ['applicationKey', true],
      ['applicationSecret', true],
      ['consumerKey', true],
    ]);
    expect(adapter.credentialFields.find((field) => field.name === 'consumerKey')?.hint).toContain(
      '/domain/*',
    );
  });

  it('trims credentials and rejects unknown or empty fields', () => {
    expect(
      adapter.credentialsSchema.parse({ ...CREDENTIALS, consumerKey: ` ${CONSUMER_KEY} ` }).consumerKey,
    ).toBe(CONSUMER_KEY);
    expect(adapter.credentialsSchema.safeParse({ ...CREDENTIALS, endpoint: 'ovh-eu' }).success).toBe(false);
    expect(adapter.credentialsSchema.safeParse({ ...CREDENTIALS, applicationSecret: '  ' }).success).toBe(
      false,
    );
  });
});

describe('OvhAdapter.validate', () => {
  it('accepts a validated consumer key that may manage the domain, with signed requests', async () => {
    await expect(adapter.validate(CREDENTIALS, DOMAIN)).resolves.toEqual({
      status: 'valid',
      message: expect.stringContaining(DOMAIN),
    });
    const signed = emulator.requests.filter((request) => request.path !== '/1.0/auth/time');
    expect(signed.map((request) => request.path)).toEqual([
      '/1.0/auth/currentCredential',
      `/1.0/domain/zone/${DOMAIN}`,
    ]);
    for (const request of signed) {
      expect(request.headers['x-ovh-application']).toBe(APPLICATION_KEY);
      expect(request.headers['x-ovh-consumer']).toBe(CONSUMER_KEY);
      expect(request.headers['x-ovh-signature']).toMatch(/^\$1\$[0-9a-f]{40}$/);
    }
  });

  it('never writes', async () => {
    await adapter.validate(CREDENTIALS, DOMAIN);
    expect(emulator.requests.length).toBeGreaterThan(0);
    expect(writes()).toEqual([]);
  });

  it('reports invalid for a consumer key OVHcloud does not know', async () => {
    const result = await adapter.validate({ ...CREDENTIALS, consumerKey: 'ckUnknownUnknownUnknown' }, DOMAIN);
    expect(result.status).toBe('invalid');
    expect(result.message).toMatch(/consumer key/);
  });

  it('reports invalid when the application secret is wrong, because the signature does not match', async () => {
    const result = await adapter.validate(
      { ...CREDENTIALS, applicationSecret: 'wrong-secret-wrong-secret' },
      DOMAIN,
    );
    expect(result).toEqual({ status: 'invalid', message: expect.stringMatching(/signature/) });
  });

  it('reports invalid for an unknown application key', async () => {
    const result = await adapter.validate({ ...CREDENTIALS, applicationKey: 'akNotRegistered' }, DOMAIN);
    expect(result).toEqual({ status: 'invalid', message: expect.stringMatching(/application key/) });
  });

  it('reports invalid for a consumer key that was never validated', async () => {
    withConsumer({ status: 'pendingValidation' });
    expect((await adapter.validate(CREDENTIALS, DOMAIN)).status).toBe('invalid');
  });

  it('reports insufficient for a read-only consumer key and names the missing rights', async () => {
    withConsumer({ rules: rules(['GET'], '/domain/*') });
    const result = await adapter.validate(CREDENTIALS, DOMAIN);
    expect(result.status).toBe('insufficient');
    expect(result.message).toContain('create DNS records (POST)');
    expect(result.message).toContain('delete DNS records (DELETE)');
    expect(result.message).not.toContain('list DNS records');
  });

  it("reports insufficient when the key covers the zone but not the domain's nameservers", async () => {
    withConsumer({ rules: rules(['GET', 'POST', 'DELETE'], '/domain/zone/*') });
    const result = await adapter.validate(CREDENTIALS, DOMAIN);
    expect(result.status).toBe('insufficient');
    expect(result.message).toContain("change the domain's nameservers (POST)");
    expect(result.message).not.toContain('DNS records');
  });

  it('accepts a consumer key scoped to exactly this domain', async () => {
    withConsumer({
      rules: rules(
        ['GET', 'POST', 'DELETE'],
        `/domain/zone/${DOMAIN}`,
        `/domain/zone/${DOMAIN}/*`,
        `/domain/${DOMAIN}/*`,
      ),
    });
    expect((await adapter.validate(CREDENTIALS, DOMAIN)).status).toBe('valid');
  });

  it('reports not-in-account when the account has no zone for the domain', async () => {
    const result = await adapter.validate(CREDENTIALS, 'elsewhere.org');
    expect(result).toEqual({ status: 'not-in-account', message: expect.stringContaining('elsewhere.org') });
  });

  it('reports rate-limited when OVHcloud answers 429', async () => {
    emulator.failNext({ status: 429, message: 'Too many requests', path: /^\/auth\/currentCredential$/ });
    expect((await adapter.validate(CREDENTIALS, DOMAIN)).status).toBe('rate-limited');
  });

  it('reports unavailable when OVHcloud answers 5xx, for its clock or for a signed call', async () => {
    emulator.failNext({ status: 503, message: 'Service Unavailable', path: /^\/auth\/time$/ });
    expect((await adapter.validate(CREDENTIALS, DOMAIN)).status).toBe('unavailable');
    emulator.failNext({ status: 500, message: 'Internal server error', path: /^\/domain\/zone\// });
    expect((await adapter.validate(CREDENTIALS, DOMAIN)).status).toBe('unavailable');
    expect((await adapter.validate(CREDENTIALS, DOMAIN)).status).toBe('valid');
  });

  it('reports unavailable when nothing listens on the port', async () => {
    const closed = new OvhEmulator();
    const baseUrl = await closed.start();
    await closed.stop();
    const result = await new OvhAdapter({ baseUrl }).validate(CREDENTIALS, DOMAIN);
    expect(result).toEqual({ status: 'unavailable', message: expect.not.stringContaining('127.0.0.1') });
  });
});

describe('OvhAdapter request signing and the server clock', () => {
  it("signs with OVHcloud's clock when it runs two hours ahead of ours", async () => {
    emulator.clockSkewSeconds = 2 * 3600;
    const local = await signedFetch('/auth/currentCredential', { timestamp: Math.floor(Date.now() / 1000) });
    expect(local.status).toBe(400);
    expect(await local.json()).toMatchObject({ message: 'Query out of time' });

    await expect(adapter.validate(CREDENTIALS, DOMAIN)).resolves.toMatchObject({ status: 'valid' });
    await adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS);
    await expect(adapter.readNameservers(CREDENTIALS, DOMAIN, ACME)).resolves.toEqual(EXPECTED);
  });

  it('signs with a clock that runs behind ours', async () => {
    emulator.clockSkewSeconds = -(OVH_MAX_CLOCK_DRIFT_SECONDS + 600);
    await expect(adapter.validate(CREDENTIALS, DOMAIN)).resolves.toMatchObject({ status: 'valid' });
  });

  it('asks OVHcloud for its time once per adapter', async () => {
    await adapter.validate(CREDENTIALS, DOMAIN);
    await adapter.readNameservers(CREDENTIALS, DOMAIN, APEX);
    await adapter.validate({ ...CREDENTIALS, consumerKey: 'ckAnotherOneAnotherOne' }, DOMAIN);
    expect(emulator.requests.filter((request) => request.path === '/1.0/auth/time')).toHaveLength(1);
  });

  it('reads the clock again and retries once when OVHcloud says the query is out of time', async () => {
    await adapter.validate(CREDENTIALS, DOMAIN);
    emulator.clockSkewSeconds = -3600;
    await expect(adapter.validate(CREDENTIALS, DOMAIN)).resolves.toMatchObject({ status: 'valid' });
    expect(emulator.requests.filter((request) => request.path === '/1.0/auth/time')).toHaveLength(2);
  });

  it('is checked by an emulator that wants the full URL, the exact body and the secret in the signature', async () => {
    const good = await signedFetch('/auth/currentCredential', {});
    expect(good.status).toBe(200);
    const pathOnly = await signedFetch('/auth/currentCredential', {
      signedUrl: '/1.0/auth/currentCredential',
    });
    expect(pathOnly.status).toBe(400);
    expect(await pathOnly.json()).toMatchObject({ message: 'Invalid signature' });
    const withoutQuery = await signedFetch(`/domain/zone/${DOMAIN}/record?fieldType=NS`, {
      signedUrl: `${emulator.baseUrl}/domain/zone/${DOMAIN}/record`,
    });
    expect(withoutQuery.status).toBe(400);
    const body = JSON.stringify({ fieldType: 'TXT', subDomain: 'x', target: '"y"' });
    const path = `/domain/zone/${DOMAIN}/record`;
    const otherBody = await signedFetch(path, { method: 'POST', body, signedBody: `${body} ` });
    expect(otherBody.status).toBe(400);
    const sameBody = await signedFetch(path, { method: 'POST', body });
    expect(sameBody.status).toBe(200);
    expect(emulator.records(DOMAIN)).toHaveLength(CUSTOMER_RECORDS.length + 1);
  });
});

describe('OvhAdapter.delegate for a label', () => {
  it('creates absolute NS records for the label and publishes them with a zone refresh', async () => {
    await adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS);

    const expected = [
      { target: 'ns1.catalyst-dns.net.', ttl: 3600 },
      { target: 'ns2.catalyst-dns.net.', ttl: 3600 },
    ];
    expect(nsRecords(emulator.records(DOMAIN), 'acme')).toEqual(expected);
    expect(nsRecords(emulator.publishedRecords(DOMAIN), 'acme')).toEqual(expected);
    expect(emulator.refreshCount(DOMAIN)).toBe(1);
    const lastWrite = writes().at(-1);
    expect([lastWrite?.method, lastWrite?.path]).toEqual(['POST', `/1.0/domain/zone/${DOMAIN}/refresh`]);
    await expect(adapter.readNameservers(CREDENTIALS, DOMAIN, ACME)).resolves.toEqual(EXPECTED);
  });

  it("keeps the customer's A, MX and TXT records and other names' NS records", async () => {
    const before = emulator.records(DOMAIN);
    await adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS);
    expect(withoutNsAt(emulator.records(DOMAIN), 'acme')).toEqual(before);
    expect(withoutNsAt(emulator.publishedRecords(DOMAIN), 'acme')).toEqual(before);
  });

  it("replaces the label's old NS records, drops duplicates and keeps the one already right", async () => {
    emulator.addZone(DOMAIN, [
      ...CUSTOMER_RECORDS,
      { subDomain: 'acme', fieldType: 'NS', target: 'ns1.old-host.example.', ttl: 3600 },
      { subDomain: 'acme', fieldType: 'NS', target: 'ns1.catalyst-dns.net.', ttl: 3600 },
      { subDomain: 'acme', fieldType: 'NS', target: 'NS1.catalyst-dns.net.', ttl: 3600 },
    ]);
    const rightOne = emulator.records(DOMAIN).find((record) => record.target === 'ns1.catalyst-dns.net.');

    await adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS);

    const acme = emulator
      .records(DOMAIN)
      .filter((record) => record.fieldType === 'NS' && record.subDomain === 'acme');
    expect(acme.map((record) => record.target.toLowerCase()).sort()).toEqual([
      'ns1.catalyst-dns.net.',
      'ns2.catalyst-dns.net.',
    ]);
    expect(acme.map((record) => record.id)).toContain(rightOne?.id);
    expect(nsRecords(emulator.records(DOMAIN), 'other')).toEqual([
      { target: 'ns.elsewhere.example.', ttl: 3600 },
    ]);
  });

  it('replaces a dot-less NS target, which OVHcloud reads as a name inside the zone', async () => {
    emulator.addZone(DOMAIN, [
      ...CUSTOMER_RECORDS,
      { subDomain: 'acme', fieldType: 'NS', target: 'ns1.catalyst-dns.net', ttl: 3600 },
    ]);
    await expect(adapter.readNameservers(CREDENTIALS, DOMAIN, ACME)).resolves.toEqual([
      `ns1.catalyst-dns.net.${DOMAIN}`,
    ]);

    await adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS);

    expect(nsRecords(emulator.records(DOMAIN), 'acme').map((record) => record.target)).toEqual([
      'ns1.catalyst-dns.net.',
      'ns2.catalyst-dns.net.',
    ]);
  });

  it('changes no record the second time', async () => {
    await adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS);
    const after = emulator.records(DOMAIN);
    emulator.requests.length = 0;

    await adapter.delegate(CREDENTIALS, DOMAIN, ACME, [...NAMESERVERS].reverse());

    expect(emulator.records(DOMAIN)).toEqual(after);
    expect(writes().map((request) => `${request.method} ${request.path}`)).toEqual([
      `POST /1.0/domain/zone/${DOMAIN}/refresh`,
    ]);
  });

  it('publishes, on retry, records an attempt whose refresh failed left unpublished', async () => {
    emulator.failNext({ status: 500, message: 'Internal server error', method: 'POST', path: /\/refresh$/ });
    const error = await failure(adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS));
    expect(error.status).toBe('unavailable');
    expect(nsRecords(emulator.records(DOMAIN), 'acme')).toHaveLength(2);
    expect(nsRecords(emulator.publishedRecords(DOMAIN), 'acme')).toEqual([]);

    await adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS);

    expect(nsRecords(emulator.records(DOMAIN), 'acme')).toHaveLength(2);
    expect(nsRecords(emulator.publishedRecords(DOMAIN), 'acme')).toHaveLength(2);
  });

  it('reports insufficient, and writes nothing, when the key may not create records', async () => {
    withConsumer({ rules: rules(['GET'], '/domain/*') });
    const error = await failure(adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS));
    expect(error.status).toBe('insufficient');
    expect(error.message).toContain('create DNS records');
    expect(emulator.records(DOMAIN)).toHaveLength(CUSTOMER_RECORDS.length);
  });

  it('reports insufficient when the key may not refresh the zone', async () => {
    withConsumer({
      rules: [...rules(['GET', 'DELETE'], '/domain/*'), { method: 'POST', path: '/domain/zone/*/record' }],
    });
    const error = await failure(adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS));
    expect(error.status).toBe('insufficient');
    expect(error.message).toContain('refresh');
  });

  it('maps 429 and 5xx on writes to rate-limited and unavailable', async () => {
    emulator.failNext({ status: 429, message: 'Too many requests', method: 'POST', path: /\/record$/ });
    expect((await failure(adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS))).status).toBe(
      'rate-limited',
    );
    emulator.failNext({ status: 502, message: 'Bad gateway', method: 'POST', path: /\/record$/ });
    expect((await failure(adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS))).status).toBe(
      'unavailable',
    );
  });

  it('reports an unexpected refusal as unsupported, with OVHcloud’s reason', async () => {
    emulator.failNext({
      status: 400,
      message: 'Invalid subDomain acme: a CNAME exists',
      method: 'POST',
      path: /\/record$/,
    });
    const error = await failure(adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS));
    expect(error.status).toBe('unsupported');
    expect(error.message).toContain('a CNAME exists');
  });

  it('reports not-in-account for a domain whose zone is not in the account', async () => {
    const error = await failure(adapter.delegate(CREDENTIALS, 'elsewhere.org', ACME, NAMESERVERS));
    expect(error.status).toBe('not-in-account');
  });

  it('refuses nameservers inside the delegated name, which would need glue', async () => {
    const error = await failure(
      adapter.delegate(CREDENTIALS, DOMAIN, ACME, ['ns1.acme.bank.com', 'ns2.dns.net']),
    );
    expect(error.status).toBe('unsupported');
    expect(error.message).toContain('glue');
    expect(emulator.requests).toEqual([]);
  });

  it('refuses to remove a delegation when given no nameservers', async () => {
    const error = await failure(adapter.delegate(CREDENTIALS, DOMAIN, ACME, [' ']));
    expect(error.status).toBe('unsupported');
    expect(emulator.requests).toEqual([]);
  });
});

describe('OvhAdapter.delegate for the whole domain', () => {
  it("sets the domain's nameservers and reads them back", async () => {
    await adapter.delegate(CREDENTIALS, DOMAIN, APEX, NAMESERVERS);

    expect(emulator.domainNameServers(DOMAIN)).toEqual(EXPECTED);
    const update = writes().find((request) => request.path === `/1.0/domain/${DOMAIN}/nameServers/update`);
    expect(update?.body).toBe(JSON.stringify({ nameServers: EXPECTED.map((host) => ({ host })) }));
    await expect(adapter.readNameservers(CREDENTIALS, DOMAIN, APEX)).resolves.toEqual(EXPECTED);
  });

  it('starts no nameserver task when the domain already uses the nameservers', async () => {
    await adapter.delegate(CREDENTIALS, DOMAIN, APEX, NAMESERVERS);
    emulator.requests.length = 0;
    await adapter.delegate(CREDENTIALS, DOMAIN, APEX, EXPECTED);
    expect(writes()).toEqual([]);
  });

  it('leaves the DNS zone records alone', async () => {
    const before = emulator.records(DOMAIN);
    await adapter.delegate(CREDENTIALS, DOMAIN, APEX, NAMESERVERS);
    expect(emulator.records(DOMAIN)).toEqual(before);
    expect(emulator.refreshCount(DOMAIN)).toBe(0);
  });

  it('reports not-in-account for a domain not registered in the account', async () => {
    const error = await failure(adapter.delegate(CREDENTIALS, 'elsewhere.org', APEX, NAMESERVERS));
    expect(error.status).toBe('not-in-account');
    expect((await failure(adapter.readNameservers(CREDENTIALS, 'elsewhere.org', APEX))).status).toBe(
      'not-in-account',
    );
  });

  it('reports insufficient when the key may not change nameservers', async () => {
    withConsumer({
      rules: [
        ...rules(['GET', 'POST', 'DELETE'], '/domain/zone/*'),
        ...rules(['GET'], `/domain/${DOMAIN}/*`),
      ],
    });
    const error = await failure(adapter.delegate(CREDENTIALS, DOMAIN, APEX, NAMESERVERS));
    expect(error.status).toBe('insufficient');
    expect(emulator.domainNameServers(DOMAIN)).toEqual(['dns100.ovh.net', 'ns100.ovh.net']);
  });

  it('refuses nameservers inside the domain itself, which would need glue', async () => {
    const error = await failure(
      adapter.delegate(CREDENTIALS, DOMAIN, APEX, ['ns1.bank.com', 'ns2.bank.com']),
    );
    expect(error.status).toBe('unsupported');
    expect(emulator.domainNameServers(DOMAIN)).toEqual(['dns100.ovh.net', 'ns100.ovh.net']);
  });
});

describe('OvhAdapter error messages', () => {
  it('never contain the credential values, even when OVHcloud echoes them', async () => {
    const messages: string[] = [];
    messages.push(
      (await adapter.validate({ ...CREDENTIALS, applicationSecret: `${APPLICATION_SECRET}x` }, DOMAIN))
        .message,
    );
    messages.push(
      (await adapter.validate({ ...CREDENTIALS, consumerKey: `${CONSUMER_KEY}x` }, DOMAIN)).message,
    );
    emulator.failNext({
      status: 400,
      message: `Bad consumer ${CONSUMER_KEY} for application ${APPLICATION_KEY} (${APPLICATION_SECRET})`,
      method: 'POST',
    });
    const echoed = await failure(adapter.delegate(CREDENTIALS, DOMAIN, ACME, NAMESERVERS));
    expect(echoed.message).toContain('Bad consumer');
    messages.push(echoed.message);
    withConsumer({ rules: rules(['GET'], '/domain/*') });
    messages.push((await adapter.validate(CREDENTIALS, DOMAIN)).message);
    messages.push((await failure(adapter.delegate(CREDENTIALS, DOMAIN, APEX, NAMESERVERS))).message);

    for (const message of messages) {
      for (const secret of [APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY])
        expect(message).not.toContain(secret);
      expect(message).not.toMatch(/https?:\/\//);
    }
  });
});
