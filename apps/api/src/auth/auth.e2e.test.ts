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
/** A code that is none of `codes` (several may be live at once). */
function noneOf(codes: string[]): string {
  let guess = wrongPin(codes[0] ?? '000000');
  while (codes.includes(guess)) guess = wrongPin(guess);
  return guess;
}
const LOCKOUT_SUBJECT = 'Someone tried to sign in to Catalyst with your address';
function lockoutMailsTo(email: string) {
  return smtp.mails.filter((m) => m.to.includes(email) && m.raw.includes(LOCKOUT_SUBJECT));
}
/** The newest sign-in code mail to `email` (a lockout mail may be newer). */
async function lastPinMailTo(email: string) {
  const mail = await smtp.lastMailTo(email);
  if (!mail.raw.includes(LOCKOUT_SUBJECT)) return mail;
  const pins = smtp.mails.filter((m) => m.to.includes(email) && !m.raw.includes(LOCKOUT_SUBJECT));
  return pins[pins.length - 1] ?? mail;
}
/** Ends an e-mail's lockout now instead of waiting it out. */
async function endLockout(email: string) {
  await db.query(`update sign_in_guards set locked_until = now() - interval '1 second' where email = $1`, [
    email,
  ]);
}
async function expireCodes(email: string) {
  await db.query(`update login_pins set expires_at = now() - interval '1 second' where email = $1`, [email]);
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

  it('locks the e-mail after five wrong tries, even against the right PIN', async () => {
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
    expect(sixth.json().error.details.retryAfterSeconds).toBeGreaterThan(0);

    // A new code does not reset the count: the lockout holds until it ends.
    await requestPin(email, '192.0.2.250');
    const fresh = pinFrom(await lastPinMailTo(email));
    expect((await verify(email, fresh)).json().error.code).toBe('pin_locked');
    await endLockout(email);
    expect((await verify(email, fresh)).statusCode).toBe(200);
  });

  it('counts wrong tries across fresh codes and addresses, locks the e-mail and mails its owner once', async () => {
    const email = 'spread.guesser@example.com';
    const codes: string[] = [];
    const left: number[] = [];
    // Five wrong tries spread over three codes, each asked for from its own address.
    for (const [i, tries] of [2, 2, 1].entries()) {
      const address = `198.18.0.${i + 1}`;
      expect((await requestPin(email, address)).statusCode).toBe(202);
      codes.push(pinFrom(await lastPinMailTo(email)));
      for (let n = 0; n < tries; n++) {
        const res = await verify(email, noneOf(codes), address);
        left.push(res.json().error.details.attemptsLeft);
      }
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    for (const code of codes) {
      const refused = await verify(email, code, '198.18.0.99');
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('pin_locked');
    }
    expect((await verify(email, noneOf(codes), '198.18.0.98')).json().error.code).toBe('pin_locked');
    expect(lockoutMailsTo(email)).toHaveLength(1);
    expect(lockoutMailsTo(email)[0]?.raw).toContain('5 wrong sign-in codes');

    // When the lockout ends, the codes that were never used still work.
    await endLockout(email);
    expect((await verify(email, codes[2] as string)).statusCode).toBe(200);
    expect(lockoutMailsTo(email)).toHaveLength(1);
  });

  it("keeps the owner's pending code valid when a stranger asks for more, up to three live codes", async () => {
    const email = 'owner@example.com';
    await requestPin(email, '192.0.2.200');
    const ownersPin = pinFrom(await lastPinMailTo(email));
    expect((await requestPin(email, '198.51.100.66')).statusCode).toBe(202);
    expect((await requestPin(email, '198.51.100.66')).statusCode).toBe(202);
    const fourth = await requestPin(email, '198.51.100.66');
    expect(fourth.statusCode).toBe(429);
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);

    expect((await verify(email, ownersPin, '192.0.2.200')).statusCode).toBe(200);
    const { rows } = await db.query('select count(*)::int as n from login_pins where email = $1', [email]);
    expect(rows[0].n).toBe(2);
  });

  it('lets each pending code sign in once, on its own', async () => {
    const email = 'two.codes@example.com';
    await requestPin(email);
    const first = pinFrom(await lastPinMailTo(email));
    await requestPin(email);
    const second = pinFrom(await lastPinMailTo(email));
    expect(second).not.toBe(first);
    expect((await verify(email, first)).statusCode).toBe(200);
    expect((await verify(email, first)).json().error.code).toBe('invalid_pin');
    expect((await verify(email, second)).statusCode).toBe(200);
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
    const { rows } = await db.query('select count(*)::int as n from sign_in_failures where email = $1', [
      email,
    ]);
    expect(rows[0].n).toBe(5);
    expect(lockoutMailsTo(email)).toHaveLength(1);
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

  it("rate-limits PIN requests per e-mail and address, so a stranger does not spend the owner's budget", async () => {
    const email = 'spammed@example.com';
    const stranger = '203.0.114.1';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await requestPin(email, stranger)).statusCode);
      await expireCodes(email); // keeps the three-live-codes cap out of this test
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const limited = await requestPin(email, stranger);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error.code).toBe('rate_limited');

    // The owner, from their own address, still gets a code.
    expect((await requestPin(email, '203.0.114.50')).statusCode).toBe(202);
    // A looser cap per e-mail bounds the mail one inbox receives from every address together.
    const more: number[] = [];
    for (let i = 0; i < 5; i++) {
      await expireCodes(email);
      more.push((await requestPin(email, `203.0.114.${60 + i}`)).statusCode);
    }
    expect(more).toEqual([202, 202, 202, 202, 429]);
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
