import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/helpers/eventually.js';
import { NatsServer } from '../../test/helpers/nats-server.js';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { CHECKOUT_LIMITS } from './billing.controller.js';

const ADMIN = 'admin@sovereign.test';
let t: TestApp;
let smtp: SmtpPeer;
let db: pg.Client;
let admin: string;
let userCounter = 0;
/** Each customer calls from an address of their own, as real customers do (checkout is budgeted per address). */
const addressOf = new Map<string, string>();

type Method = 'GET' | 'POST' | 'DELETE';
function call(
  method: Method,
  url: string,
  cookie: string | undefined,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method,
    url,
    payload: payload as object,
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    remoteAddress: (cookie && addressOf.get(cookie)) || undefined,
  });
}

async function newCustomer(prefix = 'tenant', address?: string): Promise<{ email: string; cookie: string }> {
  const n = ++userCounter;
  const email = `${prefix}${n}@customer.test`;
  const cookie = await signIn(t.app, smtp, email);
  addressOf.set(cookie, address ?? `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}`);
  return { email, cookie };
}

async function issue(body: Record<string, unknown>) {
  const res = await call('POST', '/billing/vouchers/issue', admin, body);
  expect([200, 201], res.body).toContain(res.statusCode);
  return res.json();
}

function checkout(
  cookie: string,
  promoCode?: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return call(
    'POST',
    '/billing/checkout',
    cookie,
    { planId: 'starter', ...(promoCode ? { promoCode } : {}), ...extra },
    headers,
  );
}

async function balance(cookie: string): Promise<number> {
  return (await call('GET', '/billing/wallet', cookie)).json().balanceBaisa;
}

beforeAll(async () => {
  smtp = new SmtpPeer();
  t = await startTestApp({
    env: {
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: ADMIN,
      MARKETPLACE_URL: 'https://market.sovereign.test',
      CATALYST_TENANT_POOL_DOMAINS: 'omani.homes,omani.rest',
    },
  });
  admin = await signIn(t.app, smtp, ADMIN);
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await t.close();
  await smtp.stop();
});

