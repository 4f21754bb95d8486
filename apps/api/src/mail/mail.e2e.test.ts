import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie, startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { DevOutbox } from './dev-outbox.js';

const ADMIN = 'root@catalyst.test';
let t: TestApp;
let db: pg.Client;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'catalyst-mail-'));
  // As the kit runs a Sovereign: a production image without SMTP, the outbox switched on explicitly.
  t = await startTestApp({
    env: {
      CATALYST_ADMIN_EMAILS: ADMIN,
      CATALYST_DATA_DIR: dataDir,
      NODE_ENV: 'production',
      CATALYST_MAIL_OUTBOX: 'on',
    },
  });
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The file the log line points a local operator to, for the newest mail to `email`. */
function outboxFileFromLog(email: string): string {
  const line = [...t.logs.entries()]
    .reverse()
    .find(
      (e) => typeof e.msg === 'string' && e.msg.startsWith(`mail to ${email} queued in the dev outbox: `),
    );
  const file = String(line?.msg ?? '').split('queued in the dev outbox: ')[1];
  if (!file) throw new Error(`no dev outbox line for ${email}`);
  return file;
}

describe('dev outbox (no SMTP_URL)', () => {
  it('never logs a mail body: the log names a private file that holds the code', async () => {
    await t.app.inject({ method: 'POST', url: '/auth/pin/request', payload: { email: ADMIN } });
    const file = outboxFileFromLog(ADMIN);
    expect(dirname(file)).toBe(join(dataDir, 'mail'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    const pin = /sign-in code is (\d{6})/.exec(readFileSync(file, 'utf8'))?.[1];
    expect(pin).toMatch(/^\d{6}$/);

    expect(t.logs.text).not.toMatch(new RegExp(`\\b${pin}\\b`));
    expect(t.logs.text).not.toContain('sign-in code is');
    expect(t.logs.text).toContain('MAIL IS NOT DELIVERED');

    const verified = await t.app.inject({
      method: 'POST',
      url: '/auth/pin/verify',
      payload: { email: ADMIN, pin },
    });
    expect(verified.statusCode).toBe(200);
  });

  it('keeps mail sealed in the database and lists it for a superadmin', async () => {
    await t.app.inject({ method: 'POST', url: '/auth/pin/request', payload: { email: ADMIN } });
    const pin = /sign-in code is (\d{6})/.exec(readFileSync(outboxFileFromLog(ADMIN), 'utf8'))?.[1] as string;

    const { rows } = await db.query('select recipient, subject, sealed_body from mail_outbox');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.recipient).toBe(ADMIN);
      expect(row.sealed_body).not.toContain(pin);
      expect(row.subject).not.toContain(pin);
    }

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

  it('tells anyone, signed in or not, that mail is not delivered (the console banner)', async () => {
    const status = await t.app.inject({ method: 'GET', url: '/api/v1/mail-status' });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual({ delivery: 'dev-outbox' });
  });

  // Last: it adds a mail the listing test above counts.
  it('sweeps its files after CATALYST_RETENTION_MAIL_DAYS (7), as it sweeps their rows, and leaves other files alone', async () => {
    const email = 'sweep@catalyst.test';
    await t.app.inject({ method: 'POST', url: '/auth/pin/request', payload: { email } });
    const fresh = outboxFileFromLog(email);
    const old = join(dirname(fresh), '2026-01-01T00-00-00-000Z-00000000-0000-4000-8000-000000000000.txt');
    const notOurs = join(dirname(fresh), 'notes.txt');
    writeFileSync(old, 'To: someone\n');
    writeFileSync(notOurs, 'kept\n');
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    utimesSync(old, eightDaysAgo, eightDaysAgo);
    utimesSync(notOurs, eightDaysAgo, eightDaysAgo);

    expect(await t.app.get(DevOutbox).sweepFiles()).toBe(1);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(notOurs)).toBe(true);
    // Eight days on, the fresh one goes too.
    await t.app.get(DevOutbox).sweepFiles(Date.now() + 8 * 86_400_000);
    expect(existsSync(fresh)).toBe(false);
    expect(existsSync(notOurs)).toBe(true);
  });
});
