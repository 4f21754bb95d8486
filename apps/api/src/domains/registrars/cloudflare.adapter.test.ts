import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CloudflareEmulator,
  type CloudflareRecordSeed,
} from '../../../test/fixtures/registrars/cloudflare.emulator.js';
import { EmulatorServer } from '../../../test/fixtures/registrars/emulator-server.js';
import { DEFAULT_CLOUDFLARE_API_URL } from '../../config/registrar-endpoints.js';
import { CloudflareAdapter, type CloudflareCredentials } from './cloudflare.adapter.js';
import { RegistrarError } from './registrar.js';

const ACCOUNT = '9a7806061c88ada191ed06f989cc3dac';
const TOKEN = 'Yk3pQ9rT2vW8xZ1aB4cD6eF0gH5iJ7kL9mN2oP4q';
const DOMAIN = 'bank.com';
const ACME = { kind: 'label', label: 'acme' } as const;
const APEX = { kind: 'apex' } as const;
const NAMESERVERS = ['ns1.catalyst.example', 'ns2.catalyst.example'];
const credentials: CloudflareCredentials = { apiToken: TOKEN };

/** What a customer already has in the zone, none of which a delegation of `acme` may touch. */
const CUSTOMER_RECORDS: CloudflareRecordSeed[] = [
  { type: 'NS', name: '@', content: 'ada.ns.cloudflare.com', ttl: 86400 },
  { type: 'NS', name: '@', content: 'bob.ns.cloudflare.com', ttl: 86400 },
  { type: 'A', name: '@', content: '203.0.113.10' },
  { type: 'MX', name: '@', content: 'mx.mail.example', priority: 10 },
  { type: 'TXT', name: '@', content: 'v=spf1 include:mail.example -all' },
  { type: 'CNAME', name: 'www', content: 'bank.com' },
  { type: 'NS', name: 'legacy', content: 'ns1.other-dns.example', ttl: 3600 },
];

function expectRegistrarError(promise: Promise<unknown>, status: RegistrarError['status']) {
  return expect(promise).rejects.toSatisfy(
    (error) => error instanceof RegistrarError && error.status === status,
  );
}

async function caught(promise: Promise<unknown>): Promise<RegistrarError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RegistrarError) return error;
    throw error;
  }
  throw new Error('expected a RegistrarError');
}

