import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('health, readiness, metrics, OpenAPI', () => {
  it('reports liveness without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    // A plain Fastify route, yet the global hooks reach it like every other response.
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('is ready when the database answers and is migrated, and not ready when a migration is missing', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });

    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      await db.query('delete from drizzle.__drizzle_migrations');
      const notReady = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json()).toEqual({
        status: 'unavailable',
        checks: { database: 'ok', migrations: 'failed' },
      });
    } finally {
      await db.end();
    }
  });

  it('counts requests by route pattern and status, and reports the event relay lag', async () => {
    await t.app.inject({ method: 'GET', url: '/healthz' });
    await t.app.inject({ method: 'GET', url: '/api/v1/no-such-route' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(
      /catalyst_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/,
    );
    expect(res.body).toMatch(/catalyst_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(res.body).toContain('catalyst_http_request_duration_seconds_bucket');
    expect(res.body).toMatch(/catalyst_event_relay_lag_seconds\{target="local"\} \d/);
  });

  it('serves an OpenAPI document generated from the routes and their zod contracts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const pinRequest = doc.paths['/auth/pin/request'].post;
    expect(pinRequest.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['email'],
      additionalProperties: false,
    });
    expect(pinRequest.responses['202']).toBeDefined();
    expect(pinRequest.security).toEqual([]);
    expect(doc.paths['/api/v1/admin/mail-outbox'].get.description).toContain('superadmin');
    expect(doc.paths['/readyz'].get).toBeDefined();
    expect(doc.paths['/healthz'].get.responses['200'].content['application/json'].schema).toMatchObject({
      required: ['status'],
    });
  });
});
