import { Controller, Get, Module, Post } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { Public } from '../auth/roles.decorator.js';
import { ZodBody } from './validation.js';

const probeSchema = z.strictObject({
  name: z.string().min(1),
  nested: z.strictObject({ count: z.number().int() }),
});

@Controller('api/v1/error-probe')
@Public()
class ErrorProbeController {
  @Post()
  echo(@ZodBody(probeSchema) body: z.infer<typeof probeSchema>) {
    return body;
  }
  @Get('boom')
  boom(): never {
    throw new Error('database password=hunter2 leaked at /srv/app.js:12');
  }
}
@Module({ controllers: [ErrorProbeController] })
class ErrorProbeModule {}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ extraModules: [ErrorProbeModule] });
});
afterAll(async () => t.close());

function post(payload: string, contentType = 'application/json') {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/error-probe',
    payload,
    headers: { 'content-type': contentType },
  });
}

describe('the one error shape', () => {
  it('answers malformed JSON with 400 malformed_json', async () => {
    const res = await post('{"name": ');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'malformed_json', message: expect.any(String) } });
  });

  it('rejects unknown fields, naming them', async () => {
    const res = await post(JSON.stringify({ name: 'a', nested: { count: 1, extra: true }, admin: true }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details.issues).toEqual(
      expect.arrayContaining([
        { path: 'admin', message: 'Unknown field' },
        { path: 'nested.extra', message: 'Unknown field' },
      ]),
    );
  });

  it('gives field-level messages for wrong values', async () => {
    const res = await post(JSON.stringify({ name: '', nested: { count: 1.5 } }));
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.issues.map((i: { path: string }) => i.path);
    expect(paths.sort()).toEqual(['name', 'nested.count']);
  });

  it('treats a missing body as an empty object, not a crash', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/error-probe' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await post('name=a', 'application/x-www-form-urlencoded');
    expect([400, 415]).toContain(res.statusCode);
    expect(res.json().error.code).toMatch(/unsupported_media_type|validation_failed/);
  });

  it('answers an unknown route with 404 not_found in the same shape', async () => {
    for (const url of ['/api/v1/nothing-here', '/auth/nothing', '/billing/nothing']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining(url) } });
    }
  });

  it('answers an unexpected failure with a generic 500 and no stack or internals', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/error-probe/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: { code: 'internal_error', message: 'Something went wrong on our side' },
    });
    expect(res.body).not.toMatch(/hunter2|\.js:|at /);
    expect(res.headers['x-request-id']).toBeTruthy();
    // The operator still gets the details, tied to the request id.
    const logged = t.logs.entries().find((e) => e.msg === 'request failed');
    expect(logged?.reqId).toBe(res.headers['x-request-id']);
  });
});
