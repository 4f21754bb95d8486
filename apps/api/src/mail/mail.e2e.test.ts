import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie, startTestApp, type TestApp } from '../../test/helpers/test-app.js';

const ADMIN = 'root@catalyst.test';
let t: TestApp;
let db: pg.Client;

beforeAll(async () => {
  t = await startTestApp({ env: { CATALYST_ADMIN_EMAILS: ADMIN } });
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await t.close();
});

/** The PIN as a local operator reads it: from the log line of the dev outbox. */
function pinFromLog(email: string): string {
  const entry = [...t.logs.entries()].reverse().find((e) => e.to === email && typeof e.body === 'string');
  const match = /sign-in code is (\d{6})/.exec(String(entry?.body));
  if (!match?.[1]) throw new Error('no PIN logged');
  return match[1];
}

describe('dev outbox (no SMTP_URL)', () => {
  it('keeps mail sealed in the database, prints it for a local operator and lists it for a superadmin', async () => {
    await t.app.inject({ method: 'POST', url: '/auth/pin/request', payload: { email: ADMIN } });
    const pin = pinFromLog(ADMIN);

    const { rows } = await db.query('select recipient, subject, sealed_body from mail_outbox');
    expect(rows).toHaveLength(1);
    expect(rows[0].recipient).toBe(ADMIN);
    expect(rows[0].sealed_body).not.toContain(pin);
    expect(rows[0].subject).not.toContain(pin);

    const verified = await t.app.inject({
      method: 'POST',
      url: '/auth/pin/verify',
      payload: { email: ADMIN, pin },
    });
    expect(verified.statusCode).toBe(200);
    const cookie = sessionCookie(verified.headers['set-cookie']);
    const outbox = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/mail-outbox',
      headers: { cookie },
    });
    expect(outbox.statusCode).toBe(200);
    const [mail] = outbox.json().mails;
    expect(mail).toMatchObject({ to: ADMIN, subject: 'Your Catalyst sign-in code' });
    expect(mail.text).toContain(pin);
    expect(mail.html).toContain(pin);
  });
});
