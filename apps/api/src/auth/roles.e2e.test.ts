import type { Role } from '@catalyst/contracts';
import { Controller, Get, Module } from '@nestjs/common';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { CurrentUser, type Principal, Roles } from './roles.decorator.js';

/** Routes guarded the ways feature modules guard theirs. */
@Controller('api/v1/guard-probe')
class GuardProbeController {
  @Get('signed-in')
  signedIn(@CurrentUser() user: Principal) {
    return { email: user.email };
  }
  @Get('superadmin')
  @Roles('superadmin')
  superadmin() {
    return { ok: true };
  }
  @Get('sovereign-admin')
  @Roles('sovereign-admin')
  sovereignAdmin() {
    return { ok: true };
  }
  @Get('org-admin-or-sovereign-admin')
  @Roles('org-admin', 'sovereign-admin')
  orgAdmin() {
    return { ok: true };
  }
}
@Module({ controllers: [GuardProbeController] })
class GuardProbeModule {}

const users: Record<string, Role[]> = {
  'member@example.com': ['member'],
  'orgadmin@example.com': ['member', 'org-admin'],
  'sovadmin@example.com': ['member', 'sovereign-admin'],
  'super@example.com': ['member', 'superadmin'],
};

let t: TestApp;
let smtp: SmtpPeer;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  smtp = new SmtpPeer();
  t = await startTestApp({ env: { SMTP_URL: await smtp.start() }, extraModules: [GuardProbeModule] });
  const db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  for (const [email, roles] of Object.entries(users)) {
    // Assigned, as an admin would: a sign-in recomputes `roles` from the assigned ones and the configuration.
    await db.query('insert into users (email, assigned_roles) values ($1, $2)', [
      email,
      roles.filter((role) => role !== 'member'),
    ]);
    cookies[email] = await signIn(t.app, smtp, email);
  }
  await db.end();
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

const routes = [
  '/api/v1/guard-probe/signed-in',
  '/api/v1/guard-probe/superadmin',
  '/api/v1/guard-probe/sovereign-admin',
  '/api/v1/guard-probe/org-admin-or-sovereign-admin',
  '/api/v1/admin/mail-outbox',
];
// Expected status per caller and route, in the order of `routes`.
const matrix: Record<string, number[]> = {
  anonymous: [401, 401, 401, 401, 401],
  'member@example.com': [200, 403, 403, 403, 403],
  'orgadmin@example.com': [200, 403, 403, 200, 403],
  'sovadmin@example.com': [200, 403, 200, 200, 403],
  'super@example.com': [200, 200, 403, 403, 200],
};

describe('role guard', () => {
  for (const [caller, expected] of Object.entries(matrix)) {
    it(`answers ${expected.join('/')} to ${caller}`, async () => {
      const statuses: number[] = [];
      for (const url of routes) {
        const res = await t.app.inject({
          method: 'GET',
          url,
          headers: caller === 'anonymous' ? {} : { cookie: cookies[caller] as string },
        });
        statuses.push(res.statusCode);
        if (res.statusCode >= 400) {
          expect(res.json().error.code).toBe(res.statusCode === 401 ? 'unauthenticated' : 'forbidden');
        }
      }
      expect(statuses).toEqual(expected);
    });
  }

  it('lists the team (every user and their roles) for sovereign admins only', async () => {
    const asMember = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { cookie: cookies['member@example.com'] as string },
    });
    expect(asMember.statusCode).toBe(403);
    const asAdmin = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { cookie: cookies['sovadmin@example.com'] as string },
    });
    expect(asAdmin.statusCode).toBe(200);
    const team = asAdmin.json().users as { email: string; roles: string[]; lastSignInAt: string | null }[];
    expect(team.map((u) => u.email).sort()).toEqual(Object.keys(users).sort());
    expect(team.find((u) => u.email === 'orgadmin@example.com')?.roles).toEqual(['member', 'org-admin']);
    expect(team.every((u) => u.lastSignInAt)).toBe(true);
  });
});
