import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HetznerEmulator } from '../../test/fixtures/hetzner/hetzner.emulator.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';

function fakeToken(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

const READ_WRITE = fakeToken('e2e-read-write');
const READ_ONLY = fakeToken('e2e-read-only');
const UNKNOWN = fakeToken('e2e-unknown');
const ALL_TOKENS = [READ_WRITE, READ_ONLY, UNKNOWN];

let hetzner: HetznerEmulator;
let smtp: SmtpPeer;
let t: TestApp;
let admin: string;
let member: string;

beforeAll(async () => {
  hetzner = new HetznerEmulator();
  smtp = new SmtpPeer();
  t = await startTestApp({
    env: {
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: 'ops@catalyst.test,ops2@catalyst.test',
      HCLOUD_ENDPOINT: await hetzner.start(),
    },
  });
  admin = await signIn(t.app, smtp, 'ops@catalyst.test');
  member = await signIn(t.app, smtp, 'member@example.com');
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
  await hetzner.stop();
});
beforeEach(() => {
  hetzner.reset();
  hetzner.addToken({ token: READ_WRITE, permission: 'read-write' });
  hetzner.addToken({ token: READ_ONLY, permission: 'read' });
});

/** Signed in as `cookie`; null sends no session. */
function validate(body: unknown, cookie: string | null = admin) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/credentials/validate',
    payload: body as object,
    headers: cookie ? { cookie } : {},
  });
}

function expectNoToken(text: string) {
  for (const token of ALL_TOKENS) expect(text).not.toContain(token);
}

function issuePaths(res: { json(): unknown }): string[] {
  return (res.json() as { error: { details: { issues: { path: string }[] } } }).error.details.issues.map(
    (issue) => issue.path,
  );
}

describe('POST /api/v1/credentials/validate', () => {
  it('confirms a Read & Write Hetzner token, given as the wizard types it', async () => {
    const res = await validate({ provider: ' Hetzner ', token: `  ${READ_WRITE}\n`, projectId: ' 1234567 ' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ valid: true, status: 'valid', message: expect.any(String) });
    expectNoToken(res.body);
    // The emulator saw the trimmed token, and the check only read and sent a write bound to fail.
    expect(hetzner.requests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${READ_WRITE}`,
      `Bearer ${READ_WRITE}`,
    ]);
    expect(hetzner.project().collection('ssh_keys').size).toBe(0);
  });

  it('answers read-only, invalid, rate-limited and unreachable with 200 and valid false', async () => {
    const readOnly = await validate({ provider: 'hetzner', token: READ_ONLY });
    expect(readOnly.json()).toMatchObject({ valid: false, status: 'read-only' });
    expect(readOnly.json().message).toContain('Read & Write');

    const invalid = await validate({ provider: 'hetzner', token: UNKNOWN });
    expect(invalid.json()).toMatchObject({ valid: false, status: 'invalid' });

    hetzner.fault = { kind: 'rate-limit', resetInSeconds: 30 };
    const limited = await validate({ provider: 'hetzner', token: READ_WRITE });
    expect(limited.json()).toMatchObject({ valid: false, status: 'rate-limited' });

    hetzner.fault = { kind: 'server-error', status: 503 };
    const down = await validate({ provider: 'hetzner', token: READ_WRITE });
    expect(down.json()).toMatchObject({ valid: false, status: 'unreachable' });

    for (const res of [readOnly, invalid, limited, down]) {
      expect(res.statusCode).toBe(200);
      expectNoToken(res.body);
    }
  });

  it('never writes a token to the logs, and logs each outcome', async () => {
    await validate({ provider: 'hetzner', token: READ_WRITE });
    await validate({ provider: 'hetzner', token: READ_ONLY });
    await validate({ provider: 'hetzner', token: UNKNOWN });
    await validate({ provider: 'hetzner', token: READ_WRITE.slice(0, 40) });
    const outcomes = t.logs
      .entries()
      .filter((entry) => entry.msg === 'cloud credentials checked')
      .map((entry) => entry.status);
    expect(outcomes).toEqual(expect.arrayContaining(['valid', 'read-only', 'invalid']));
    expectNoToken(t.logs.text);
    expect(t.logs.text).not.toContain(READ_WRITE.slice(0, 40));
  });

  it('rejects a short token field by field without calling Hetzner or echoing it', async () => {
    const short = READ_WRITE.slice(0, 63);
    const res = await validate({ provider: 'hetzner', token: short });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details.issues).toEqual([
      { path: 'token', message: expect.stringContaining('64 characters') },
    ]);
    expect(res.body).not.toContain(short);
    const symbols = await validate({ provider: 'hetzner', token: `${READ_WRITE.slice(0, 63)}!` });
    expect(issuePaths(symbols)).toEqual(['token']);
    expect(hetzner.requests).toHaveLength(0);
  });

  it('names the provider that is not available yet', async () => {
    const res = await validate({ provider: 'AWS', token: READ_WRITE });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues).toEqual([
      {
        path: 'provider',
        message: 'Amazon Web Services is not available yet; Catalyst provisions on Hetzner Cloud today',
      },
    ]);
    expect(issuePaths(await validate({ provider: 'digitalocean', token: READ_WRITE }))).toEqual(['provider']);
    expect(issuePaths(await validate({ token: READ_WRITE }))).toEqual(['provider']);
    expect(hetzner.requests).toHaveLength(0);
  });

  it('rejects unknown fields and a project ID that is not a number', async () => {
    const extra = await validate({ provider: 'hetzner', token: READ_WRITE, region: 'fsn1' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.details.issues).toEqual([{ path: 'region', message: 'Unknown field' }]);
    const project = await validate({ provider: 'hetzner', token: READ_WRITE, projectId: 'my-project' });
    expect(project.statusCode).toBe(400);
    expect(issuePaths(project)).toEqual(['projectId']);
    expectNoToken(extra.body + project.body);
    expect(hetzner.requests).toHaveLength(0);
  });

  it('is for sovereign admins: 403 for a member, 401 without a session', async () => {
    const forbidden = await validate({ provider: 'hetzner', token: READ_WRITE }, member);
    expect(forbidden.statusCode).toBe(403);
    const anonymous = await validate({ provider: 'hetzner', token: READ_WRITE }, null);
    expect(anonymous.statusCode).toBe(401);
    expect(hetzner.requests).toHaveLength(0);
  });

  it('stops calling Hetzner after twenty checks a minute from one user', async () => {
    const other = await signIn(t.app, smtp, 'ops2@catalyst.test');
    for (let i = 0; i < 20; i++) {
      expect((await validate({ provider: 'hetzner', token: READ_WRITE }, other)).statusCode).toBe(200);
    }
    const calls = hetzner.requests.length;
    const refused = await validate({ provider: 'hetzner', token: READ_WRITE }, other);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(refused.headers['retry-after']).toBeDefined();
    expect(hetzner.requests).toHaveLength(calls);
    // Another admin keeps their own budget.
    expect((await validate({ provider: 'hetzner', token: READ_WRITE })).statusCode).toBe(200);
  });
});
