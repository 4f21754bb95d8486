import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pinFrom, SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { sessionCookie, startTestApp, type TestApp } from '../../test/helpers/test-app.js';

const ADMIN = 'root@catalyst.test';
let t: TestApp;
let smtp: SmtpPeer;
let db: pg.Client;
let ipCounter = 0;
let ip: string;

async function requestPin(email: string, remoteAddress = ip) {
  return t.app.inject({ method: 'POST', url: '/auth/pin/request', payload: { email }, remoteAddress });
}
async function verify(email: string, pin: string, remoteAddress = ip) {
  return t.app.inject({ method: 'POST', url: '/auth/pin/verify', payload: { email, pin }, remoteAddress });
}
function wrongPin(pin: string): string {
  return ((Number(pin) + 1) % 1_000_000).toString().padStart(6, '0');
}

beforeAll(async () => {
  smtp = new SmtpPeer();
  const smtpUrl = await smtp.start();
  t = await startTestApp({
    env: { SMTP_URL: smtpUrl, CATALYST_ADMIN_EMAILS: ` ${ADMIN.toUpperCase()} , ops@catalyst.test` },
  });
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await t.close();
  await smtp.stop();
});
beforeEach(() => {
  ip = `192.0.2.${++ipCounter}`;
});

describe('PIN sign-in', () => {
  it('signs a new user in with the mailed PIN, keeps the session in a cookie and signs out', async () => {
    const email = 'first.user@example.com';
    const requested = await requestPin('  First.User@Example.COM ');
    expect(requested.statusCode).toBe(202);
    const mail = await smtp.lastMailTo(email);
    const pin = pinFrom(mail);

    const verified = await verify(email, pin);
    expect(verified.statusCode).toBe(200);
    const { user } = verified.json();
    expect(user).toMatchObject({ email, roles: ['member'] });
    const setCookie = String(verified.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = sessionCookie(verified.headers['set-cookie']);

    const me = await t.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).toBe(user.id);

    const logout = await t.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } });
    expect(logout.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthenticated');
  });

  it('accepts the session token as a bearer header too', async () => {
    await requestPin('bearer@example.com');
    const pin = pinFrom(await smtp.lastMailTo('bearer@example.com'));
    const verified = await verify('bearer@example.com', pin);
    const token = sessionCookie(verified.headers['set-cookie']).split('=')[1];
    const me = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(200);
    const forged = await t.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: { authorization: `Bearer ${token}x` },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('uses a PIN only once', async () => {
    await requestPin('once@example.com');
    const pin = pinFrom(await smtp.lastMailTo('once@example.com'));
    expect((await verify('once@example.com', pin)).statusCode).toBe(200);
    const again = await verify('once@example.com', pin);
    expect(again.statusCode).toBe(401);
  });

  it('gives admin e-mails the superadmin and sovereign-admin roles and keeps a returning user', async () => {
    await requestPin(ADMIN);
    const first = await verify(ADMIN, pinFrom(await smtp.lastMailTo(ADMIN)));
    expect(first.json().user.roles.sort()).toEqual(['member', 'sovereign-admin', 'superadmin']);
    await requestPin(ADMIN);
    const second = await verify(ADMIN, pinFrom(await smtp.lastMailTo(ADMIN)));
    expect(second.json().user.id).toBe(first.json().user.id);
    const { rows } = await db.query('select count(*)::int as n from users where email = $1', [ADMIN]);
    expect(rows[0].n).toBe(1);
  });

  it('locks the PIN after five wrong tries, even against the right PIN', async () => {
    const email = 'guesser@example.com';
    await requestPin(email);
    const pin = pinFrom(await smtp.lastMailTo(email));
    const left: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await verify(email, wrongPin(pin));
      expect(res.statusCode).toBe(401);
      left.push(res.json().error.details.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const sixth = await verify(email, pin);
    expect(sixth.statusCode).toBe(401);
    expect(sixth.json().error.code).toBe('pin_locked');

    // A new code starts a fresh budget.
    await requestPin(email);
    const fresh = pinFrom(await smtp.lastMailTo(email));
    expect((await verify(email, fresh)).statusCode).toBe(200);
  });

  it('counts wrong tries made in parallel, so no more than five are ever judged', async () => {
    const email = 'parallel.guesser@example.com';
    await requestPin(email);
    const pin = pinFrom(await smtp.lastMailTo(email));
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        verify(email, wrongPin(String(Number(pin) + i)), `198.51.100.${i + 1}`),
      ),
    );
    expect(results.every((r) => r.statusCode === 401)).toBe(true);
    const { rows } = await db.query('select failed_attempts from login_pins where email = $1', [email]);
    expect(rows[0].failed_attempts).toBe(5);
    expect((await verify(email, pin)).json().error.code).toBe('pin_locked');
  });

  it('rejects an expired PIN', async () => {
    const email = 'slow@example.com';
    await requestPin(email);
    const pin = pinFrom(await smtp.lastMailTo(email));
    await db.query(`update login_pins set expires_at = now() - interval '1 second' where email = $1`, [
      email,
    ]);
    const res = await verify(email, pin);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('invalid_pin');
  });

  it('keeps only an HMAC of the PIN, with a ten-minute expiry', async () => {
    const email = 'stored@example.com';
    await requestPin(email);
    const pin = pinFrom(await smtp.lastMailTo(email));
    const { rows } = await db.query(
      `select pin_hash, extract(epoch from expires_at - created_at)::int as ttl from login_pins where email = $1`,
      [email],
    );
    expect(rows[0].pin_hash).not.toContain(pin);
    expect(rows[0].pin_hash.length).toBeGreaterThan(40);
    expect(rows[0].ttl).toBe(600);
  });

  it('answers the same for a known and an unknown address (no account enumeration)', async () => {
    await requestPin(ADMIN);
    const known = await requestPin(ADMIN, '203.0.113.7');
    const unknown = await requestPin('nobody-knows-me@example.com', '203.0.113.8');
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
  });

  it('rate-limits PIN requests per e-mail with 429 and Retry-After', async () => {
    const email = 'spammed@example.com';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await requestPin(email, `203.0.114.${i + 1}`)).statusCode);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const limited = await requestPin(email, '203.0.114.99');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error.code).toBe('rate_limited');
  });

  it('rate-limits PIN requests per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push((await requestPin(`addr${i}@example.com`, '203.0.115.1')).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 202)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it('rejects malformed input with field errors', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/auth/pin/request',
      payload: { email: 'not-an-email' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].path).toBe('email');
    const shortPin = await verify('x@example.com', '12345');
    expect(shortPin.statusCode).toBe(400);
    expect(shortPin.json().error.details.issues[0].path).toBe('pin');
  });
});

describe('secrets', () => {
  it('never logs a PIN or a session token when mail goes over SMTP', async () => {
    const email = 'secretive@example.com';
    await requestPin(email);
    const pin = pinFrom(await smtp.lastMailTo(email));
    const verified = await verify(email, pin);
    const token = sessionCookie(verified.headers['set-cookie']).split('=')[1] as string;
    await t.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie: `catalyst_session=${token}` } });
    expect(t.logs.text).not.toContain(token);
    expect(t.logs.text).not.toMatch(new RegExp(`\\b${pin}\\b`));
    expect(verified.body).not.toContain(token);
  });
});
