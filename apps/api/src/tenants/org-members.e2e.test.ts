import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServerEmulator } from '../../test/fixtures/kube/kube-apiserver.emulator.js';
import { createTestDatabase } from '../../test/helpers/database.js';
import { eventually } from '../../test/helpers/eventually.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { type ReceivedMail, SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';

/*
 * Issue #15, "Team": an org's owner invites org-admins (who manage environments and apps) and members (who use
 * them); removing a role ends that person's sessions. Real PostgreSQL, real SMTP peer, real PIN sign-in, and the
 * kube-apiserver emulator as the cluster apps install into.
 */

const ADMIN = 'admin@sovereign.test';
const POOL = 'omani.homes';
const MARKET = 'https://market.sovereign.test';
const ORG = 'team';
const OWNER = 'owner@team.test';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Who = 'anonymous' | 'non-member' | 'member' | 'org-admin' | 'owner';
const EVERYONE: Who[] = ['anonymous', 'non-member', 'member', 'org-admin', 'owner'];

let kube: KubeApiServerEmulator;
let smtp: SmtpPeer;
let t: TestApp;
let db: pg.Client;
let dir: string;
let database: { url: string; drop(): Promise<void> };
let requests = 0;
const cookies: Partial<Record<Who, string>> = {};
/** Installs made for the matrix: retried and uninstalled by the roles that may. */
const installs: Record<string, string> = {};
/** Members the owner re-roles and removes in the matrix. */
const extras: Record<'rerole' | 'remove', string> = { rerole: '', remove: '' };

function call(method: Method, url: string, cookie?: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    payload: payload as object,
    headers: cookie ? { cookie } : {},
    remoteAddress: `198.18.7.${(requests++ % 250) + 1}`,
  });
}

async function invite(email: string, role: string, cookie = cookies.owner) {
  const res = await call('POST', `/api/v1/orgs/${ORG}/members`, cookie, { email, role });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { userId: string; email: string; role: string; joinedAt: string };
}

/** The text of a mail, with quoted-printable soft line breaks and escapes undone. */
function textOf(mail: ReceivedMail): string {
  return mail.raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

async function orgsOf(cookie: string) {
  const res = await call('GET', '/api/v1/orgs', cookie);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().orgs as { slug: string; role: string }[]).map(({ slug, role }) => ({ slug, role }));
}

async function appStatus(id: string) {
  const res = await call('GET', `/api/v1/orgs/${ORG}/apps`, cookies.owner);
  return (res.json().apps as { id: string; status: string }[]).find((app) => app.id === id)?.status;
}

/** A customer with their own org (`slug`, one environment), through a voucher and checkout. */
async function customer(email: string, slug: string, creditBaisa: number, admin: string) {
  const code = `TEAM-${slug.toUpperCase()}`;
  expect((await call('POST', '/billing/vouchers/issue', admin, { code, creditBaisa })).statusCode).toBe(201);
  const cookie = await signIn(t.app, smtp, email);
  const checkout = await call('POST', '/billing/checkout', cookie, {
    planId: 'starter',
    promoCode: code,
    orgSlug: slug,
    poolDomain: POOL,
  });
  expect(checkout.statusCode, checkout.body).toBe(200);
  const env = await call('POST', `/api/v1/orgs/${slug}/environments`, cookie, { name: 'production' });
  expect(env.statusCode, env.body).toBe(201);
  return cookie;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'catalyst-org-members-'));
  kube = new KubeApiServerEmulator({ tls: true });
  await kube.start();
  kube.startHelmController({ delayMs: 50 });
  writeFileSync(join(dir, 'kubeconfig'), kube.kubeconfig());
  smtp = new SmtpPeer();
  const smtpUrl = await smtp.start();
  database = await createTestDatabase();
  t = await startTestApp({
    databaseUrl: database.url,
    env: {
      KUBECONFIG: join(dir, 'kubeconfig'),
      SMTP_URL: smtpUrl,
      CATALYST_ADMIN_EMAILS: ADMIN,
      CATALYST_TENANT_POOL_DOMAINS: POOL,
      MARKETPLACE_URL: MARKET,
    },
  });
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const admin = await signIn(t.app, smtp, ADMIN);
  cookies.owner = await customer(OWNER, ORG, 40_000, admin);
  cookies['non-member'] = await customer('outsider@other.test', 'other', 1_000, admin);
  await invite('admin@team.test', 'org-admin');
  await invite('member@team.test', 'member');
  cookies['org-admin'] = await signIn(t.app, smtp, 'admin@team.test');
  cookies.member = await signIn(t.app, smtp, 'member@team.test');
  extras.rerole = (await invite('rerole@team.test', 'member')).userId;
  extras.remove = (await invite('remove@team.test', 'member')).userId;
  for (const appId of ['uptime-kuma', 'wordpress']) {
    const res = await call('POST', `/api/v1/orgs/${ORG}/environments/production/apps`, cookies.owner, {
      appId,
    });
    expect(res.statusCode, res.body).toBe(201);
    installs[appId] = res.json().id;
  }
  for (const id of Object.values(installs))
    await eventually('app running', async () => (await appStatus(id)) === 'running');
});

