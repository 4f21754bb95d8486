import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  HetznerEmulator,
  type HetznerSshKey,
  sshKeyInputProblems,
} from '../../test/fixtures/hetzner/hetzner.emulator.js';
import { HetznerClient, type HetznerTokenCheck } from './hetzner.client.js';

/** 64 lower-case hex characters: the shape of a Hetzner token. */
function fakeToken(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

const READ_WRITE = fakeToken('read-write');
const READ_ONLY = fakeToken('read-only');
const UNKNOWN = fakeToken('unknown');
const ED25519 =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGQc3vcMjz/TCI/EwISInEarPzH0znCl/O2RSvfXIbn0 admin@catalyst.test';

let hetzner: HetznerEmulator;
let client: HetznerClient;

beforeAll(async () => {
  hetzner = new HetznerEmulator();
  client = new HetznerClient({ endpoint: await hetzner.start() });
});
afterAll(() => hetzner.stop());
beforeEach(() => {
  hetzner.reset();
  hetzner.addToken({ token: READ_WRITE, permission: 'read-write' });
  hetzner.addToken({ token: READ_ONLY, permission: 'read', projectId: '2000002' });
});

/** Validates and checks what must hold for every answer: the token appears nowhere in it. */
async function validate(token: string, on = client): Promise<HetznerTokenCheck> {
  const check = await on.validateToken(token);
  expect(JSON.stringify(check)).not.toContain(token);
  return check;
}

describe('HetznerClient.validateToken', () => {
  afterEach(() => {
    // The probe never creates anything: every write it sent is one Hetzner must refuse.
    const posts = hetzner.requests.filter((r) => r.method === 'POST');
    for (const post of posts) expect(sshKeyInputProblems(JSON.parse(post.body))).not.toEqual([]);
    expect(hetzner.project().collection('ssh_keys').size).toBe(0);
    expect(hetzner.project('2000002').collection('ssh_keys').size).toBe(0);
  });

  it('confirms a Read & Write token with one read and one write that must fail', async () => {
    const check = await validate(READ_WRITE);
    expect(check).toMatchObject({ status: 'valid', message: expect.stringMatching(/read and write/) });
    expect(check.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(hetzner.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v1/locations?per_page=1',
      'POST /v1/ssh_keys',
    ]);
    for (const request of hetzner.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${READ_WRITE}`);
    }
    expect(JSON.parse(hetzner.requests[1]?.body ?? '')).toEqual({ name: '', public_key: 'x' });
  });

  it('says read-only for a Read token and asks for a Read & Write one', async () => {
    const check = await validate(READ_ONLY);
    expect(check.status).toBe('read-only');
    expect(check.message).toContain('Read & Write');
  });

  it('says invalid with the gist of Hetzner’s answer, and stops after the read', async () => {
    const check = await validate(UNKNOWN);
    expect(check.status).toBe('invalid');
    expect(check.message).toContain('the token you have provided is invalid');
    expect(hetzner.requests).toHaveLength(1);
  });

  it('refuses a string no Authorization header can carry without calling Hetzner', async () => {
    expect((await validate(`${READ_WRITE}\n`)).status).toBe('invalid');
    expect(hetzner.requests).toHaveLength(0);
  });

  it('says rate-limited with the wait Hetzner announces in RateLimit-Reset', async () => {
    hetzner.fault = { kind: 'rate-limit', resetInSeconds: 42 };
    const check = await validate(READ_WRITE);
    expect(check.status).toBe('rate-limited');
    expect(check.retryAfterSeconds).toBeGreaterThanOrEqual(42);
    expect(check.retryAfterSeconds).toBeLessThanOrEqual(43);
    expect(check.message).toMatch(/Try again in 4[23] s/);
  });

  it('says rate-limited when the project’s budget runs out between the read and the write', async () => {
    const start = Date.now();
    hetzner.now = () => start;
    hetzner.rateLimit = 3;
    expect((await validate(READ_WRITE)).status).toBe('valid');
    const check = await validate(READ_WRITE);
    expect(check.status).toBe('rate-limited');
    expect(hetzner.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'POST']);
    // The budget refills one request a second: three seconds later the token is good again.
    hetzner.now = () => start + 3_000;
    expect((await validate(READ_WRITE)).status).toBe('valid');
  });

  it('says unreachable when nothing listens at the endpoint', async () => {
    const closed = new HetznerClient({ endpoint: 'http://127.0.0.1:9/v1' });
    const check = await validate(READ_WRITE, closed);
    expect(check).toMatchObject({
      status: 'unreachable',
      message: expect.stringMatching(/could not be reached/),
    });
  });

  it('says unreachable when Hetzner answers with a server error, JSON or HTML', async () => {
    hetzner.fault = { kind: 'server-error', status: 503 };
    expect(await validate(READ_WRITE)).toMatchObject({
      status: 'unreachable',
      message: expect.stringContaining('HTTP 503'),
    });
    hetzner.fault = { kind: 'server-error', status: 502 };
    expect(await validate(READ_WRITE)).toMatchObject({
      status: 'unreachable',
      message: expect.stringContaining('HTTP 502'),
    });
  });

  it('says unreachable, not valid, when only the write probe fails', async () => {
    hetzner.fault = { kind: 'server-error', status: 500, method: 'POST' };
    expect((await validate(READ_WRITE)).status).toBe('unreachable');
    expect(hetzner.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
  });

  it('says unreachable when Hetzner does not answer in time', async () => {
    hetzner.fault = { kind: 'stall' };
    const impatient = new HetznerClient({ endpoint: hetzner.baseUrl, timeoutMs: 200 });
    const check = await validate(READ_WRITE, impatient);
    expect(check).toMatchObject({
      status: 'unreachable',
      message: expect.stringMatching(/did not answer within/),
    });
  });

  it('says unreachable when the endpoint answers but is not the Hetzner Cloud API', async () => {
    const other = new HetznerClient({ endpoint: hetzner.baseUrl.replace(/\/v1$/, '/v2') });
    expect((await validate(READ_WRITE, other)).status).toBe('unreachable');
  });
});

describe('HetznerClient.validateToken against an API that accepts the probe', () => {
  it('removes the key it should never have created', async () => {
    const lenient = new HetznerEmulator();
    try {
      lenient.addToken({ token: READ_WRITE });
      lenient.route('POST', '/ssh_keys', ({ project, emulator }) => {
        const key = { id: emulator.newId(), name: '', public_key: 'x' };
        project.collection('ssh_keys').set(key.id, key);
        return { status: 201, body: { ssh_key: key } };
      });
      const check = await validate(READ_WRITE, new HetznerClient({ endpoint: await lenient.start() }));
      expect(check.status).toBe('valid');
      expect(lenient.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        'GET /v1/locations',
        'POST /v1/ssh_keys',
        'DELETE /v1/ssh_keys/1',
      ]);
      expect(lenient.project().collection('ssh_keys').size).toBe(0);
    } finally {
      await lenient.stop();
    }
  });
});

describe('Hetzner emulator', () => {
  async function call(method: string, path: string, token?: string, body?: unknown) {
    const res = await fetch(`${hetzner.baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  }

  it('answers Hetzner’s 401 envelopes, and 404 for an unknown path before any token check', async () => {
    expect(await call('GET', '/locations')).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized', message: 'token is required', details: null } },
    });
    expect((await call('GET', '/locations', UNKNOWN)).body).toEqual({
      error: { code: 'unauthorized', message: 'the token you have provided is invalid', details: null },
    });
    expect(await call('GET', '/nothing-here')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
  });

  it('pages locations with meta.pagination, a Link header and the rate-limit headers', async () => {
    const first = await call('GET', '/locations?per_page=2', READ_ONLY);
    expect((first.body.locations as { name: string }[]).map((l) => l.name)).toEqual(['fsn1', 'nbg1']);
    expect(first.body.meta).toEqual({
      pagination: {
        page: 1,
        per_page: 2,
        previous_page: null,
        next_page: 2,
        last_page: 3,
        total_entries: 6,
      },
    });
    expect(first.headers.get('link')).toContain('page=2&per_page=2>; rel="next"');
    expect(first.headers.get('ratelimit-limit')).toBe('3600');
    expect(first.headers.get('ratelimit-remaining')).toBe('3599');
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(first.headers.get('x-correlation-id')).toBeTruthy();
    const last = await call('GET', '/locations?per_page=2&page=3', READ_ONLY);
    expect((last.body.meta as { pagination: { next_page: unknown } }).pagination.next_page).toBeNull();
  });

  it('creates SSH keys for a Read & Write token only, with field-level invalid_input', async () => {
    const refused = await call('POST', '/ssh_keys', READ_ONLY, { name: 'admin', public_key: ED25519 });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'token_readonly' } } });
    const invalid = await call('POST', '/ssh_keys', READ_WRITE, { name: '', public_key: 'x' });
    expect(invalid).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'invalid_input',
          details: { fields: [{ name: 'name' }, { name: 'public_key' }] },
        },
      },
    });
    const created = await call('POST', '/ssh_keys', READ_WRITE, { name: 'admin', public_key: ED25519 });
    expect(created.status).toBe(201);
    const key = created.body.ssh_key as HetznerSshKey;
    expect(key).toMatchObject({
      name: 'admin',
      fingerprint: expect.stringMatching(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/),
    });
    expect(
      (await call('POST', '/ssh_keys', READ_WRITE, { name: 'other', public_key: ED25519 })).body,
    ).toMatchObject({
      error: { code: 'uniqueness_error' },
    });
    expect((await call('GET', `/ssh_keys/${key.id}`, READ_WRITE)).status).toBe(200);
    // Keys belong to the token's project: the read-only token's project has none.
    expect((await call('GET', `/ssh_keys/${key.id}`, READ_ONLY)).status).toBe(404);
    await fetch(`${hetzner.baseUrl}/ssh_keys/${key.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${READ_WRITE}` },
    });
    expect(hetzner.project().collection('ssh_keys').size).toBe(0);
  });
});
