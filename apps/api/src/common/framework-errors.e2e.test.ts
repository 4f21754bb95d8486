import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('requests the router refuses before any route runs', () => {
  it('answers a malformed %-escape in the path with 400 in the one error shape', async () => {
    for (const url of [
      '/api/v1/deployments/%zz',
      '/api/v1/domains/%c3%28/delegation',
      '/billing/vouchers/revoke/%',
    ]) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toEqual({ error: { code: 'bad_url', message: expect.any(String) } });
    }
  });

  it('answers an over-long path parameter with 414 in the one error shape', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/deployments/${'a'.repeat(500)}` });
    expect(response.statusCode).toBe(414);
    expect(response.json()).toEqual({ error: { code: 'uri_too_long', message: expect.any(String) } });
  });
});