afterAll(async () => {
  await db?.end();
  await t?.close();
  await database?.drop();
  await smtp?.stop();
  await kube?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Route {
  route: string;
  request: (who: Who) => { method: Method; url: string; payload?: unknown };
  expected: Record<Who, number>;
}

const orgPath = `/api/v1/orgs/${ORG}`;
const readable = { anonymous: 401, 'non-member': 404, member: 200, 'org-admin': 200, owner: 200 };
const anyone = { anonymous: 401, 'non-member': 200, member: 200, 'org-admin': 200, owner: 200 };
const managers = (status: number) => ({
  anonymous: 401,
  'non-member': 404,
  member: 403,
  'org-admin': status,
  owner: status,
});
const ownerOnly = (status: number) => ({
  anonymous: 401,
  'non-member': 404,
  member: 403,
  'org-admin': 403,
  owner: status,
});

// In the order the roles call them (the refused ones first), so each permitted call finds what it needs.
const matrix: Route[] = [
  { route: 'GET /api/v1/orgs', request: () => ({ method: 'GET', url: '/api/v1/orgs' }), expected: anyone },
  {
    route: 'GET /api/v1/catalog/apps',
    request: () => ({ method: 'GET', url: '/api/v1/catalog/apps' }),
    expected: anyone,
  },
  {
    route: 'GET /api/v1/tenant/pool-domains',
    request: () => ({ method: 'GET', url: '/api/v1/tenant/pool-domains' }),
    expected: anyone,
  },
  {
    route: 'GET /api/v1/tenant/slug-check',
    request: () => ({ method: 'GET', url: '/api/v1/tenant/slug-check?slug=fresh' }),
    expected: anyone,
  },
  {
    route: 'GET /api/v1/orgs/:slug/environments',
    request: () => ({ method: 'GET', url: `${orgPath}/environments` }),
    expected: readable,
  },
  {
    route: 'POST /api/v1/orgs/:slug/environments',
    request: (who) => ({
      method: 'POST',
      url: `${orgPath}/environments`,
      payload: { name: `env-${who.replace(/[^a-z]/g, '')}` },
    }),
    expected: managers(201),
  },
  {
    route: 'DELETE /api/v1/orgs/:slug/environments/:env',
    request: (who) => ({
      method: 'DELETE',
      url: `${orgPath}/environments/${who === 'org-admin' || who === 'owner' ? `env-${who.replace(/[^a-z]/g, '')}` : 'production'}`,
    }),
    expected: managers(204),
  },
  {
    route: 'GET /api/v1/orgs/:slug/apps',
    request: () => ({ method: 'GET', url: `${orgPath}/apps` }),
    expected: readable,
  },
  {
    route: 'POST /api/v1/orgs/:slug/environments/:env/apps',
    request: (who) => ({
      method: 'POST',
      url: `${orgPath}/environments/production/apps`,
      payload: { appId: who === 'owner' ? 'gitea' : 'ghost' },
    }),
    expected: managers(201),
  },
  {
    // A running app is not retried: 409 shows the role was let through.
    route: 'POST /api/v1/orgs/:slug/apps/:id/retry',
    request: () => ({ method: 'POST', url: `${orgPath}/apps/${installs.wordpress}/retry` }),
    expected: managers(409),
  },
  {
    route: 'DELETE /api/v1/orgs/:slug/apps/:id',
    request: (who) => ({
      method: 'DELETE',
      url: `${orgPath}/apps/${who === 'owner' ? installs.wordpress : installs['uptime-kuma']}`,
    }),
    expected: managers(202),
  },
  {
    route: 'GET /api/v1/orgs/:slug/wallet',
    request: () => ({ method: 'GET', url: `${orgPath}/wallet` }),
    expected: managers(200),
  },
  {
    route: 'GET /api/v1/orgs/:slug/members',
    request: () => ({ method: 'GET', url: `${orgPath}/members` }),
    expected: readable,
  },
  {
    route: 'POST /api/v1/orgs/:slug/members',
    request: (who) => ({
      method: 'POST',
      url: `${orgPath}/members`,
      payload: { email: `invited-by-${who}@team.test`, role: 'member' },
    }),
    expected: ownerOnly(201),
  },
  {
    route: 'PATCH /api/v1/orgs/:slug/members/:userId',
    request: () => ({
      method: 'PATCH',
      url: `${orgPath}/members/${extras.rerole}`,
      payload: { role: 'org-admin' },
    }),
    expected: ownerOnly(200),
  },
  {
    route: 'DELETE /api/v1/orgs/:slug/members/:userId',
    request: () => ({ method: 'DELETE', url: `${orgPath}/members/${extras.remove}` }),
    expected: ownerOnly(204),
  },
  {
    // The org still has an environment: 409 shows the owner was let through.
    route: 'DELETE /api/v1/orgs/:slug',
    request: () => ({ method: 'DELETE', url: orgPath }),
    expected: ownerOnly(409),
  },
];

describe('who may do what in an organization', () => {
  it.each(matrix)('$route', async ({ request, expected }) => {
    const answers: Partial<Record<Who, number>> = {};
    for (const who of EVERYONE) {
      const { method, url, payload } = request(who);
      const res = await call(method, url, cookies[who], payload);
      answers[who] = res.statusCode;
      if (res.statusCode >= 400) {
        const code = res.json().error.code;
        if (res.statusCode === 401) expect(code).toBe('unauthenticated');
        if (res.statusCode === 404) expect(code).toBe('org_not_found');
        if (res.statusCode === 403) expect(code).toBe('org_role_required');
      }
    }
    expect(answers).toEqual(expected);
  });

  it('lists the members with e-mail, role and when they joined, owner first', async () => {
    const res = await call('GET', `${orgPath}/members`, cookies.member);
    expect(res.statusCode).toBe(200);
    const members = res.json().members as { email: string; role: string; joinedAt: string }[];
    expect(members[0]).toMatchObject({ email: OWNER, role: 'owner' });
    expect(members).toContainEqual(expect.objectContaining({ email: 'admin@team.test', role: 'org-admin' }));
    expect(members).toContainEqual(expect.objectContaining({ email: 'member@team.test', role: 'member' }));
    for (const member of members) expect(Number.isNaN(Date.parse(member.joinedAt))).toBe(false);
  });

  it("shows the org's balance to those who install, from the owner's wallet", async () => {
    const owner = (await call('GET', '/billing/wallet', cookies.owner)).json().balanceBaisa as number;
    const seen = await call('GET', `${orgPath}/wallet`, cookies['org-admin']);
    expect(seen.json()).toEqual({ balanceBaisa: owner, balanceOmr: (owner / 1000).toFixed(3) });
  });
});

describe('invitations', () => {
  it('mails the invitation; the invited person signs in with a code and sees the org with their role', async () => {
    const before = smtp.mails.length;
    const invited = await invite('New.Person@Team.test', 'org-admin');
    expect(invited).toMatchObject({ email: 'new.person@team.test', role: 'org-admin' });
    const mail = textOf(await smtp.lastMailTo('new.person@team.test'));
    expect(smtp.mails.length).toBe(before + 1);
    expect(mail).toContain(`Subject: ${OWNER} invited you to ${ORG}`);
    expect(mail).toContain(`${MARKET}/marketplace/?org=${ORG}`);
    expect(mail).toContain('6-digit code');

    const cookie = await signIn(t.app, smtp, 'new.person@team.test');
    expect(await orgsOf(cookie)).toEqual([{ slug: ORG, role: 'org-admin' }]);
    const audit = await db.query(
      `select actor_email, details from audit_log where action = 'org.member.invite' and details->>'email' = $1`,
      ['new.person@team.test'],
    );
    expect(audit.rows).toEqual([
      {
        actor_email: OWNER,
        details: { userId: invited.userId, email: 'new.person@team.test', role: 'org-admin' },
      },
    ]);
  });

  it('refuses someone who already belongs to the org (409), the owner too', async () => {
    for (const email of ['member@team.test', OWNER]) {
      const res = await call('POST', `${orgPath}/members`, cookies.owner, { email, role: 'member' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('already_member');
    }
  });

  it('two tabs of the owner inviting one e-mail at once: one 201, one 409, one mail', async () => {
    const secondTab = await signIn(t.app, smtp, OWNER);
    const email = 'twice@team.test';
    const answers = await Promise.all(
      [cookies.owner, secondTab].map((cookie) =>
        call('POST', `${orgPath}/members`, cookie, { email, role: 'member' }),
      ),
    );
    expect(answers.map((res) => res.statusCode).sort()).toEqual([201, 409]);
    expect(answers.find((res) => res.statusCode === 409)?.json().error.code).toBe('already_member');
    expect(smtp.mails.filter((mail) => mail.to.includes(email))).toHaveLength(1);
    const members = (await call('GET', `${orgPath}/members`, cookies.owner)).json().members as {
      email: string;
    }[];
    expect(members.filter((member) => member.email === email)).toHaveLength(1);
  });

  it.each([
    ['the role owner', { email: 'x@team.test', role: 'owner' }, 'role'],
    ['the old role name admin', { email: 'x@team.test', role: 'admin' }, 'role'],
    ['no role', { email: 'x@team.test' }, 'role'],
    ['a bad e-mail', { email: 'not-an-address', role: 'member' }, 'email'],
    ['an unknown field', { email: 'x@team.test', role: 'member', admin: true }, 'admin'],
  ])('refuses an invitation with %s (400)', async (_, payload, path) => {
    const res = await call('POST', `${orgPath}/members`, cookies.owner, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect(smtp.mails.some((mail) => mail.to.includes('x@team.test'))).toBe(false);
  });

  it.each([
    ['the role owner', { role: 'owner' }, 'role'],
    ['an unknown field', { role: 'member', email: 'x@team.test' }, 'email'],
    ['no body', undefined, ''],
  ])('refuses a role change with %s (400)', async (_, payload, path) => {
    const res = await call('PATCH', `${orgPath}/members/${extras.rerole}`, cookies.owner, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    if (path) expect(res.json().error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
  });

  it('answers 400 for a user id that is not one and 404 for nobody in the org', async () => {
    const bad = await call('DELETE', `${orgPath}/members/not-a-uuid`, cookies.owner);
    expect(bad.statusCode).toBe(400);
    const outsider = (await call('GET', '/auth/me', cookies['non-member'])).json().user.id as string;
    for (const method of ['PATCH', 'DELETE'] as const) {
      const res = await call(
        method,
        `${orgPath}/members/${outsider}`,
        cookies.owner,
        method === 'PATCH' ? { role: 'member' } : undefined,
      );
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('member_not_found');
    }
  });
});

describe('changing and removing members', () => {
  it("keeps the owner's own membership: neither changed nor removed (409)", async () => {
    const owner = (await call('GET', '/auth/me', cookies.owner)).json().user.id as string;
    const patch = await call('PATCH', `${orgPath}/members/${owner}`, cookies.owner, { role: 'member' });
    const remove = await call('DELETE', `${orgPath}/members/${owner}`, cookies.owner);
    for (const res of [patch, remove]) {
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('owner_membership_fixed');
    }
    expect(await orgsOf(cookies.owner as string)).toContainEqual({ slug: ORG, role: 'owner' });
  });

  it('a raise keeps their sessions; a lesser role ends them, and they sign in again with it', async () => {
    const climber = await invite('climber@team.test', 'member');
    let cookie = await signIn(t.app, smtp, 'climber@team.test');
    const raised = await call('PATCH', `${orgPath}/members/${climber.userId}`, cookies.owner, {
      role: 'org-admin',
    });
    expect(raised.statusCode).toBe(200);
    expect(raised.json()).toMatchObject({ email: 'climber@team.test', role: 'org-admin' });
    // Same session, new powers.
    const env = await call('POST', `${orgPath}/environments`, cookie, { name: 'climbing' });
    expect(env.statusCode, env.body).toBe(201);

    const lowered = await call('PATCH', `${orgPath}/members/${climber.userId}`, cookies.owner, {
      role: 'member',
    });
    expect(lowered.statusCode).toBe(200);
    expect((await call('GET', '/api/v1/orgs', cookie)).statusCode).toBe(401);
    cookie = await signIn(t.app, smtp, 'climber@team.test');
    expect(await orgsOf(cookie)).toEqual([{ slug: ORG, role: 'member' }]);
    const refused = await call('DELETE', `${orgPath}/environments/climbing`, cookie);
    expect(refused.statusCode).toBe(403);
    const audit = await db.query(
      `select details->>'from' as "from", details->>'to' as "to" from audit_log
        where action = 'org.member.role-change' and details->>'userId' = $1 order by created_at`,
      [climber.userId],
    );
    expect(audit.rows).toEqual([
      { from: 'member', to: 'org-admin' },
      { from: 'org-admin', to: 'member' },
    ]);
  });

  it('removal ends their sessions at once; signed in again, the org is gone from their list', async () => {
    const leaver = await invite('leaver@team.test', 'org-admin');
    let cookie = await signIn(t.app, smtp, 'leaver@team.test');
    expect(await orgsOf(cookie)).toEqual([{ slug: ORG, role: 'org-admin' }]);

    const removed = await call('DELETE', `${orgPath}/members/${leaver.userId}`, cookies.owner);
    expect(removed.statusCode).toBe(204);
    const next = await call('GET', `${orgPath}/environments`, cookie);
    expect(next.statusCode).toBe(401);

    cookie = await signIn(t.app, smtp, 'leaver@team.test');
    expect(await orgsOf(cookie)).toEqual([]);
    expect((await call('GET', `${orgPath}/environments`, cookie)).statusCode).toBe(404);
    const members = (await call('GET', `${orgPath}/members`, cookies.owner)).json().members as {
      email: string;
    }[];
    expect(members.map((member) => member.email)).not.toContain('leaver@team.test');
  });

  it("an invited member's own checkout creates their own org, not a plan change of the one they joined", async () => {
    const admin = await signIn(t.app, smtp, ADMIN);
    const code = 'TEAM-JOINER';
    expect(
      (await call('POST', '/billing/vouchers/issue', admin, { code, creditBaisa: 2_000 })).statusCode,
    ).toBe(201);
    const checkout = await call('POST', '/billing/checkout', cookies.member, {
      planId: 'starter',
      promoCode: code,
      orgSlug: 'joiner',
      poolDomain: POOL,
    });
    expect(checkout.statusCode, checkout.body).toBe(200);
    expect(checkout.json().org.slug).toBe('joiner');
    expect(await orgsOf(cookies.member as string)).toEqual([
      { slug: ORG, role: 'member' },
      { slug: 'joiner', role: 'owner' },
    ]);
  });
});
