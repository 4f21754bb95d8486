import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { TokensService } from './tokens.service.js';

/*
 * Issue #18, personal access tokens: a signed-in user creates, lists and revokes their own; only a SHA-256 is kept;
 * TokensService.authenticate (what /mcp calls) accepts a live token with its owner's current roles and refuses the
 * rest with one 401. Real PostgreSQL, real SMTP peer, real PIN sign-in, orgs made through a real checkout.
 */

const ADMIN = 'admin@sovereign.test';
const POOL = 'omani.homes';
const TENANT = 'tenant@tokens.test';
const OTHER = 'other@tokens.test';
const OPS = 'ops@tokens.test';

let t: TestApp;
let smtp: SmtpPeer;
let db: pg.Client;
let tokens: TokensService;
let requests = 0;
const cookies: Record<'admin' | 'tenant' | 'other' | 'ops', string> = {
  admin: '',
  tenant: '',
  other: '',
  ops: '',
};

function call(method: 'GET' | 'POST' | 'DELETE', url: string, cookie: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    payload: payload as object,
    headers: { cookie },
    remoteAddress: `198.18.9.${(requests++ % 250) + 1}`,
  });
}

async function create(cookie: string, body: Record<string, unknown>) {
  const res = await call('POST', '/api/v1/tokens', cookie, body);
  expect(res.statusCode, res.body).toBe(201);
  return { res, body: res.json() as { id: string; token: string; name: string; orgSlug?: string } };
}

async function list(cookie: string) {
  const res = await call('GET', '/api/v1/tokens', cookie);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { tokens: Record<string, unknown>[] }).tokens;
}

/** A customer with their own org `slug`, through a voucher and checkout. */
async function customer(email: string, slug: string) {
  const code = `TOK-${slug.toUpperCase()}`;
  const issued = await call('POST', '/billing/vouchers/issue', cookies.admin, { code, creditBaisa: 1_000 });
  expect(issued.statusCode, issued.body).toBe(201);
  const cookie = await signIn(t.app, smtp, email);
  const checkout = await call('POST', '/billing/checkout', cookie, {
    planId: 'starter',
    promoCode: code,
    orgSlug: slug,
    poolDomain: POOL,
  });
  expect(checkout.statusCode, checkout.body).toBe(200);
  return cookie;
}

async function refusal(bearer: string | undefined) {
  const error = await tokens.authenticate(bearer).then(
    () => undefined,
    (e: unknown) => e as { status: number; code: string; message: string },
  );
  expect(error, `accepted ${bearer}`).toBeDefined();
  return { status: error?.status, code: error?.code, message: error?.message };
}

beforeAll(async () => {
  smtp = new SmtpPeer();
  t = await startTestApp({
    env: {
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: ADMIN,
      CATALYST_TENANT_POOL_DOMAINS: POOL,
      MARKETPLACE_URL: 'https://market.sovereign.test',
    },
  });
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  tokens = t.app.get(TokensService);
  cookies.admin = await signIn(t.app, smtp, ADMIN);
  cookies.tenant = await customer(TENANT, 'tokenco');
  cookies.other = await customer(OTHER, 'elsewhere');
});

afterAll(async () => {
  await db?.end();
  await t?.close();
  await smtp?.stop();
});