describe('CloudflareAdapter', () => {
  const emulator = new CloudflareEmulator();
  let adapter: CloudflareAdapter;

  const recordsAt = (name: string) =>
    emulator
      .records(DOMAIN)
      .filter((record) => record.name === name)
      .map(({ type, content, ttl }) => ({ type, content, ttl }));
  const nsContentAt = (name: string) =>
    recordsAt(name)
      .filter((record) => record.type === 'NS')
      .map((record) => record.content)
      .sort();
  const writes = () => emulator.requests.filter((request) => request.method !== 'GET');

  beforeAll(async () => {
    adapter = new CloudflareAdapter({ baseUrl: await emulator.start() });
  });

  afterAll(() => emulator.stop());

  beforeEach(() => {
    emulator.reset();
    emulator.addToken({ token: TOKEN, accountId: ACCOUNT });
    emulator.addZone({ name: DOMAIN, accountId: ACCOUNT, records: CUSTOMER_RECORDS });
  });

  describe('describes itself', () => {
    it('offers label delegation only, with one secret token field', () => {
      expect(adapter.id).toBe('cloudflare');
      expect(adapter.subdomainDelegation).toBe(true);
      expect(adapter.apexDelegation).toBe(false);
      expect(adapter.credentialFields).toEqual([
        expect.objectContaining({ name: 'apiToken', secret: true, optional: false }),
      ]);
      expect(adapter.credentialFields[0]?.hint).toMatch(/DNS → Edit/);
      expect(DEFAULT_CLOUDFLARE_API_URL).toBe('https://api.cloudflare.com/client/v4');
    });

    it('trims the token and refuses unknown fields, empty tokens and a pasted "Bearer " prefix', () => {
      expect(adapter.credentialsSchema.parse({ apiToken: `  ${TOKEN}\n` })).toEqual({ apiToken: TOKEN });
      expect(adapter.credentialsSchema.safeParse({ apiToken: TOKEN, email: 'a@b.c' }).success).toBe(false);
      expect(adapter.credentialsSchema.safeParse({ apiToken: '   ' }).success).toBe(false);
      expect(adapter.credentialsSchema.safeParse({ apiToken: `Bearer ${TOKEN}` }).success).toBe(false);
      expect(adapter.credentialsSchema.safeParse({}).success).toBe(false);
    });
  });

  describe('validate', () => {
    it('accepts an active token that can see the zone, using only reads with a Bearer header', async () => {
      const result = await adapter.validate(credentials, DOMAIN);

      expect(result.status).toBe('valid');
      expect(emulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        'GET /client/v4/user/tokens/verify',
        'GET /client/v4/zones',
      ]);
      expect(emulator.requests[1]?.query.get('name')).toBe(DOMAIN);
      expect(emulator.requests.every((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(
        true,
      );
    });

    it('accepts an account-owned token, which the /user verify route refuses', async () => {
      emulator.addToken({ token: 'account-owned-token-1', accountId: ACCOUNT, accountOwned: true });

      const result = await adapter.validate({ apiToken: 'account-owned-token-1' }, DOMAIN);

      expect(result.status).toBe('valid');
      expect(writes()).toEqual([]);
    });

    it('calls an unknown token invalid', async () => {
      const result = await adapter.validate({ apiToken: 'not-a-real-token' }, DOMAIN);

      expect(result).toEqual({ status: 'invalid', message: expect.stringMatching(/rejected the API token/) });
    });

    it('calls a token Cloudflare cannot parse from the header invalid (400, code 6003/6111)', async () => {
      const result = await adapter.validate({ apiToken: 'has"quote' }, DOMAIN);

      expect(result.status).toBe('invalid');
      expect(emulator.requests).toHaveLength(1);
    });

    it('calls a disabled token invalid and says so', async () => {
      emulator.addToken({ token: 'disabled-token', accountId: ACCOUNT, status: 'disabled' });

      const result = await adapter.validate({ apiToken: 'disabled-token' }, DOMAIN);

      expect(result).toEqual({ status: 'invalid', message: expect.stringMatching(/disabled/) });
    });

    it('reports a zone that is still pending as insufficient: the zone is not active at Cloudflare yet', async () => {
      emulator.addZone({ name: 'pending.com', accountId: ACCOUNT, status: 'pending' });

      const result = await adapter.validate(credentials, 'pending.com');

      expect(result.status).toBe('insufficient');
      expect(result.message).toMatch(/not active at Cloudflare yet/);
    });

    it('reports a token without Zone:Read as insufficient (403, code 10000)', async () => {
      emulator.addToken({ token: 'dns-only-token', accountId: ACCOUNT, zoneRead: false });

      const result = await adapter.validate({ apiToken: 'dns-only-token' }, DOMAIN);

      expect(result.status).toBe('insufficient');
      expect(result.message).toMatch(/Zone → Zone → Read/);
    });

    it('reports a domain that is not in the account as not-in-account', async () => {
      const result = await adapter.validate(credentials, 'elsewhere.com');

      expect(result.status).toBe('not-in-account');
      expect(result.message).toMatch(/elsewhere\.com/);
    });

    it('reports a zone the token is not scoped to as not-in-account', async () => {
      emulator.addToken({ token: 'scoped-token', accountId: ACCOUNT, zones: ['other.com'] });

      expect((await adapter.validate({ apiToken: 'scoped-token' }, DOMAIN)).status).toBe('not-in-account');
    });

    it('does not mistake a zone whose name merely contains the domain for it', async () => {
      emulator.reset();
      emulator.addToken({ token: TOKEN, accountId: ACCOUNT });
      emulator.addZone({ name: 'mybank.com', accountId: ACCOUNT });

      expect((await adapter.validate(credentials, DOMAIN)).status).toBe('not-in-account');
    });

    it('reports a partial (CNAME setup) zone as unsupported: Cloudflare does not serve its DNS', async () => {
      emulator.addZone({ name: 'partial.com', accountId: ACCOUNT, type: 'partial' });

      const result = await adapter.validate(credentials, 'partial.com');

      expect(result.status).toBe('unsupported');
      expect(result.message).toMatch(/partial/);
    });

    it('reports rate limiting with the Retry-After delay', async () => {
      emulator.fault = { kind: 'rate-limit', retryAfterSeconds: 30 };

      expect(await adapter.validate(credentials, DOMAIN)).toEqual({
        status: 'rate-limited',
        message: expect.stringMatching(/in 30 seconds/),
      });
    });

    it('reports a 5xx from Cloudflare as unavailable', async () => {
      emulator.fault = { kind: 'server-error', status: 502 };

      expect((await adapter.validate(credentials, DOMAIN)).status).toBe('unavailable');
    });

    it('reports a Cloudflare that cannot be reached as unavailable', async () => {
      const closed = new EmulatorServer(() => undefined);
      const baseUrl = await closed.start('/client/v4');
      await closed.stop();

      const result = await new CloudflareAdapter({ baseUrl }).validate(credentials, DOMAIN);

      expect(result.status).toBe('unavailable');
      expect(result.message).not.toMatch(/127\.0\.0\.1|http/);
    });
  });

  describe('delegate a label', () => {
    it('creates the NS records at acme.bank.com with a one-hour TTL and reads them back', async () => {
      await adapter.delegate(credentials, DOMAIN, ACME, NAMESERVERS);

      expect(recordsAt('acme.bank.com')).toEqual([
        { type: 'NS', content: 'ns1.catalyst.example', ttl: 3600 },
        { type: 'NS', content: 'ns2.catalyst.example', ttl: 3600 },
      ]);
      expect(await adapter.readNameservers(credentials, DOMAIN, ACME)).toEqual(NAMESERVERS);
    });

    it("keeps the customer's apex, MX, TXT, CNAME and other delegations untouched", async () => {
      const before = emulator.records(DOMAIN);

      await adapter.delegate(credentials, DOMAIN, ACME, NAMESERVERS);

      const after = emulator.records(DOMAIN);
      expect(after.filter((record) => record.name !== 'acme.bank.com')).toEqual(before);
      expect(writes().every((request) => !request.path.includes(before[0]?.id ?? 'none'))).toBe(true);
    });

    it('sends nameservers lower-case, without trailing dots and without duplicates', async () => {
      await adapter.delegate(credentials, DOMAIN, ACME, [
        'NS1.Catalyst.Example.',
        'ns1.catalyst.example',
        'ns2.catalyst.example.',
      ]);

      expect(nsContentAt('acme.bank.com')).toEqual(NAMESERVERS);
      const posted = writes().map((request) => JSON.parse(request.body) as Record<string, unknown>);
      expect(posted).toEqual([
        { type: 'NS', name: 'acme.bank.com', content: 'ns1.catalyst.example', ttl: 3600 },
        { type: 'NS', name: 'acme.bank.com', content: 'ns2.catalyst.example', ttl: 3600 },
      ]);
    });

    it('changes nothing when delegating the same nameservers a second time', async () => {
      await adapter.delegate(credentials, DOMAIN, ACME, NAMESERVERS);
      const before = emulator.records(DOMAIN);
      emulator.requests.length = 0;

      await adapter.delegate(credentials, DOMAIN, ACME, [...NAMESERVERS].reverse());

      expect(emulator.records(DOMAIN)).toEqual(before);
      expect(writes()).toEqual([]);
    });

    it('replaces stale NS records at the label, keeping the ones that still match, adding before deleting', async () => {
      emulator.insertRecord(DOMAIN, { type: 'NS', name: 'acme', content: 'ns1.catalyst.example', ttl: 3600 });
      emulator.insertRecord(DOMAIN, {
        type: 'NS',
        name: 'acme',
        content: 'ns9.old-provider.example',
        ttl: 3600,
      });
      const keptId = emulator.records(DOMAIN).find((record) => record.content === 'ns1.catalyst.example')?.id;

      await adapter.delegate(credentials, DOMAIN, ACME, NAMESERVERS);

      expect(nsContentAt('acme.bank.com')).toEqual(NAMESERVERS);
      expect(emulator.records(DOMAIN).find((record) => record.content === 'ns1.catalyst.example')?.id).toBe(
        keptId,
      );
      expect(writes().map((request) => request.method)).toEqual(['POST', 'DELETE']);
      expect(nsContentAt('legacy.bank.com')).toEqual(['ns1.other-dns.example']);
    });

    it('treats a record a concurrent writer added meanwhile (code 81058) as done', async () => {
      emulator.beforeHandle = (request) => {
        if (request.method === 'POST' && nsContentAt('acme.bank.com').length === 0) {
          emulator.insertRecord(DOMAIN, {
            type: 'NS',
            name: 'acme',
            content: 'ns1.catalyst.example',
            ttl: 3600,
          });
        }
      };

      await adapter.delegate(credentials, DOMAIN, ACME, NAMESERVERS);

      expect(nsContentAt('acme.bank.com')).toEqual(NAMESERVERS);
    });

    it('reads no nameservers for a label that is not delegated', async () => {
      expect(await adapter.readNameservers(credentials, DOMAIN, ACME)).toEqual([]);
    });
  });

  describe('what Cloudflare cannot do', () => {
    it('refuses apex delegation as unsupported without calling Cloudflare, saying what to do instead', async () => {
      const error = await caught(adapter.delegate(credentials, DOMAIN, APEX, NAMESERVERS));

      expect(error.status).toBe('unsupported');
      expect(error.message).toMatch(/registrar/);
      expect(error.message).toMatch(/subdomain/);
      expect(emulator.requests).toEqual([]);
    });

    it('refuses to read apex nameservers as unsupported', async () => {
      await expectRegistrarError(adapter.readNameservers(credentials, DOMAIN, APEX), 'unsupported');
    });

    it('refuses to delegate in a secondary zone, whose records come from another provider', async () => {
      emulator.addZone({ name: 'secondary.com', accountId: ACCOUNT, type: 'secondary' });

      await expectRegistrarError(
        adapter.delegate(credentials, 'secondary.com', ACME, NAMESERVERS),
        'unsupported',
      );
      expect(writes()).toEqual([]);
    });
  });

  describe('errors on write', () => {
    it('maps a token without DNS:Edit to insufficient and leaves the zone as it was', async () => {
      emulator.addToken({ token: 'read-only-token', accountId: ACCOUNT, dnsEdit: false });
      const before = emulator.records(DOMAIN);

      const error = await caught(
        adapter.delegate({ apiToken: 'read-only-token' }, DOMAIN, ACME, NAMESERVERS),
      );

      expect(error.status).toBe('insufficient');
      expect(error.message).toMatch(/Zone → DNS → Edit/);
      expect(emulator.records(DOMAIN)).toEqual(before);
    });

    it('maps a 429 on the write to rate-limited', async () => {
      emulator.fault = { kind: 'rate-limit', retryAfterSeconds: 5, method: 'POST' };

      await expectRegistrarError(adapter.delegate(credentials, DOMAIN, ACME, NAMESERVERS), 'rate-limited');
      expect(nsContentAt('acme.bank.com')).toEqual([]);
    });

    it('maps a 5xx while removing a stale record to unavailable', async () => {
      emulator.insertRecord(DOMAIN, {
        type: 'NS',
        name: 'acme',
        content: 'ns9.old-provider.example',
        ttl: 3600,
      });
      emulator.fault = { kind: 'server-error', status: 503, method: 'DELETE' };

      await expectRegistrarError(adapter.delegate(credentials, DOMAIN, ACME, NAMESERVERS), 'unavailable');
    });

    it("reports Cloudflare's refusal when the label already has an A or CNAME record", async () => {
      emulator.insertRecord(DOMAIN, { type: 'CNAME', name: 'acme', content: 'bank.com' });

      const error = await caught(adapter.delegate(credentials, DOMAIN, ACME, NAMESERVERS));

      expect(error.status).toBe('unsupported');
      expect(error.message).toMatch(/acme\.bank\.com.*code 81053/);
      expect(recordsAt('acme.bank.com')).toEqual([{ type: 'CNAME', content: 'bank.com', ttl: 1 }]);
    });

    it('refuses to write into a pending zone, as insufficient', async () => {
      emulator.addZone({ name: 'pending.com', accountId: ACCOUNT, status: 'pending' });

      await expectRegistrarError(
        adapter.delegate(credentials, 'pending.com', ACME, NAMESERVERS),
        'insufficient',
      );
      expect(writes()).toEqual([]);
    });

    it('maps a domain outside the account to not-in-account on delegate and on read-back', async () => {
      await expectRegistrarError(
        adapter.delegate(credentials, 'elsewhere.com', ACME, NAMESERVERS),
        'not-in-account',
      );
      await expectRegistrarError(
        adapter.readNameservers(credentials, 'elsewhere.com', ACME),
        'not-in-account',
      );
    });

    it('maps an unknown token to invalid on delegate', async () => {
      await expectRegistrarError(
        adapter.delegate({ apiToken: 'wrong-token' }, DOMAIN, ACME, NAMESERVERS),
        'invalid',
      );
    });
  });

  it('never puts the token in an error message', async () => {
    const secret = 'S3cr3t-Token-Value-0123456789abcdef';
    emulator.addToken({ token: secret, accountId: ACCOUNT, dnsEdit: false });
    emulator.insertRecord(DOMAIN, { type: 'CNAME', name: 'taken', content: 'bank.com' });
    const messages: string[] = [];
    const bad = { apiToken: `${secret}-revoked` };

    messages.push((await adapter.validate(bad, DOMAIN)).message);
    messages.push((await caught(adapter.delegate(bad, DOMAIN, ACME, NAMESERVERS))).message);
    messages.push((await caught(adapter.delegate({ apiToken: secret }, DOMAIN, ACME, NAMESERVERS))).message);
    emulator.addToken({ token: `${secret}-writer`, accountId: ACCOUNT });
    const writer = { apiToken: `${secret}-writer` };
    messages.push(
      (await caught(adapter.delegate(writer, DOMAIN, { kind: 'label', label: 'taken' }, NAMESERVERS)))
        .message,
    );
    emulator.fault = { kind: 'rate-limit', retryAfterSeconds: 1 };
    messages.push((await adapter.validate({ apiToken: secret }, DOMAIN)).message);

    expect(messages).toHaveLength(5);
    for (const message of messages) expect(message).not.toContain(secret.slice(0, 12));
  });
});
