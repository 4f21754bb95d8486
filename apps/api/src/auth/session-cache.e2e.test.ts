import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { AuthService } from './auth.service.js';
import { SessionCache } from './session-cache.js';
import { SessionRevocations } from './session-revocations.js';

// Two replicas on one database: a session checked (and cached) on one is signed out on the other.
let a: TestApp;
let b: TestApp;
let smtp: SmtpPeer;
let db: pg.Client;

beforeAll(async () => {
  smtp = new SmtpPeer();
  const smtpUrl = await smtp.start();
  a = await startTestApp({ env: { SMTP_URL: smtpUrl } });
  b = await startTestApp({ env: { SMTP_URL: smtpUrl }, databaseUrl: a.databaseUrl });
  db = new pg.Client({ connectionString: a.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await b?.close();
  await a?.close();
  await smtp?.stop();
});

const me = (t: TestApp, cookie: string) =>
  t.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } });

async function sessionIdOf(email: string): Promise<string> {
  const { rows } = await db.query(
    'select s.id from sessions s join users u on u.id = s.user_id where u.email = $1 order by s.created_at desc limit 1',
    [email],
  );
  return rows[0].id;
}

describe('session checks answered from the in-process cache', () => {
  it('refuses a session on this replica right after it signs out, although its check was cached', async () => {
    const cookie = await signIn(a.app, smtp, 'local@example.com');
    expect((await me(a, cookie)).statusCode).toBe(200);
    expect(a.app.get(SessionCache).forSession(await sessionIdOf('local@example.com'))).toBeDefined();

    expect(
      (await a.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } })).statusCode,
    ).toBe(204);
    const after = await me(a, cookie);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthenticated');
  });

  it("drops a session signed out on another replica as that replica's revocation NOTIFY arrives", async () => {
    const cookie = await signIn(a.app, smtp, 'roaming@example.com');
    const sessionId = await sessionIdOf('roaming@example.com');
    expect((await me(b, cookie)).statusCode).toBe(200);
    const cacheB = b.app.get(SessionCache);
    expect(cacheB.forSession(sessionId)).toBeDefined();

    // Subscribed after the cache, so by the time this hears the NOTIFY the cache has already let the session go.
    const heard = new Promise<boolean>((resolve) => {
      b.app
        .get(SessionRevocations)
        .watch(sessionId, () => resolve(cacheB.forSession(sessionId) === undefined));
    });
    expect(
      (await a.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } })).statusCode,
    ).toBe(204);
    expect(await heard).toBe(true);
    expect((await me(b, cookie)).statusCode).toBe(401);
  });

  it('refuses an expired session, and does not cache it', async () => {
    const cookie = await signIn(a.app, smtp, 'expired@example.com');
    const sessionId = await sessionIdOf('expired@example.com');
    await db.query(`update sessions set expires_at = now() - interval '1 second' where id = $1`, [sessionId]);
    expect((await me(a, cookie)).statusCode).toBe(401);
    expect(a.app.get(SessionCache).forSession(sessionId)).toBeUndefined();
  });

  it('lets a long-lived response re-check its principal from the cache, and refuses it once signed out', async () => {
    const cookie = await signIn(a.app, smtp, 'streamer@example.com');
    const sessionId = await sessionIdOf('streamer@example.com');
    const meBody = (await me(a, cookie)).json();
    const auth = a.app.get(AuthService);
    const principal = {
      userId: meBody.user.id,
      email: meBody.user.email,
      roles: meBody.user.roles,
      sessionId,
    };
    expect(await auth.stillAllowed(principal)).toBe(true);
    expect(await auth.stillAllowed(principal, ['superadmin'])).toBe(false);
    expect(await auth.stillAllowed({ ...principal, userId: '00000000-0000-4000-8000-000000000000' })).toBe(
      false,
    );
    await a.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } });
    expect(await auth.stillAllowed(principal)).toBe(false);
  });
});
