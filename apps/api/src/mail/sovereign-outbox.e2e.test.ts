import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie, startTestApp, type TestApp } from '../../test/helpers/test-app.js';

const ADMIN = 'admin@omantel.om';
const TENANT = 'tenant@acme.example';
let t: TestApp;
let dataDir: string;

/** The newest code mailed to `email`, read from the outbox files as the operator would (kubectl exec … cat). */
function newestPin(email: string): string {
  const dir = join(dataDir, 'mail');
  const files = readdirSync(dir).sort().reverse();
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    const pin = /sign-in code is (\d{6})/.exec(text)?.[1];
    if (text.startsWith(`To: ${email}\n`) && pin) return pin;
  }
  throw new Error(`no outbox file for ${email}`);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'catalyst-sovereign-mail-'));
  // As bp-catalyst-platform runs a Sovereign that was given no SMTP server: catalyst-smtp is absent, so
  // SMTP_URL is unset, and the outbox is on.
  t = await startTestApp({
    env: {
      CATALYST_MODE: 'sovereign',
      CATALYST_ADMIN_EMAILS: ADMIN,
      CATALYST_DATA_DIR: dataDir,
      NODE_ENV: 'production',
      CATALYST_MAIL_OUTBOX: 'on',
    },
  });
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a Sovereign without SMTP', () => {
  it('keeps every PIN out of its log; the admin reads codes from the outbox files and the outbox endpoint', async () => {
    const status = await t.app.inject({ method: 'GET', url: '/api/v1/mail-status' });
    expect(status.json()).toEqual({ delivery: 'dev-outbox' });

    await t.app.inject({ method: 'POST', url: '/auth/pin/request', payload: { email: ADMIN } });
    const adminPin = newestPin(ADMIN);
    const verified = await t.app.inject({
      method: 'POST',
      url: '/auth/pin/verify',
      payload: { email: ADMIN, pin: adminPin },
    });
    expect(verified.statusCode).toBe(200);
    const cookie = sessionCookie(verified.headers['set-cookie']);

    // A later code for someone else waits in the outbox, where the admin can read it for them.
    await t.app.inject({ method: 'POST', url: '/auth/pin/request', payload: { email: TENANT } });
    const tenantPin = newestPin(TENANT);
    const outbox = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/mail-outbox',
      headers: { cookie },
    });
    expect(outbox.statusCode).toBe(200);
    expect(outbox.json().mails[0]).toMatchObject({ to: TENANT });
    expect(outbox.json().mails[0].text).toContain(tenantPin);

    for (const pin of [adminPin, tenantPin]) expect(t.logs.text).not.toMatch(new RegExp(`\\b${pin}\\b`));
    expect(t.logs.text).not.toContain('sign-in code is');
    expect(t.logs.text).toContain(`mail to ${TENANT} queued in the dev outbox`);
  });
});
