import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie, startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { sessions, users } from '../auth/auth.schema.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { handoverTokensUsed } from './handover.schema.js';
import { generateHandoverKeyPair, signHandoverToken } from './handover-token.js';

const FQDN = 'omantel.omani.works';
const ADMIN = 'admin@omantel.om';
const keys = generateHandoverKeyPair();

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    env: {
      CATALYST_MODE: 'sovereign',
      CATALYST_SOVEREIGN_FQDN: FQDN,
      CATALYST_HANDOVER_PUBLIC_KEY: keys.publicKeyPem,
    },
  });
});
afterAll(() => t?.close());

const mint = (
  overrides: { aud?: string; sub?: string; privateKeyPem?: string; ttl?: number; now?: number } = {},
) =>
  signHandoverToken(
    overrides.privateKeyPem ?? keys.privateKeyPem,
    { aud: overrides.aud ?? FQDN, sub: overrides.sub ?? ADMIN, jti: randomUUID() },
    overrides.ttl ?? 300,
    overrides.now,
  );

const open = (app: TestApp, token: string) =>
  app.app.inject({ method: 'GET', url: `/auth/handover?token=${encodeURIComponent(token)}` });

const count = async () => ({
  users: (await t.runtime.database.db.select().from(users)).length,
  sessions: (await t.runtime.database.db.select().from(sessions)).length,
  used: (await t.runtime.database.db.select().from(handoverTokensUsed)).length,
});

function expectRefused(res: { statusCode: number; json(): unknown; headers: Record<string, unknown> }) {
  expect(res.statusCode).toBe(401);
  expect(res.json()).toEqual({ error: { code: 'handover_refused', message: expect.any(String) } });
  expect(res.headers['set-cookie']).toBeUndefined();
}

describe('GET /auth/handover', () => {
  it('signs the admin in as sovereign-admin and sends the browser to the console', async () => {
    const before = await count();
    const token = mint();
    const res = await open(t, token);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/');
    const cookie = sessionCookie(res.headers['set-cookie']);
    const me = await t.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { email: ADMIN }, mode: 'sovereign' });
    expect(me.json().user.roles).toContain('sovereign-admin');
    expect(await count()).toEqual({
      users: before.users + 1,
      sessions: before.sessions + 1,
      used: before.used + 1,
    });
    // The token is a credential: no log line carries it.
    expect(t.logs.lines.some((line) => line.includes(token))).toBe(false);
  });

  it('refuses the same link a second time and opens no session', async () => {
    const token = mint({ sub: 'second@omantel.om' });
    expect((await open(t, token)).statusCode).toBe(303);
    const before = await count();
    expectRefused(await open(t, token));
    expect(await count()).toEqual(before);
    expect(t.logs.lines.some((line) => line.includes('"reason":"replayed"'))).toBe(true);
  });

  it('lets only one of parallel uses of one link through', async () => {
    const token = mint({ sub: 'parallel@omantel.om' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => open(t, token)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([303, 401, 401, 401, 401, 401, 401, 401]);
    const opened = await t.runtime.database.db.select().from(sessions);
    const [user] = (await t.runtime.database.db.select().from(users)).filter(
      (u) => u.email === 'parallel@omantel.om',
    );
    expect(opened.filter((s) => s.userId === user?.id)).toHaveLength(1);
  });

  const refusals: [string, () => string, string][] = [
    ['an expired link', () => mint({ ttl: 60, now: Math.floor(Date.now() / 1000) - 600 }), 'expired'],
    ['a link for another Sovereign', () => mint({ aud: 'other.omani.works' }), 'wrong_audience'],
    [
      'a link signed with another key',
      () => mint({ privateKeyPem: generateHandoverKeyPair().privateKeyPem }),
      'bad_signature',
    ],
    [
      'a link whose payload was changed',
      () => {
        const [h, p, s] = mint().split('.') as [string, string, string];
        const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
        const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'intruder@evil.test' })).toString(
          'base64url',
        );
        return `${h}.${forged}.${s}`;
      },
      'bad_signature',
    ],
    ['a link with no token', () => '', 'malformed'],
    ['a token over 4 KiB', () => `${mint()}${'A'.repeat(4096)}`, 'malformed'],
  ];
  for (const [name, token, reason] of refusals) {
    it(`refuses ${name} (401) and creates nothing`, async () => {
      const before = await count();
      const marker = t.logs.lines.length;
      expectRefused(await open(t, token()));
      expect(await count()).toEqual(before);
      const logged = t.logs.lines.slice(marker).join('\n');
      expect(logged).toContain(`"reason":"${reason}"`);
    });
  }

  it('refuses a token without one (401) when the query names no token', async () => {
    expectRefused(await t.app.inject({ method: 'GET', url: '/auth/handover' }));
  });

  it('answers 404 handover_not_configured without a public key', async () => {
    const plain = await startTestApp({ env: { CATALYST_MODE: 'sovereign', CATALYST_SOVEREIGN_FQDN: FQDN } });
    try {
      const res = await open(plain, mint());
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'handover_not_configured', message: expect.any(String) } });
      expect((await plain.runtime.database.db.select().from(users)).length).toBe(0);
    } finally {
      await plain.close();
    }
  });
});

describe('CATALYST_HANDOVER_PUBLIC_KEY', () => {
  it('takes an Ed25519 public key, also with escaped line breaks', () => {
    expect(loadConfig({ CATALYST_HANDOVER_PUBLIC_KEY: keys.publicKeyPem }).handover.publicKeyPem).toBe(
      keys.publicKeyPem.trim(),
    );
    const escaped = keys.publicKeyPem.replace(/\n/g, '\\n');
    expect(loadConfig({ CATALYST_HANDOVER_PUBLIC_KEY: escaped }).handover.publicKeyPem?.trim()).toBe(
      keys.publicKeyPem.trim(),
    );
    expect(loadConfig({}).handover).toEqual({ publicKeyPem: undefined, audience: undefined });
  });

  it('refuses at start-up a key that is not an Ed25519 public key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    for (const bad of [keys.privateKeyPem, String(rsa), 'not a key']) {
      expect(() => loadConfig({ CATALYST_HANDOVER_PUBLIC_KEY: bad })).toThrow(ConfigError);
    }
  });

  it('takes the Sovereign FQDN lower-cased, refusing what is not a domain name', () => {
    expect(loadConfig({ CATALYST_SOVEREIGN_FQDN: 'Omantel.Omani.Works.' }).handover.audience).toBe(FQDN);
    expect(() => loadConfig({ CATALYST_SOVEREIGN_FQDN: 'not a name' })).toThrow(ConfigError);
  });
});
