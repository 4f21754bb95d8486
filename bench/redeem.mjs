// Voucher redemptions per second: many customers redeeming one voucher at once through checkout (HTTP, the built
// api on its own process), next to a bare baseline on the same database: one node-postgres transaction per customer
// writing the same rows under the same locks, in the same order, as checkout's SQL (see apps/api/src/billing/
// checkout.service.ts), with the same concurrency and a pool as large as the api's. After every run the voucher's
// counter, its redemptions and the customers' credits are checked against the successful checkouts (caps exact).
// Usage: npm run build && node bench/redeem.mjs. Prints figures; asserts nothing.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Pool } from 'undici';
import { median, REPEATS, ratio, report, SMOKE, startProduct } from './lib/harness.mjs';

/** Customers redeeming at once, each for the first time (so each checkout also creates their organization). */
const CUSTOMERS = SMOKE ? 5 : 100;
/** The api's pool size (connectDatabase's default): the baseline gets as many connections. */
const POOL_SIZE = 10;
const CREDIT_BAISA = 10_000;
const TENANT_POOL = 'omani.homes';
const CHECKOUT_WINDOW_SECONDS = 15 * 60;

const product = await startProduct();
const db = new pg.Pool({ connectionString: product.databaseUrl, max: POOL_SIZE });
db.on('error', () => {});
const http = new Pool(product.base, { connections: CUSTOMERS, pipelining: 1 });
try {
  const adminCookie = await product.adminCookie();
  let address = 1;
  const nextAddress = () => `10.88.${Math.floor(address / 250)}.${(address++ % 250) + 1}`;

  /** Issues a voucher through the BSS api, as the admin does. */
  async function issueVoucher(code, maxRedemptions) {
    const response = await fetch(`${product.base}/billing/vouchers/issue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: adminCookie },
      body: JSON.stringify({ code, creditBaisa: CREDIT_BAISA, maxRedemptions }),
    });
    if (response.status !== 201)
      throw new Error(`issue ${code}: ${response.status} ${await response.text()}`);
  }

  /** Signs customers in through the PIN flow (before the timed part), a few at a time. */
  async function signInCustomers(prefix, count) {
    const customers = [];
    for (let i = 0; i < count; i += 10) {
      const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) => `${prefix}-${i + j}`);
      customers.push(
        ...(await Promise.all(
          batch.map(async (name) => ({
            slug: name,
            address: nextAddress(),
            cookie: await product.signIn(`${name}@bench.test`),
          })),
        )),
      );
    }
    return customers;
  }

  /** Every customer checks out with the voucher at once, as the redeem page does; returns successes and seconds. */
  async function productRound(code, customers) {
    const started = performance.now();
    const statuses = await Promise.all(
      customers.map(async (c) => {
        const response = await http.request({
          method: 'POST',
          path: '/billing/checkout',
          headers: {
            'content-type': 'application/json',
            cookie: c.cookie,
            'x-forwarded-for': c.address,
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify({ planId: 'starter', promoCode: code, orgName: c.slug, orgSlug: c.slug }),
        });
        const text = await response.body.text();
        if (response.statusCode !== 200) console.error(`checkout ${c.slug}: ${response.statusCode} ${text}`);
        return response.statusCode;
      }),
    );
    return { ok: statuses.filter((s) => s === 200).length, seconds: (performance.now() - started) / 1000 };
  }

  /** Baseline customers: users inserted directly (a session is the api's business, not checkout's). */
  async function baselineCustomers(prefix, count) {
    const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    const { rows } = await db.query(
      `insert into users (email) select unnest($1::text[]) || '@bench.test' returning id, email`,
      [names],
    );
    return rows.map((r) => ({ userId: r.id, slug: r.email.split('@')[0], address: nextAddress() }));
  }

  async function baselineVoucher(code, maxRedemptions) {
    await db.query(`insert into vouchers (code, credit_baisa, max_redemptions) values ($1, $2, $3)`, [
      code,
      CREDIT_BAISA,
      maxRedemptions,
    ]);
  }

  /** Checkout's statements by hand, in its order: the rate-limit hits, then one transaction. */
  async function baselineCheckout(code, c) {
    for (const key of [`checkout:user:${c.userId}`, `checkout:ip:${c.address}`]) {
      await db.query(
        `insert into rate_limit_buckets (key, window_started_at, hits) values ($1, now(), 1)
         on conflict (key) do update set
           window_started_at = case when rate_limit_buckets.window_started_at + make_interval(secs => $2) <= now()
             then now() else rate_limit_buckets.window_started_at end,
           hits = case when rate_limit_buckets.window_started_at + make_interval(secs => $2) <= now()
             then 1 else rate_limit_buckets.hits + 1 end
         returning hits, ceil(extract(epoch from window_started_at + make_interval(secs => $2) - now()))::int`,
        [key, CHECKOUT_WINDOW_SECONDS],
      );
    }
    const client = await db.connect();
    try {
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [`wallet:${c.userId}`]);
      await client.query('select * from orders where user_id = $1 and idempotency_key = $2', [
        c.userId,
        randomUUID(),
      ]);
      const now = new Date();
      const voucher = (
        await client.query(
          `select *, exists (select 1 from voucher_redemptions where code = $1 and user_id = $2) as redeemed
           from vouchers where code = $1 and deleted_at is null`,
          [code, c.userId],
        )
      ).rows[0];
      const refused =
        !voucher?.active ||
        (voucher.expires_at && voucher.expires_at <= now) ||
        voucher.redeemed ||
        (voucher.max_redemptions > 0 && voucher.times_redeemed >= voucher.max_redemptions);
      if (refused) throw new Error('refused');
      await client.query(
        `select o.*, m.role from org_members m join organizations o on o.id = m.org_id
         where m.user_id = $1 order by o.created_at`,
        [c.userId],
      );
      const fqdn = `${c.slug}.${TENANT_POOL}`;
      await client.query('select id from organizations where slug = $1', [c.slug]);
      await client.query(
        `select * from domain_allocations where fqdn = $1 and (state = 'active' or expires_at > now())`,
        [fqdn],
      );
      await client.query('savepoint sp1');
      await client.query(
        `delete from domain_allocations where fqdn = $1 and state = 'reserved' and expires_at <= now()`,
        [fqdn],
      );
      await client.query(
        `insert into domain_allocations (fqdn, mode, pool_domain, subdomain, state, expires_at, created_by, committed_at)
         values ($1, 'pool', $2, $3, 'active', null, $4, now()) returning *`,
        [fqdn, TENANT_POOL, c.slug, c.userId],
      );
      await client.query('release savepoint sp1');
      const org = (
        await client.query(
          `insert into organizations (slug, name, fqdn, pool_domain, owner_id) values ($1, $1, $2, $3, $4) returning *`,
          [c.slug, fqdn, TENANT_POOL, c.userId],
        )
      ).rows[0];
      await client.query(`insert into org_members (org_id, user_id, role) values ($1, $2, 'owner')`, [
        org.id,
        c.userId,
      ]);
      const balance = Number(
        (
          await client.query(
            'select coalesce(sum(amount_baisa), 0)::text as total from wallet_entries where user_id = $1',
            [c.userId],
          )
        ).rows[0].total,
      );
      const orderId = randomUUID();
      const credit = Number(voucher.credit_baisa);
      await client.query(
        `insert into wallet_entries (user_id, amount_baisa, reason, order_id) values ($1, $2, $3, $4)`,
        [c.userId, credit, `voucher:${code}`, orderId],
      );
      const response = {
        orderId,
        org: { slug: org.slug, fqdn: org.fqdn },
        balanceBaisa: balance + credit,
        balanceOmr: ((balance + credit) / 1000).toFixed(3),
      };
      await client.query(
        `insert into orders (id, user_id, org_id, plan_id, total_baisa, promo_code, idempotency_key, response)
         values ($1, $2, $3, 'starter', 0, $4, $5, $6)`,
        [orderId, c.userId, org.id, code, randomUUID(), response],
      );
      await client.query('insert into voucher_redemptions (code, user_id, order_id) values ($1, $2, $3)', [
        code,
        c.userId,
        orderId,
      ]);
      const events = [
        ['catalyst.voucher.redeemed', { code, userId: c.userId, orderId, creditBaisa: credit }],
        ['catalyst.tenant.created', { orgId: org.id, slug: org.slug, name: org.name, ownerUserId: c.userId }],
        [
          'catalyst.order.placed',
          { orderId, userId: c.userId, planId: 'starter', totalBaisa: 0, orgId: org.id },
        ],
      ];
      for (const [type, payload] of events) {
        await client.query('insert into event_outbox (type, payload) values ($1, $2) returning *', [
          type,
          payload,
        ]);
        await client.query(`select pg_notify('catalyst_outbox', '')`);
      }
      const counted = await client.query(
        `update vouchers set times_redeemed = times_redeemed + 1
         where code = $1 and deleted_at is null and active = true and credit_baisa = $2
           and (max_redemptions = 0 or times_redeemed < max_redemptions)
           and (expires_at is null or expires_at > $3)
         returning code`,
        [code, credit, now],
      );
      if (counted.rowCount !== 1) throw new Error('refused');
      await client.query('commit');
      return true;
    } catch (error) {
      await client.query('rollback');
      if (error.message !== 'refused') throw error;
      return false;
    } finally {
      client.release();
    }
  }

  async function baselineRound(code, customers) {
    const started = performance.now();
    const results = await Promise.all(customers.map((c) => baselineCheckout(code, c)));
    return { ok: results.filter(Boolean).length, seconds: (performance.now() - started) / 1000 };
  }

  /** The voucher's counter, redemptions and credits all equal the successful checkouts, within the cap. */
  async function capExact(code, ok) {
    const { rows } = await db.query(
      `select v.times_redeemed, v.max_redemptions,
         (select count(*)::int from voucher_redemptions r where r.code = v.code) as redemptions,
         (select count(distinct r.user_id)::int from voucher_redemptions r where r.code = v.code) as redeemers,
         (select count(*)::int from wallet_entries w where w.reason = 'voucher:' || v.code) as credits,
         (select count(distinct w.user_id)::int from wallet_entries w where w.reason = 'voucher:' || v.code) as credited
       from vouchers v where v.code = $1`,
      [code],
    );
    const v = rows[0];
    const exact =
      v.times_redeemed === ok &&
      v.redemptions === ok &&
      v.redeemers === ok &&
      v.credits === ok &&
      v.credited === ok &&
      ok === Math.min(v.max_redemptions, CUSTOMERS);
    return { exact, text: `${v.times_redeemed}/${v.max_redemptions}` };
  }

  if (!SMOKE) {
    // Warm both sides up (JIT, caches, first connections); not reported.
    await issueVoucher('BENCH-WARM-P', 10);
    await productRound('BENCH-WARM-P', await signInCustomers('warm-p', 10));
    await baselineVoucher('BENCH-WARM-B', 10);
    await baselineRound('BENCH-WARM-B', await baselineCustomers('warm-b', 10));
  }

  const productRates = [];
  const baselineRates = [];
  const productCaps = [];
  const baselineCaps = [];
  for (let run = 0; run < REPEATS; run++) {
    const productCode = `BENCH-P${run}`;
    await issueVoucher(productCode, CUSTOMERS);
    const customers = await signInCustomers(`p${run}`, CUSTOMERS);
    const p = await productRound(productCode, customers);
    productRates.push(p.ok / p.seconds);
    productCaps.push(await capExact(productCode, p.ok));

    const baselineCode = `BENCH-B${run}`;
    await baselineVoucher(baselineCode, CUSTOMERS);
    const b = await baselineRound(baselineCode, await baselineCustomers(`b${run}`, CUSTOMERS));
    baselineRates.push(b.ok / b.seconds);
    baselineCaps.push(await capExact(baselineCode, b.ok));
  }

  const capText = (caps) =>
    `${caps.every((c) => c.exact) ? 'exact' : 'NOT EXACT'} (${caps.map((c) => c.text).join(', ')})`;
  report(`Voucher redemptions, ${CUSTOMERS} customers at once (medians of ${REPEATS})`, [
    {
      figure: 'redemptions/s',
      product: median(productRates),
      baseline: median(baselineRates),
      ratio: ratio(median(productRates), median(baselineRates)),
      target: '≥ 0.50',
    },
    {
      figure: 'cap: counter = redemptions = credits = successes, every run',
      product: capText(productCaps),
      baseline: capText(baselineCaps),
      ratio: '—',
      target: 'exact',
    },
  ]);
} finally {
  await http.close();
  await db.end();
  await product.stop();
}