describe('vouchers in the BSS', () => {
  it('issues (201), updates (200), lists, audits, and mails the canonical redeem link', async () => {
    const created = await call('POST', '/billing/vouchers/issue', admin, {
      code: ' launch-50 ',
      creditBaisa: 50_000,
      description: 'Launch credit',
      recipientEmail: 'Friend@Example.com',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      code: 'LAUNCH-50',
      creditBaisa: 50_000,
      creditOmr: '50.000',
      active: true,
      maxRedemptions: 0,
      timesRedeemed: 0,
      redeemUrl: 'https://market.sovereign.test/redeem/?code=LAUNCH-50',
    });
    const mail = await smtp.lastMailTo('friend@example.com');
    expect(mail.raw).toContain('https://market.sovereign.test/redeem/?code=LAUNCH-50');
    const updated = await call('POST', '/billing/vouchers/issue', admin, {
      code: 'LAUNCH-50',
      creditBaisa: 60_000,
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().creditBaisa).toBe(60_000);
    const list = (await call('GET', '/billing/vouchers/list', admin)).json().vouchers;
    expect(list.filter((v: { code: string }) => v.code === 'LAUNCH-50')).toHaveLength(1);
    const audit = await db.query(
      `select action, actor_email from audit_log where target = 'voucher:LAUNCH-50' order by created_at`,
    );
    expect(audit.rows).toEqual([
      { action: 'voucher.issue', actor_email: ADMIN },
      { action: 'voucher.update', actor_email: ADMIN },
    ]);
  });

  it('previews publicly without counts: 404 unknown, 410 same body when not accepting', async () => {
    await issue({ code: 'PEEK-5', creditBaisa: 25_000, maxRedemptions: 1 });
    const ok = await call('POST', '/billing/vouchers/redeem-preview', undefined, { code: 'peek-5' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      code: 'PEEK-5',
      creditBaisa: 25_000,
      creditOmr: '25.000',
      description: '',
      acceptingRedemptions: true,
    });
    expect(ok.body).not.toMatch(/timesRedeemed|maxRedemptions/);
    const c = await newCustomer();
    expect((await checkout(c.cookie, 'PEEK-5')).statusCode).toBe(200);
    const gone = await call('POST', '/billing/vouchers/redeem-preview', undefined, { code: 'PEEK-5' });
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ code: 'PEEK-5', creditBaisa: 25_000, acceptingRedemptions: false });
    expect(
      (await call('POST', '/billing/vouchers/redeem-preview', undefined, { code: 'DOES-NOT-EXIST' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await call('POST', '/billing/vouchers/redeem-preview', undefined, { code: '   ' })).statusCode,
    ).toBe(400);
  });
});

describe('redemption at checkout (the original seven, and more)', () => {
  it('credits the wallet once with the voucher (WELCOME50)', async () => {
    await issue({ code: 'WELCOME50', creditBaisa: 50_000 });
    const c = await newCustomer();
    expect(await balance(c.cookie)).toBe(0);
    const res = await checkout(c.cookie, 'WELCOME50', { orgName: 'Acme Trading' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      balanceBaisa: 50_000,
      balanceOmr: '50.000',
      org: { slug: 'acme-trading', fqdn: 'acme-trading.omani.homes' },
    });
    const wallet = (await call('GET', '/billing/wallet', c.cookie)).json();
    expect(wallet.entries).toEqual([
      expect.objectContaining({ amountBaisa: 50_000, reason: 'voucher:WELCOME50' }),
    ]);
    const { rows } = await db.query(`select times_redeemed from vouchers where code = 'WELCOME50'`);
    expect(rows[0].times_redeemed).toBe(1);
  });

  it('blocks a second redemption by the same customer (ONCE)', async () => {
    await issue({ code: 'ONCE', creditBaisa: 25_000 });
    const c = await newCustomer();
    expect((await checkout(c.cookie, 'ONCE')).statusCode).toBe(200);
    const again = await checkout(c.cookie, 'ONCE');
    expect(again.statusCode).toBe(422);
    expect(again.json().error.code).toBe('voucher_already_redeemed');
    expect(await balance(c.cookie)).toBe(25_000);
  });

  it('redeems exactly the cap under 50 parallel customers (cap 7)', async () => {
    await issue({ code: 'LIMITED-7', creditBaisa: 10_000, maxRedemptions: 7 });
    const customers = await Promise.all(Array.from({ length: 50 }, () => newCustomer('rush')));
    const results = await Promise.all(customers.map((c) => checkout(c.cookie, 'LIMITED-7')));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(7);
    const refused = results.filter((r) => r.statusCode !== 200);
    expect(refused).toHaveLength(43);
    expect(new Set(refused.map((r) => r.json().error.code))).toEqual(new Set(['voucher_exhausted']));
    const counter = await db.query(`select times_redeemed from vouchers where code = 'LIMITED-7'`);
    expect(counter.rows[0].times_redeemed).toBe(7);
    const ledger = await db.query(
      `select count(*)::int as n from wallet_entries where reason = 'voucher:LIMITED-7'`,
    );
    expect(ledger.rows[0].n).toBe(7);
    const redemptions = await db.query(
      `select count(*)::int as n from voucher_redemptions where code = 'LIMITED-7'`,
    );
    expect(redemptions.rows[0].n).toBe(7);
  });

  it('keeps the cap exact when checkouts that fail after the voucher check race with ones that succeed (cap 5)', async () => {
    await issue({ code: 'MIXED-5', creditBaisa: 10_000, maxRedemptions: 5 });
    const customers = await Promise.all(Array.from({ length: 40 }, () => newCustomer('mixed')));
    // Half want a plan the voucher does not cover: they pass the voucher's checks, then are refused.
    const results = await Promise.all(
      customers.map((c, i) => checkout(c.cookie, 'MIXED-5', { planId: i % 2 ? 'business' : 'starter' })),
    );
    const codes = results.map((r) => (r.statusCode === 200 ? 'ok' : r.json().error.code));
    const starters = codes.filter((_, i) => i % 2 === 0);
    const business = codes.filter((_, i) => i % 2 === 1);
    expect(business.every((c) => c === 'insufficient_credit' || c === 'voucher_exhausted')).toBe(true);
    expect(starters.filter((c) => c === 'ok')).toHaveLength(5);
    expect(starters.filter((c) => c !== 'ok').every((c) => c === 'voucher_exhausted')).toBe(true);
    const { rows } = await db.query(
      `select v.times_redeemed,
         (select count(*)::int from voucher_redemptions r where r.code = v.code) as redemptions,
         (select count(*)::int from wallet_entries w where w.reason = 'voucher:' || v.code) as credits,
         (select count(*)::int from orders o where o.promo_code = v.code) as orders
       from vouchers v where v.code = 'MIXED-5'`,
    );
    expect(rows[0]).toEqual({ times_redeemed: 5, redemptions: 5, credits: 5, orders: 5 });
  });

  it('credits what the voucher gives when it is counted: a credit changed mid-checkout redeems anew (BUMP)', async () => {
    await issue({ code: 'BUMP', creditBaisa: 10_000, maxRedemptions: 3 });
    const c = await newCustomer();
    // An admin's change to the voucher, still uncommitted, holds its row while the customer checks out.
    const editor = new pg.Client({ connectionString: t.databaseUrl });
    await editor.connect();
    try {
      await editor.query('begin');
      await editor.query(`update vouchers set credit_baisa = 20000 where code = 'BUMP'`);
      const pending = checkout(c.cookie, 'BUMP');
      await eventually('the checkout waits on the voucher row', async () => {
        const { rows } = await db.query(
          `select count(*)::int as n from pg_stat_activity
           where wait_event_type = 'Lock' and query like 'update "vouchers"%'`,
        );
        return rows[0].n > 0;
      });
      await editor.query('commit');
      const res = await pending;
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().balanceBaisa).toBe(20_000);
    } finally {
      await editor.end();
    }
    const wallet = (await call('GET', '/billing/wallet', c.cookie)).json();
    expect(wallet.entries).toEqual([
      expect.objectContaining({ amountBaisa: 20_000, reason: 'voucher:BUMP' }),
    ]);
    const { rows } = await db.query(
      `select v.times_redeemed, (select count(*)::int from voucher_redemptions r where r.code = v.code) as redemptions,
         (select count(*)::int from orders o where o.promo_code = v.code) as orders
       from vouchers v where v.code = 'BUMP'`,
    );
    expect(rows[0]).toEqual({ times_redeemed: 1, redemptions: 1, orders: 1 });
  });

  it('gives one customer exactly one redemption out of 10 parallel tries', async () => {
    await issue({ code: 'HAMMER', creditBaisa: 5_000 });
    const c = await newCustomer();
    const results = await Promise.all(Array.from({ length: 10 }, () => checkout(c.cookie, 'HAMMER')));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(await balance(c.cookie)).toBe(5_000);
  });

  it('rate-limits checkout (which redeems bearer voucher codes) per customer, with 429 and Retry-After', async () => {
    const guesser = await newCustomer('guesser');
    const statuses: number[] = [];
    for (let i = 0; i <= CHECKOUT_LIMITS.perUser.limit; i++) {
      statuses.push((await checkout(guesser.cookie, `GUESS-${i}`)).statusCode);
    }
    expect(statuses.slice(0, CHECKOUT_LIMITS.perUser.limit).every((s) => s === 422)).toBe(true);
    const limited = await checkout(guesser.cookie, 'GUESS-LAST');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error).toMatchObject({ code: 'rate_limited' });
    expect(limited.json().error.details.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('rate-limits checkout per client address across many accounts', async () => {
    const address = '198.19.7.7';
    const accounts = await Promise.all(Array.from({ length: 4 }, () => newCustomer('sybil', address)));
    const statuses: number[] = [];
    for (let i = 0; i < CHECKOUT_LIMITS.perIp.limit; i++) {
      const account = accounts[i % accounts.length] as { cookie: string };
      statuses.push((await checkout(account.cookie, `SYBIL-${i}`)).statusCode);
    }
    expect(statuses.every((s) => s === 422)).toBe(true);
    const limited = await checkout((accounts[0] as { cookie: string }).cookie, 'SYBIL-LAST');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // A customer elsewhere is unaffected.
    const elsewhere = await newCustomer();
    expect((await checkout(elsewhere.cookie, 'SYBIL-ELSEWHERE')).statusCode).toBe(422);
  });

  it('rejects a revoked code as not found, and a re-issue brings it back (RETIRED)', async () => {
    await issue({ code: 'RETIRED', creditBaisa: 5_000 });
    expect((await call('DELETE', '/billing/vouchers/revoke/retired', admin)).statusCode).toBe(200);
    expect((await call('DELETE', '/billing/vouchers/revoke/RETIRED', admin)).statusCode).toBe(404);
    const c = await newCustomer();
    const res = await checkout(c.cookie, 'RETIRED');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('voucher_not_found');
    const list = (await call('GET', '/billing/vouchers/list', admin)).json().vouchers;
    expect(list.find((v: { code: string }) => v.code === 'RETIRED')).toBeUndefined();
    expect(
      (await call('POST', '/billing/vouchers/redeem-preview', undefined, { code: 'RETIRED' })).statusCode,
    ).toBe(404);
    expect(
      (await call('POST', '/billing/vouchers/issue', admin, { code: 'RETIRED', creditBaisa: 5_000 }))
        .statusCode,
    ).toBe(200);
    expect((await checkout(c.cookie, 'RETIRED')).statusCode).toBe(200);
  });

  it('rejects an inactive code (PAUSED) and an expired one', async () => {
    await issue({ code: 'PAUSED', creditBaisa: 5_000, active: false });
    await issue({
      code: 'STALE',
      creditBaisa: 5_000,
      expiresAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const c = await newCustomer();
    expect((await checkout(c.cookie, 'PAUSED')).json().error.code).toBe('voucher_inactive');
    expect((await checkout(c.cookie, 'STALE')).json().error.code).toBe('voucher_expired');
    expect(
      (await call('POST', '/billing/vouchers/redeem-preview', undefined, { code: 'STALE' })).statusCode,
    ).toBe(410);
    expect(await balance(c.cookie)).toBe(0);
  });

  it('credits different customers independently (TWO)', async () => {
    await issue({ code: 'TWO', creditBaisa: 15_000 });
    const [a, b] = [await newCustomer(), await newCustomer()];
    expect((await checkout(a.cookie, 'TWO')).statusCode).toBe(200);
    expect((await checkout(b.cookie, 'TWO')).statusCode).toBe(200);
    expect(await balance(a.cookie)).toBe(15_000);
    expect(await balance(b.cookie)).toBe(15_000);
    const { rows } = await db.query(`select times_redeemed from vouchers where code = 'TWO'`);
    expect(rows[0].times_redeemed).toBe(2);
  });

  it('creates the organization with a free tenant-pool subdomain and the customer as owner (ORGSEED)', async () => {
    await issue({ code: 'ORGSEED', creditBaisa: 100_000 });
    const c = await newCustomer();
    const res = await checkout(c.cookie, 'ORGSEED', { orgSlug: 'seeded-co', poolDomain: 'omani.rest' });
    expect(res.json().org).toEqual({ slug: 'seeded-co', fqdn: 'seeded-co.omani.rest' });
    const orgs = (await call('GET', '/api/v1/orgs', c.cookie)).json().orgs;
    expect(orgs).toEqual([
      expect.objectContaining({ slug: 'seeded-co', role: 'owner', fqdn: 'seeded-co.omani.rest' }),
    ]);
    const d = await newCustomer();
    const taken = await checkout(d.cookie, undefined, { orgSlug: 'seeded-co' });
    expect(taken.statusCode).toBe(422);
    expect(taken.json().error.code).toBe('slug_taken');
    expect((await call('GET', '/api/v1/tenant/slug-check?slug=seeded-co', d.cookie)).json()).toEqual({
      available: false,
      reason: 'taken',
    });
  });

  it('gives one of two customers racing for the same new organization name a clear slug_taken', async () => {
    const [a, b] = [await newCustomer(), await newCustomer()];
    const results = await Promise.all([
      checkout(a.cookie, undefined, { orgName: 'Twin Peaks Ltd' }),
      checkout(b.cookie, undefined, { orgName: 'Twin Peaks Ltd' }),
    ]);
    const statuses = results.map((r) => r.statusCode).sort();
    // Either the second one derived another slug (twin-peaks-ltd-2) or it was told the name was just taken.
    expect(statuses.every((s) => s === 200 || s === 422)).toBe(true);
    expect(statuses).toContain(200);
    for (const r of results.filter((r) => r.statusCode === 422))
      expect(r.json().error.code).toBe('slug_taken');
  });

  it('returns the first answer to a retried checkout with the same Idempotency-Key', async () => {
    await issue({ code: 'RETRYME', creditBaisa: 7_000 });
    const c = await newCustomer();
    const headers = { 'idempotency-key': 'checkout-0001-abcd' };
    const [first, second] = await Promise.all([
      checkout(c.cookie, 'RETRYME', {}, headers),
      checkout(c.cookie, 'RETRYME', {}, headers),
    ]);
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.json().orderId).toBe(first.json().orderId);
    expect(await balance(c.cookie)).toBe(7_000);
  });

  it('refuses a paid plan without enough credit', async () => {
    const c = await newCustomer();
    const res = await checkout(c.cookie, undefined, { planId: 'business' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'insufficient_credit',
      details: { neededBaisa: 25_000, balanceBaisa: 0 },
    });
    expect((await call('GET', '/api/v1/orgs', c.cookie)).json().orgs).toEqual([]);
  });
});

describe('the tenant workspace', () => {
  it('creates environments, refuses installs without a cluster (503), and keeps other orgs out (404)', async () => {
    await issue({ code: 'WORKSPACE', creditBaisa: 10_000 });
    const owner = await newCustomer();
    const { org } = (await checkout(owner.cookie, 'WORKSPACE', { orgSlug: 'acme-ws' })).json();
    const env = await call('POST', `/api/v1/orgs/${org.slug}/environments`, owner.cookie, {
      name: 'production',
    });
    expect(env.statusCode).toBe(201);
    expect(
      (await call('POST', `/api/v1/orgs/${org.slug}/environments`, owner.cookie, { name: 'production' }))
        .statusCode,
    ).toBe(409);
    expect(
      (await call('POST', `/api/v1/orgs/${org.slug}/environments`, owner.cookie, { name: 'Bad Name' }))
        .statusCode,
    ).toBe(400);

    // This api runs without a cluster (no KUBECONFIG): an install is refused, nothing is written or drawn.
    // (Installs that run: tenants/tenant-apps.e2e.test.ts.)
    const installed = await call(
      'POST',
      `/api/v1/orgs/${org.slug}/environments/production/apps`,
      owner.cookie,
      { appId: 'wordpress' },
    );
    expect(installed.statusCode).toBe(503);
    expect(installed.json().error.code).toBe('cluster_unavailable');
    expect(await balance(owner.cookie)).toBe(10_000);
    expect((await call('GET', `/api/v1/orgs/${org.slug}/apps`, owner.cookie)).json().apps).toEqual([]);

    const stranger = await newCustomer();
    await checkout(stranger.cookie, undefined, { orgSlug: 'other-org' });
    for (const [method, url] of [
      ['GET', `/api/v1/orgs/${org.slug}/environments`],
      ['GET', `/api/v1/orgs/${org.slug}/apps`],
      ['POST', `/api/v1/orgs/${org.slug}/environments/production/apps`],
      ['DELETE', `/api/v1/orgs/${org.slug}/apps/00000000-0000-4000-8000-000000000000`],
    ] as const) {
      const res = await call(
        method,
        url,
        stranger.cookie,
        method === 'POST' ? { appId: 'ghost' } : undefined,
      );
      expect(res.statusCode, url).toBe(404);
    }
  });

  it('shows the BSS its tenants, orders and settings', async () => {
    const tenants = (await call('GET', '/api/v1/bss/tenants', admin)).json().tenants;
    expect(tenants.find((x: { slug: string }) => x.slug === 'acme-ws')).toMatchObject({
      fqdn: 'acme-ws.omani.homes',
      balanceBaisa: 10_000,
      monthlyRunRateBaisa: 0,
      suspendedApps: [],
    });
    const orders = (await call('GET', '/api/v1/bss/orders', admin)).json().orders;
    expect(orders.some((o: { promoCode: string | null }) => o.promoCode === 'WORKSPACE')).toBe(true);
    const settings = (await call('GET', '/api/v1/bss/settings', admin)).json();
    expect(settings).toMatchObject({
      marketplaceUrl: 'https://market.sovereign.test',
      tenantPoolDomains: ['omani.homes', 'omani.rest'],
      mailMode: 'smtp',
    });
  });
});

describe('authorization', () => {
  it('answers every billing, tenant and BSS endpoint per role', async () => {
    const member = await newCustomer('member');
    const orgAdmin = await newCustomer('orgadmin');
    await checkout(orgAdmin.cookie, undefined, { orgSlug: 'their-org' });
    await issue({ code: 'MATRIX', creditBaisa: 1_000 });
    const sovereignAdmin = await newCustomer('sovadmin');
    await db.query(`update users set roles = '{member,sovereign-admin}' where email = $1`, [
      sovereignAdmin.email,
    ]);
    const callers: Record<string, string | undefined> = {
      anonymous: undefined,
      member: member.cookie,
      'org-admin of another org': orgAdmin.cookie,
      'sovereign-admin': sovereignAdmin.cookie,
      superadmin: admin,
    };
    const endpoints: [Method, string, unknown, number[]][] = [
      // [method, url, body, expected status per caller in the order above]
      ['POST', '/billing/vouchers/issue', { code: 'MATRIX', creditBaisa: 1_000 }, [401, 403, 403, 200, 200]],
      ['GET', '/billing/vouchers/list', undefined, [401, 403, 403, 200, 200]],
      ['DELETE', '/billing/vouchers/revoke/NOPE', undefined, [401, 403, 403, 404, 404]],
      ['POST', '/billing/vouchers/redeem-preview', { code: 'MATRIX' }, [200, 200, 200, 200, 200]],
      ['GET', '/billing/plans', undefined, [200, 200, 200, 200, 200]],
      ['GET', '/billing/wallet', undefined, [401, 200, 200, 200, 200]],
      ['GET', '/api/v1/orgs', undefined, [401, 200, 200, 200, 200]],
      ['GET', '/api/v1/catalog/apps', undefined, [401, 200, 200, 200, 200]],
      ['GET', '/api/v1/orgs/their-org/environments', undefined, [401, 404, 200, 404, 404]],
      ['GET', '/api/v1/bss/tenants', undefined, [401, 403, 403, 200, 200]],
      ['GET', '/api/v1/bss/orders', undefined, [401, 403, 403, 200, 200]],
      ['GET', '/api/v1/bss/settings', undefined, [401, 403, 403, 200, 200]],
    ];
    for (const [method, url, body, expected] of endpoints) {
      const actual: number[] = [];
      for (const cookie of Object.values(callers))
        actual.push((await call(method, url, cookie, body)).statusCode);
      expect(actual, `${method} ${url}`).toEqual(expected);
    }
    const checkoutStatus = (await call('POST', '/billing/checkout', undefined, { planId: 'starter' }))
      .statusCode;
    expect(checkoutStatus).toBe(401);
  });
});

describe('events of a redemption on a real NATS', () => {
  it('publishes exactly one voucher.redeemed, order.placed and tenant.created', async () => {
    const nats = new NatsServer();
    const url = await nats.start();
    const app = await startTestApp({
      env: { NATS_URL: url, SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, CATALYST_ADMIN_EMAILS: ADMIN },
    });
    try {
      const adminCookie = await signIn(app.app, smtp, ADMIN);
      await app.app.inject({
        method: 'POST',
        url: '/billing/vouchers/issue',
        headers: { cookie: adminCookie },
        payload: { code: 'EVENTFUL', creditBaisa: 9_000 },
      });
      const tenant = await signIn(app.app, smtp, 'eventful@customer.test');
      const res = await app.app.inject({
        method: 'POST',
        url: '/billing/checkout',
        headers: { cookie: tenant },
        payload: { planId: 'starter', promoCode: 'EVENTFUL', orgSlug: 'eventful' },
      });
      expect(res.statusCode).toBe(200);
      const observer = await connect({ servers: url });
      const jsm = await jetstreamManager(observer);
      const subjects = async () => {
        const info = await jsm.streams.info('CATALYST').catch(() => undefined);
        const out: string[] = [];
        for (
          let seq = info?.state.first_seq ?? 1;
          info && seq <= info.state.last_seq && info.state.messages > 0;
          seq++
        ) {
          const message = await jsm.streams.getMessage('CATALYST', { seq });
          if (message) out.push(message.subject);
        }
        return out;
      };
      await eventually('the checkout events on NATS', async () =>
        (await subjects()).includes('catalyst.order.placed'),
      );
      const seen = await subjects();
      for (const subject of [
        'catalyst.voucher.redeemed',
        'catalyst.order.placed',
        'catalyst.tenant.created',
      ]) {
        expect(
          seen.filter((s) => s === subject),
          subject,
        ).toHaveLength(1);
      }
      expect(seen.filter((s) => s === 'catalyst.voucher.issued')).toHaveLength(1);
      await observer.close();
    } finally {
      await app.close();
      await nats.destroy();
    }
  });
});