describe('personal access tokens over HTTP', () => {
  it('shows a new token once, keeps only its SHA-256, and never caches the answer', async () => {
    const { res, body } = await create(cookies.tenant, { name: '  laptop agent ', expiresInDays: 30 });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(body.name).toBe('laptop agent');
    expect(body.token).toMatch(/^cat_pat_[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse((body as unknown as { expiresAt: string }).expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const { rows } = await db.query('select * from personal_access_tokens where id = $1', [body.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(createHash('sha256').update(body.token).digest('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(body.token.slice('cat_pat_'.length));

    const listed = (await list(cookies.tenant)).find((token) => token.id === body.id);
    expect(listed).toEqual({
      id: body.id,
      name: 'laptop agent',
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    const everything = JSON.stringify(await list(cookies.tenant));
    expect(everything).not.toContain(body.token);
    expect(everything).not.toContain(rows[0].token_hash);
    expect(t.logs.text).not.toContain(body.token);
  });

  it('lists only the caller’s tokens, newest first, revoked ones with revokedAt', async () => {
    const first = (await create(cookies.other, { name: 'first', expiresInDays: 1 })).body;
    const second = (await create(cookies.other, { name: 'second', expiresInDays: 2, orgSlug: 'elsewhere' }))
      .body;
    expect(second.orgSlug).toBe('elsewhere');
    expect((await call('DELETE', `/api/v1/tokens/${first.id}`, cookies.other)).statusCode).toBe(204);

    const mine = await list(cookies.other);
    expect(mine.map((token) => token.name)).toEqual(['second', 'first']);
    expect(mine[0]).toMatchObject({ orgSlug: 'elsewhere' });
    expect(mine[0]?.revokedAt).toBeUndefined();
    expect(mine[1]?.revokedAt).toEqual(expect.any(String));
    expect((await list(cookies.tenant)).map((token) => token.id)).not.toContain(first.id);
  });

  it('revokes idempotently, auditing the first revocation only; another user’s or an unknown id is 404', async () => {
    const { body } = await create(cookies.tenant, {
      name: 'to revoke',
      expiresInDays: 7,
      orgSlug: 'tokenco',
    });
    expect((await call('DELETE', `/api/v1/tokens/${body.id}`, cookies.other)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v1/tokens/${body.id}`, cookies.other)).json().error.code).toBe(
      'token_not_found',
    );
    expect((await tokens.authenticate(body.token)).tokenId).toBe(body.id);

    expect((await call('DELETE', `/api/v1/tokens/${body.id}`, cookies.tenant)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/v1/tokens/${body.id}`, cookies.tenant)).statusCode).toBe(204);
    const unknown = await call(
      'DELETE',
      '/api/v1/tokens/00000000-0000-4000-8000-000000000000',
      cookies.tenant,
    );
    expect(unknown.statusCode).toBe(404);
    expect((await call('DELETE', '/api/v1/tokens/not-a-uuid', cookies.tenant)).statusCode).toBe(400);

    const { rows } = await db.query(
      'select action, actor_email, details from audit_log where target = $1 order by created_at',
      [`token:${body.id}`],
    );
    expect(rows).toEqual([
      {
        action: 'token.create',
        actor_email: TENANT,
        details: { name: 'to revoke', orgSlug: 'tokenco', expiresAt: expect.any(String) },
      },
      {
        action: 'token.revoke',
        actor_email: TENANT,
        details: { name: 'to revoke', orgSlug: 'tokenco', expiresAt: rows[0].details.expiresAt },
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain(body.token);
  });

  it('refuses bad input with 400 in the one error shape, and a foreign org scope with 404', async () => {
    for (const payload of [
      { name: 'x', expiresInDays: 91 },
      { name: 'x', expiresInDays: 0 },
      { name: 'x', expiresInDays: 1.5 },
      { name: 'x', expiresInDays: '30' },
      { name: '   ', expiresInDays: 30 },
      { name: 'x'.repeat(65), expiresInDays: 30 },
      { name: 'x', expiresInDays: 30, scopes: ['all'] },
      { name: 'x', expiresInDays: 30, orgSlug: 'NOT A SLUG!' },
      { expiresInDays: 30 },
    ]) {
      const res = await call('POST', '/api/v1/tokens', cookies.tenant, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    const foreign = await call('POST', '/api/v1/tokens', cookies.tenant, {
      name: 'sneaky',
      expiresInDays: 30,
      orgSlug: 'elsewhere',
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('org_not_found');
    const missing = await call('POST', '/api/v1/tokens', cookies.tenant, {
      name: 'nowhere',
      expiresInDays: 30,
      orgSlug: 'no-such-org',
    });
    expect(missing.statusCode).toBe(404);
    expect((await list(cookies.tenant)).map((token) => token.name)).not.toContain('sneaky');
  });

  it('needs a session for every route', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/tokens'],
      ['POST', '/api/v1/tokens'],
      ['DELETE', '/api/v1/tokens/00000000-0000-4000-8000-000000000000'],
    ] as const) {
      const res = await t.app.inject({ method, url, payload: { name: 'x', expiresInDays: 1 } });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});

describe('TokensService.authenticate', () => {
  it('accepts a live token with its owner, scope and a pat: session, and stamps its use', async () => {
    const { body } = await create(cookies.tenant, { name: 'scoped', expiresInDays: 5, orgSlug: 'tokenco' });
    const { rows: orgs } = await db.query('select id from organizations where slug = $1', ['tokenco']);
    const caller = await tokens.authenticate(body.token);
    expect(caller).toEqual({
      principal: {
        userId: expect.any(String),
        email: TENANT,
        roles: ['member'],
        sessionId: `pat:${body.id}`,
      },
      tokenId: body.id,
      orgId: orgs[0].id,
      orgSlug: 'tokenco',
    });
    // The whole header value works too.
    expect((await tokens.authenticate(`Bearer ${body.token}`)).tokenId).toBe(body.id);
    const listed = (await list(cookies.tenant)).find((token) => token.id === body.id);
    expect(listed?.lastUsedAt).toEqual(expect.any(String));

    const unscoped = (await create(cookies.tenant, { name: 'unscoped', expiresInDays: 5 })).body;
    expect(await tokens.authenticate(unscoped.token)).toMatchObject({ orgId: null, orgSlug: null });
  });

  it('writes last_used_at at most once a minute', async () => {
    const { body } = await create(cookies.tenant, { name: 'busy', expiresInDays: 5 });
    await tokens.authenticate(body.token);
    const stamp = async () =>
      (await db.query('select last_used_at from personal_access_tokens where id = $1', [body.id])).rows[0]
        .last_used_at as Date;
    const first = await stamp();
    await tokens.authenticate(body.token);
    expect((await stamp()).getTime()).toBe(first.getTime());
    await db.query(
      `update personal_access_tokens set last_used_at = now() - interval '61 seconds' where id = $1`,
      [body.id],
    );
    const aged = await stamp();
    await tokens.authenticate(body.token);
    expect((await stamp()).getTime()).toBeGreaterThan(aged.getTime());
  });

  it('refuses no token, a malformed, unknown, revoked or expired one, and one whose user is gone, alike', async () => {
    const revoked = (await create(cookies.tenant, { name: 'revoked', expiresInDays: 5 })).body;
    expect((await call('DELETE', `/api/v1/tokens/${revoked.id}`, cookies.tenant)).statusCode).toBe(204);
    const expired = (await create(cookies.tenant, { name: 'expired', expiresInDays: 5 })).body;
    expect((await tokens.authenticate(expired.token)).tokenId).toBe(expired.id);
    await db.query(
      `update personal_access_tokens set expires_at = now() - interval '1 second' where id = $1`,
      [expired.id],
    );
    const leaver = await signIn(t.app, smtp, 'leaver@tokens.test');
    const orphan = (await create(leaver, { name: 'orphan', expiresInDays: 5 })).body;
    expect((await tokens.authenticate(orphan.token)).principal.email).toBe('leaver@tokens.test');
    // The user row goes; its tokens go with it (cascade), and the token is refused either way.
    await db.query('delete from sessions where user_id = (select id from users where email = $1)', [
      'leaver@tokens.test',
    ]);
    await db.query('delete from users where email = $1', ['leaver@tokens.test']);

    const unknown = `cat_pat_${'A'.repeat(43)}`;
    const answers = await Promise.all(
      [
        undefined,
        '',
        'Bearer ',
        'not-a-token',
        `ghp_${'a'.repeat(40)}`,
        `cat_pat_${'A'.repeat(42)}`,
        unknown,
        revoked.token,
        expired.token,
        orphan.token,
      ].map(refusal),
    );
    const [first] = answers;
    expect(first).toEqual({ status: 401, code: 'unauthenticated', message: expect.any(String) });
    for (const answer of answers) expect(answer).toEqual(first);
  });

  it('acts with the owner’s current roles: a role removed is gone at the next call', async () => {
    const invited = await call('POST', '/api/v1/users/invitations', cookies.admin, {
      email: OPS,
      roles: ['sovereign-admin'],
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const opsId = invited.json().user.id as string;
    cookies.ops = await signIn(t.app, smtp, OPS);
    const { body } = await create(cookies.ops, { name: 'ops agent', expiresInDays: 90 });
    expect((await tokens.authenticate(body.token)).principal.roles).toEqual(['member', 'sovereign-admin']);

    const removed = await call('DELETE', `/api/v1/users/${opsId}/roles/sovereign-admin`, cookies.admin);
    expect(removed.statusCode, removed.body).toBe(200);
    expect((await tokens.authenticate(body.token)).principal.roles).toEqual(['member']);

    // A direct change of assigned_roles counts at the next call too, with no session involved.
    await db.query(`update users set assigned_roles = '{sovereign-admin}' where id = $1`, [opsId]);
    expect((await tokens.authenticate(body.token)).principal.roles).toEqual(['member', 'sovereign-admin']);
    await db.query(`update users set assigned_roles = '{}' where id = $1`, [opsId]);
    expect((await tokens.authenticate(body.token)).principal.roles).toEqual(['member']);
  });

  it('gives a configured admin the roles CATALYST_ADMIN_EMAILS grants', async () => {
    const { body } = await create(cookies.admin, { name: 'admin agent', expiresInDays: 1 });
    expect((await tokens.authenticate(body.token)).principal.roles).toEqual([
      'member',
      'sovereign-admin',
      'superadmin',
    ]);
  });
});
