import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { PIN_LIMITS } from './auth.service.js';

/*
 * The per-address budgets (PIN requests, voucher previews) key on the client address. A client
 * writes whatever it likes into X-Forwarded-For, so only entries added by trusted proxies count.
 */

const PER_ADDRESS = PIN_LIMITS.requestPerIp.limit;
let smtp: SmtpPeer;
let direct: TestApp;
let behindIngress: TestApp;

beforeAll(async () => {
  smtp = new SmtpPeer();
  const smtpUrl = await smtp.start();
  direct = await startTestApp({ env: { SMTP_URL: smtpUrl } });
  behindIngress = await startTestApp({ env: { SMTP_URL: smtpUrl, CATALYST_TRUST_PROXY: '1' } });
});
afterAll(async () => {
  await direct?.close();
  await behindIngress?.close();
  await smtp.stop();
});

/** PIN requests for fresh addresses, each with a new forged left-most X-Forwarded-For entry. */
async function requestsWithForgedHeaders(
  t: TestApp,
  count: number,
  options: { remoteAddress: string; realClient?: string; tag: string },
): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const forged = `203.0.113.${(i % 250) + 1}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/pin/request',
      payload: { email: `${options.tag}${i}@example.com` },
      remoteAddress: options.remoteAddress,
      headers: {
        'x-forwarded-for': options.realClient ? `${forged}, ${options.realClient}` : forged,
      },
    });
    statuses.push(res.statusCode);
  }
  return statuses;
}

describe('client address', () => {
  it('ignores X-Forwarded-For when no proxy is trusted (the default): rotating it evades nothing', async () => {
    const statuses = await requestsWithForgedHeaders(direct, PER_ADDRESS + 1, {
      remoteAddress: '192.0.2.10',
      tag: 'direct',
    });
    expect(statuses.slice(0, PER_ADDRESS).every((s) => s === 202)).toBe(true);
    expect(statuses[PER_ADDRESS]).toBe(429);
  });

  it('with CATALYST_TRUST_PROXY=1 takes the right-most hop, the one the ingress wrote', async () => {
    const ingress = '10.42.0.7';
    const statuses = await requestsWithForgedHeaders(behindIngress, PER_ADDRESS + 1, {
      remoteAddress: ingress,
      realClient: '198.51.100.20',
      tag: 'proxied',
    });
    expect(statuses.slice(0, PER_ADDRESS).every((s) => s === 202)).toBe(true);
    expect(statuses[PER_ADDRESS]).toBe(429);

    // Another client behind the same ingress has a budget of its own: the socket address is not the key.
    const other = await requestsWithForgedHeaders(behindIngress, 1, {
      remoteAddress: ingress,
      realClient: '198.51.100.21',
      tag: 'neighbour',
    });
    expect(other).toEqual([202]);
  });
});
