import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';

const ADMIN = 'admin@sovereign.test';
let t: TestApp;
let smtp: SmtpPeer;
let admin: string;

function call(method: 'GET' | 'POST', url: string, cookie: string, payload?: object) {
  return t.app.inject({ method, url, payload, headers: { cookie } });
}

beforeAll(async () => {
  smtp = new SmtpPeer();
  t = await startTestApp({
    env: {
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: ADMIN,
      CATALYST_TENANT_POOL_DOMAINS: 'omani.homes',
    },
  });
  admin = await signIn(t.app, smtp, ADMIN);
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

describe('the BSS read models', () => {
  it('shows each tenant with its owner’s e-mail and balance, and each order with its customer and org', async () => {
    const issued = await call('POST', '/billing/vouchers/issue', admin, {
      code: 'BSS-30',
      creditBaisa: 30_000,
    });
    expect(issued.statusCode).toBe(201);
    const payer = await signIn(t.app, smtp, 'payer@customer.test');
    const paid = await call('POST', '/billing/checkout', payer, {
      planId: 'business',
      promoCode: 'BSS-30',
      orgSlug: 'bss-payer',
    });
    expect(paid.statusCode, paid.body).toBe(200);
    const free = await signIn(t.app, smtp, 'free@customer.test');
    const freeOrder = await call('POST', '/billing/checkout', free, {
      planId: 'starter',
      orgSlug: 'bss-free',
    });
    expect(freeOrder.statusCode, freeOrder.body).toBe(200);

    const tenants = await call('GET', '/api/v1/bss/tenants', admin);
    expect(tenants.statusCode).toBe(200);
    expect(tenants.json().tenants).toEqual([
      {
        slug: 'bss-free',
        name: 'bss-free',
        owner: 'free@customer.test',
        fqdn: 'bss-free.omani.homes',
        balanceBaisa: 0,
        balanceOmr: '0.000',
        monthlyRunRateBaisa: 0,
        monthlyRunRateOmr: '0.000',
        suspendedApps: [],
        createdAt: expect.any(String),
      },
      {
        slug: 'bss-payer',
        name: 'bss-payer',
        owner: 'payer@customer.test',
        fqdn: 'bss-payer.omani.homes',
        balanceBaisa: 5_000,
        balanceOmr: '5.000',
        monthlyRunRateBaisa: 0,
        monthlyRunRateOmr: '0.000',
        suspendedApps: [],
        createdAt: expect.any(String),
      },
    ]);

    const orders = await call('GET', '/api/v1/bss/orders', admin);
    expect(orders.statusCode).toBe(200);
    expect(orders.json().orders).toEqual([
      {
        id: freeOrder.json().orderId,
        customer: 'free@customer.test',
        org: 'bss-free',
        planId: 'starter',
        totalBaisa: 0,
        totalOmr: '0.000',
        promoCode: null,
        createdAt: expect.any(String),
      },
      {
        id: paid.json().orderId,
        customer: 'payer@customer.test',
        org: 'bss-payer',
        planId: 'business',
        totalBaisa: 25_000,
        totalOmr: '25.000',
        promoCode: 'BSS-30',
        createdAt: expect.any(String),
      },
    ]);
  });
});
