import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/database.js';
import { provisionRequest } from '../../test/helpers/provision-request.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { type ReceivedMail, SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { SseClient } from '../../test/helpers/sse-client.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { withoutSecrets } from '../deployments/stored-request.js';
import { AuthService } from './auth.service.js';

const ROOT = 'root@team.test';
const PUBLIC_URL = 'https://console.team.test';

let smtp: SmtpPeer;
let smtpUrl: string;
let t: TestApp;
let db: pg.Client;
let root: string;

beforeAll(async () => {
  smtp = new SmtpPeer();
  smtpUrl = await smtp.start();
  t = await startTestApp({ env: { SMTP_URL: smtpUrl, CATALYST_ADMIN_EMAILS: ROOT, PUBLIC_URL } });
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  root = await signIn(t.app, smtp, ROOT);
});
afterAll(async () => {
  await db?.end();
  await t?.close();
  await smtp?.stop();
});

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const call = (app: TestApp, method: Method, url: string, cookie?: string, payload?: unknown) =>
  app.app.inject({ method, url, payload: payload as object, headers: cookie ? { cookie } : {} });

/** A user put straight into the database with `assigned` roles, then signed in: their cookie and id. */
async function userWith(app: TestApp, email: string, assigned: string[]) {
  const client = new pg.Client({ connectionString: app.databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ id: string }>(
    'insert into users (email, assigned_roles) values ($1, $2) returning id',
    [email, assigned],
  );
  await client.end();
  return { id: rows[0]?.id as string, cookie: await signIn(app.app, smtp, email) };
}

/** The text of a mail, with quoted-printable soft line breaks and escapes undone. */
function textOf(mail: ReceivedMail): string {
  return mail.raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

describe('who may manage the team', () => {
  it('answers the team routes 401 to anonymous, 403 to members and org-admins, and serves both admin roles', async () => {
    const member = await userWith(t, 'matrix-member@team.test', []);
    const orgAdmin = await userWith(t, 'matrix-orgadmin@team.test', ['org-admin']);
    const sovereignAdmin = await userWith(t, 'matrix-sov@team.test', ['sovereign-admin']);
    const superadmin = await userWith(t, 'matrix-super@team.test', ['superadmin']);
    const target = await userWith(t, 'matrix-target@team.test', []);
    const routes: [Method, string, unknown][] = [
      ['GET', '/api/v1/users', undefined],
      ['POST', '/api/v1/users/invitations', { email: 'matrix-invitee@team.test', roles: [] }],
      ['PUT', `/api/v1/users/${target.id}/roles/sovereign-admin`, undefined],
      ['DELETE', `/api/v1/users/${target.id}/roles/sovereign-admin`, undefined],
    ];
    const matrix: [string, string | undefined, number[]][] = [
      ['anonymous', undefined, [401, 401, 401, 401]],
      ['member', member.cookie, [403, 403, 403, 403]],
      ['org-admin', orgAdmin.cookie, [403, 403, 403, 403]],
      ['sovereign-admin', sovereignAdmin.cookie, [200, 201, 200, 200]],
      ['superadmin', superadmin.cookie, [200, 201, 200, 200]],
    ];
    for (const [caller, cookie, expected] of matrix) {
      const statuses: number[] = [];
      for (const [method, url, payload] of routes) {
        const res = await call(t, method, url, cookie, payload);
        statuses.push(res.statusCode);
        if (res.statusCode >= 400)
          expect(res.json().error.code).toBe(res.statusCode === 401 ? 'unauthenticated' : 'forbidden');
      }
      expect({ caller, statuses }).toEqual({ caller, statuses: expected });
    }
  });
});

describe('invitations', () => {
  it('creates the invited user with the role, mails them who invited them to which console, and lets them in as admin', async () => {
    const res = await call(t, 'POST', '/api/v1/users/invitations', root, {
      email: ' New.Admin@Team.test ',
      roles: ['sovereign-admin'],
    });
    expect(res.statusCode).toBe(201);
    const { user } = res.json();
    expect(user).toMatchObject({
      email: 'new.admin@team.test',
      roles: ['member', 'sovereign-admin'],
      assignedRoles: ['sovereign-admin'],
      configuredRoles: [],
      lastSignInAt: null,
    });

    const mail = textOf(await smtp.lastMailTo('new.admin@team.test'));
    expect(mail).toContain(`${ROOT} invited you as sovereign-admin`);
    expect(mail).toContain(PUBLIC_URL);
    expect(mail).toContain('6-digit sign-in code');

    const audit = await db.query('select action, actor_email, details from audit_log where target = $1', [
      `user:${user.id}`,
    ]);
    expect(audit.rows).toEqual([
      {
        action: 'user.invite',
        actor_email: ROOT,
        details: { email: 'new.admin@team.test', rolesAssigned: ['sovereign-admin'] },
      },
    ]);

    const cookie = await signIn(t.app, smtp, 'new.admin@team.test');
    expect((await call(t, 'GET', '/auth/me', cookie)).json().user.roles).toEqual([
      'member',
      'sovereign-admin',
    ]);
    expect((await call(t, 'GET', '/api/v1/users', cookie)).statusCode).toBe(200);
  });

  it('assigns a role an existing user lacks when they are invited again, and mails them again', async () => {
    const first = await call(t, 'POST', '/api/v1/users/invitations', root, {
      email: 'tenant-first@team.test',
      roles: [],
    });
    expect(first.statusCode).toBe(201);
    expect(first.json().user).toMatchObject({ roles: ['member'], assignedRoles: [] });
    const before = smtp.mails.filter((m) => m.to.includes('tenant-first@team.test')).length;

    const again = await call(t, 'POST', '/api/v1/users/invitations', root, {
      email: 'tenant-first@team.test',
      roles: ['sovereign-admin'],
    });
    expect(again.statusCode).toBe(201);
    expect(again.json().user).toMatchObject({
      id: first.json().user.id,
      roles: ['member', 'sovereign-admin'],
      assignedRoles: ['sovereign-admin'],
    });
    expect(textOf(await smtp.lastMailTo('tenant-first@team.test'))).toContain('as sovereign-admin');
    expect(smtp.mails.filter((m) => m.to.includes('tenant-first@team.test')).length).toBe(before + 1);
  });

  it('stops mailing one address after a few invitations in an hour', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await call(t, 'POST', '/api/v1/users/invitations', root, {
        email: 'flooded@team.test',
        roles: [],
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) expect(res.json().error.code).toBe('rate_limited');
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });

  it.each([
    ['an unknown role', { email: 'x@team.test', roles: ['wizard'] }],
    ['a role not given by invitation', { email: 'x@team.test', roles: ['superadmin'] }],
    ['a bad e-mail', { email: 'not-an-address', roles: [] }],
    ['an unknown field', { email: 'x@team.test', roles: [], admin: true }],
    ['no e-mail', { roles: [] }],
  ])('refuses an invitation with %s (400, nothing created)', async (_, payload) => {
    const res = await call(t, 'POST', '/api/v1/users/invitations', root, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    const { rows } = await db.query(`select 1 from users where email = 'x@team.test'`);
    expect(rows).toEqual([]);
  });
});

describe('assigning and removing roles', () => {
  it('assigns sovereign-admin, answers the same when assigned again, and audits the change once', async () => {
    const { id } = await userWith(t, 'promoted@team.test', []);
    for (let i = 0; i < 2; i++) {
      const res = await call(t, 'PUT', `/api/v1/users/${id}/roles/sovereign-admin`, root);
      expect(res.statusCode).toBe(200);
      expect(res.json().user).toMatchObject({
        roles: ['member', 'sovereign-admin'],
        assignedRoles: ['sovereign-admin'],
      });
    }
    const { rows } = await db.query('select action from audit_log where target = $1', [`user:${id}`]);
    expect(rows.map((r) => r.action)).toEqual(['user.role.assign']);
  });

  it.each([
    ['PUT', 'wizard', 400, 'validation_failed'],
    ['DELETE', 'wizard', 400, 'validation_failed'],
    ['PUT', 'superadmin', 422, 'role_not_assignable'],
    ['PUT', 'member', 422, 'role_not_assignable'],
    ['DELETE', 'org-admin', 422, 'role_not_assignable'],
  ] as const)('answers %s of the role "%s" with %i %s', async (method, role, status, code) => {
    const { id } = await userWith(t, `odd-${method.toLowerCase()}-${role}@team.test`, []);
    const res = await call(t, method, `/api/v1/users/${id}/roles/${role}`, root);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it('answers 400 for a malformed user id and 404 for an unknown one', async () => {
    const malformed = await call(t, 'PUT', '/api/v1/users/not-a-uuid/roles/sovereign-admin', root);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('validation_failed');
    for (const method of ['PUT', 'DELETE'] as const) {
      const unknown = await call(
        t,
        method,
        '/api/v1/users/00000000-0000-4000-8000-000000000000/roles/sovereign-admin',
        root,
      );
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('user_not_found');
    }
  });

  it('refuses to remove a role that CATALYST_ADMIN_EMAILS grants, and says to edit the configuration', async () => {
    const list = (await call(t, 'GET', '/api/v1/users', root)).json().users as {
      id: string;
      email: string;
      configuredRoles: string[];
      assignedRoles: string[];
    }[];
    const me = list.find((u) => u.email === ROOT);
    expect(me).toMatchObject({ configuredRoles: ['superadmin', 'sovereign-admin'], assignedRoles: [] });
    const res = await call(t, 'DELETE', `/api/v1/users/${me?.id}/roles/sovereign-admin`, root);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'role_from_configuration',
      message: expect.stringContaining('CATALYST_ADMIN_EMAILS'),
    });
    expect((await call(t, 'GET', '/auth/me', root)).statusCode).toBe(200);
  });

  it("removes the role, ends every session of that user at once, their open stream too, and leaves others' alone", async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const demoted = await userWith(t, 'demoted@team.test', ['sovereign-admin']);
    const secondSession = await signIn(t.app, smtp, 'demoted@team.test');
    const bystander = await userWith(t, 'bystander@team.test', ['sovereign-admin']);
    // A running deployment held by another replica's lease: its stream stays open and nothing here runs it.
    const { rows } = await db.query<{ id: string }>(
      `insert into deployments (fqdn, status, request, install_set, hetzner_project_id, event_seq,
                                lease_owner, lease_expires_at)
       values ('team.streams.test', 'running', $1, '{}', '1', 1, 'another-replica', now() + interval '1 hour')
       returning id`,
      [withoutSecrets(provisionRequest())],
    );
    const id = rows[0]?.id as string;
    await db.query(
      `insert into deployment_events (deployment_id, seq, type, payload)
       values ($1, 1, 'log', '{"type":"log","phase":"tofu-apply","stream":"stdout","line":"x"}')`,
      [id],
    );
    const streams = [demoted.cookie, bystander.cookie].map(
      (cookie) => new SseClient(`${base}/api/v1/deployments/${id}/logs`, { cookie }),
    );
    try {
      await Promise.all(streams.map((s) => s.open()));
      expect(streams.map((s) => s.status)).toEqual([200, 200]);
      await Promise.all(streams.map((s) => s.waitFor((event) => event.id === 1)));
      expect((await call(t, 'GET', '/api/v1/users', demoted.cookie)).statusCode).toBe(200);

      const res = await call(t, 'DELETE', `/api/v1/users/${demoted.id}/roles/sovereign-admin`, root);
      expect(res.statusCode).toBe(200);
      expect(res.json().user).toMatchObject({ roles: ['member'], assignedRoles: [] });

      for (const cookie of [demoted.cookie, secondSession]) {
        const after = await call(t, 'GET', '/auth/me', cookie);
        expect(after.statusCode).toBe(401);
        expect(after.json().error.code).toBe('unauthenticated');
      }
      await streams[0]?.waitForEnd(10_000);
      expect(streams[1]?.ended).toBe(false);
      expect((await call(t, 'GET', '/api/v1/users', bystander.cookie)).statusCode).toBe(200);

      // Signed in again, they are a member: the role stays removed.
      const back = await signIn(t.app, smtp, 'demoted@team.test');
      expect((await call(t, 'GET', '/auth/me', back)).json().user.roles).toEqual(['member']);
      expect((await call(t, 'GET', '/api/v1/users', back)).statusCode).toBe(403);
      const audit = await db.query('select action from audit_log where target = $1', [`user:${demoted.id}`]);
      expect(audit.rows.map((r) => r.action)).toEqual(['user.role.remove']);
    } finally {
      await Promise.all(streams.map((s) => s.close()));
    }
  });
});

describe('a handover', () => {
  it('assigns sovereign-admin, so it outlasts the e-mail leaving CATALYST_ADMIN_EMAILS', async () => {
    const { user } = await t.app
      .get(AuthService)
      .signInVerified('handed@team.test', ['sovereign-admin'], async () => undefined);
    expect(user.roles).toEqual(['member', 'sovereign-admin']);
    const { rows } = await db.query('select assigned_roles from users where id = $1', [user.id]);
    expect(rows[0].assigned_roles).toEqual(['sovereign-admin']);
  });
});

describe('the last admin', () => {
  // No CATALYST_ADMIN_EMAILS here: the assigned admins are the only ones.
  let solo: TestApp;
  beforeAll(async () => {
    solo = await startTestApp({ env: { SMTP_URL: smtpUrl } });
  });
  afterAll(async () => {
    await solo?.close();
  });

  it('refuses to remove the role from the last admin (409 last_admin), even by themselves', async () => {
    const a = await userWith(solo, 'last-a@team.test', ['sovereign-admin']);
    const b = await userWith(solo, 'last-b@team.test', ['sovereign-admin']);
    expect(
      (await call(solo, 'DELETE', `/api/v1/users/${b.id}/roles/sovereign-admin`, a.cookie)).statusCode,
    ).toBe(200);
    const refused = await call(solo, 'DELETE', `/api/v1/users/${a.id}/roles/sovereign-admin`, a.cookie);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('last_admin');
    expect((await call(solo, 'GET', '/api/v1/users', a.cookie)).statusCode).toBe(200);
  });

  it('leaves exactly one admin when the last two remove each other at the same moment', async () => {
    const client = new pg.Client({ connectionString: solo.databaseUrl });
    await client.connect();
    try {
      for (let round = 0; round < 3; round++) {
        await client.query(`update users set assigned_roles = '{}', roles = '{member}'`);
        const a = await userWith(solo, `race-a${round}@team.test`, ['sovereign-admin']);
        const b = await userWith(solo, `race-b${round}@team.test`, ['sovereign-admin']);
        const answers = await Promise.all([
          call(solo, 'DELETE', `/api/v1/users/${b.id}/roles/sovereign-admin`, a.cookie),
          call(solo, 'DELETE', `/api/v1/users/${a.id}/roles/sovereign-admin`, b.cookie),
        ]);
        const statuses = answers.map((r) => r.statusCode).sort();
        // One removal wins; the other is refused as the last admin, or its caller was already signed out.
        expect(statuses[0]).toBe(200);
        expect([401, 409]).toContain(statuses[1]);
        const { rows } = await client.query(
          `select email from users where 'sovereign-admin' = any(assigned_roles) and 'sovereign-admin' = any(roles)`,
        );
        expect(rows).toHaveLength(1);
      }
    } finally {
      await client.end();
    }
  });
});

describe('roles from CATALYST_ADMIN_EMAILS', () => {
  it('grants them while listed, takes them away at the restart that removes them (sessions ended), and keeps assigned roles', async () => {
    const database = await createTestDatabase();
    const listed = 'listed@team.test';
    const kept = 'kept@team.test';
    const stays = 'stays@team.test';
    let first: TestApp | undefined = await startTestApp({
      databaseUrl: database.url,
      env: { SMTP_URL: smtpUrl, CATALYST_ADMIN_EMAILS: `${listed},${kept},${stays}` },
    });
    let second: TestApp | undefined;
    try {
      const listedCookie = await signIn(first.app, smtp, listed);
      const keptCookie = await signIn(first.app, smtp, kept);
      const staysCookie = await signIn(first.app, smtp, stays);
      const roles = async (app: TestApp, cookie: string) =>
        (await call(app, 'GET', '/auth/me', cookie)).json().user.roles;
      expect(await roles(first, listedCookie)).toEqual(['member', 'sovereign-admin', 'superadmin']);
      const keptId = (await call(first, 'GET', '/auth/me', keptCookie)).json().user.id;
      const assigned = await call(
        first,
        'PUT',
        `/api/v1/users/${keptId}/roles/sovereign-admin`,
        listedCookie,
      );
      expect(assigned.json().user).toMatchObject({
        assignedRoles: ['sovereign-admin'],
        configuredRoles: ['superadmin', 'sovereign-admin'],
      });
      await first.close();
      first = undefined;

      // The same database, restarted with two of the e-mails off the list: their sessions end at start-up (the
      // kept one's too, as it lost superadmin); the one still listed is untouched.
      second = await startTestApp({
        databaseUrl: database.url,
        env: { SMTP_URL: smtpUrl, CATALYST_ADMIN_EMAILS: `someone-else@team.test,${stays}` },
      });
      expect((await call(second, 'GET', '/auth/me', listedCookie)).statusCode).toBe(401);
      expect((await call(second, 'GET', '/api/v1/users', listedCookie)).statusCode).toBe(401);
      expect((await call(second, 'GET', '/auth/me', keptCookie)).statusCode).toBe(401);
      expect(await roles(second, staysCookie)).toEqual(['member', 'sovereign-admin', 'superadmin']);
      const listedAgain = await signIn(second.app, smtp, listed);
      const keptAgain = await signIn(second.app, smtp, kept);
      expect(await roles(second, listedAgain)).toEqual(['member']);
      expect((await call(second, 'GET', '/api/v1/users', listedAgain)).statusCode).toBe(403);
      expect(await roles(second, keptAgain)).toEqual(['member', 'sovereign-admin']);
      const team = (await call(second, 'GET', '/api/v1/users', keptAgain)).json().users;
      expect(team.find((u: { email: string }) => u.email === kept)).toMatchObject({
        assignedRoles: ['sovereign-admin'],
        configuredRoles: [],
      });
    } finally {
      await first?.close();
      await second?.close();
      await database.drop();
    }
  });
});
