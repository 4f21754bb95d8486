import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { CONTENT_SECURITY_POLICY } from './security-headers.js';

const WEB_SOURCE_INDEX = fileURLToPath(new URL('../../../web/index.html', import.meta.url));
const PUBLIC_HTTPS = 'https://console.example.test';
let smtp: SmtpPeer;
let plain: TestApp;
let secure: TestApp;
let webDir: string;

beforeAll(async () => {
  smtp = new SmtpPeer();
  const smtpUrl = await smtp.start();
  webDir = mkdtempSync(join(tmpdir(), 'catalyst-web-'));
  writeFileSync(
    join(webDir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>',
  );
  plain = await startTestApp({
    env: {
      SMTP_URL: smtpUrl,
      CATALYST_REQUEST_TIMEOUT: '20s',
      CATALYST_IDLE_TIMEOUT: '3m',
      CATALYST_BODY_LIMIT: '2kb',
    },
    webDir,
  });
  secure = await startTestApp({ env: { SMTP_URL: smtpUrl, PUBLIC_URL: PUBLIC_HTTPS } });
});
afterAll(async () => {
  await plain?.close();
  await secure?.close();
  await smtp.stop();
  rmSync(webDir, { recursive: true, force: true });
});

function expectSecurityHeaders(headers: Record<string, unknown>) {
  expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
}

describe('security headers', () => {
  it('are on an api answer, on the SPA index and on a 404', async () => {
    const api = await plain.app.inject({ method: 'GET', url: '/healthz' });
    expect(api.statusCode).toBe(200);
    expectSecurityHeaders(api.headers);

    const index = await plain.app.inject({
      method: 'GET',
      url: '/sovereign/',
      headers: { accept: 'text/html' },
    });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<div id="root">');
    expectSecurityHeaders(index.headers);

    const missing = await plain.app.inject({ method: 'GET', url: '/api/v1/no-such-route' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    expectSecurityHeaders(missing.headers);
  });

  it('add HSTS only when PUBLIC_URL is https', async () => {
    const overHttp = await plain.app.inject({ method: 'GET', url: '/healthz' });
    expect(overHttp.headers['strict-transport-security']).toBeUndefined();
    const overHttps = await secure.app.inject({ method: 'GET', url: '/healthz' });
    expect(overHttps.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expectSecurityHeaders(overHttps.headers);
  });

  it('allow the SPA as written: no inline script or style for the policy to block', () => {
    const html = readFileSync(WEB_SOURCE_INDEX, 'utf8');
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [tag, body] of scripts) {
      expect(tag).toMatch(/\ssrc=/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });
});

describe('cross-site writes with the session cookie', () => {
  const write = (t: TestApp, headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/install-set',
      payload: { components: [] },
      headers,
    });

  it('refuses another origin (403 bad_origin), by Origin or by Referer', async () => {
    const cookie = await signIn(plain.app, smtp, 'csrf.target@example.com');
    const forged = await write(plain, { cookie, origin: 'https://evil.example' });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('bad_origin');
    const byReferer = await write(plain, { cookie, referer: 'https://evil.example/trap.html' });
    expect(byReferer.statusCode).toBe(403);
    expect((await write(plain, { cookie, origin: 'null' })).statusCode).toBe(403);
  });

  it("accepts the public address, the request's own host, and a client that names no origin", async () => {
    const cookie = await signIn(plain.app, smtp, 'csrf.ok@example.com');
    expect((await write(plain, { cookie, origin: 'http://localhost:8080' })).statusCode).toBe(200);
    expect(
      (
        await write(plain, {
          cookie,
          origin: 'http://catalyst.internal:8443',
          host: 'catalyst.internal:8443',
        })
      ).statusCode,
    ).toBe(200);
    expect((await write(plain, { cookie, referer: 'http://localhost:8080/console/' })).statusCode).toBe(200);
    // curl or a script sending the cookie itself: no page of another site is involved.
    expect((await write(plain, { cookie })).statusCode).toBe(200);
    // Reads are never refused for their origin.
    const read = await plain.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(read.statusCode).toBe(200);
  });

  it('does not apply to a bearer token, which a browser never attaches by itself', async () => {
    const cookie = await signIn(plain.app, smtp, 'bearer.writer@example.com');
    const token = cookie.split('=')[1] as string;
    expect((await write(plain, { authorization: `Bearer ${token}` })).statusCode).toBe(200);
    expect(
      (await write(plain, { authorization: `Bearer ${token}`, origin: 'https://tool.example' })).statusCode,
    ).toBe(200);
  });
});

describe('session cookie over https', () => {
  it('is named __Host-catalyst_session (Secure, Path=/, no Domain) and read under that name', async () => {
    const cookie = await signIn(secure.app, smtp, 'https.user@example.com');
    expect(cookie.startsWith('__Host-catalyst_session=')).toBe(true);
    const requested = await secure.app.inject({
      method: 'POST',
      url: '/auth/pin/request',
      payload: { email: 'https.user2@example.com' },
      remoteAddress: '192.0.2.77',
    });
    expect(requested.statusCode).toBe(202);
    const pin = /sign-in code is (\d{6})/.exec((await smtp.lastMailTo('https.user2@example.com')).raw)?.[1];
    const verified = await secure.app.inject({
      method: 'POST',
      url: '/auth/pin/verify',
      payload: { email: 'https.user2@example.com', pin },
      remoteAddress: '192.0.2.77',
    });
    const setCookie = String(verified.headers['set-cookie']);
    expect(setCookie).toMatch(/^__Host-catalyst_session=/);
    expect(setCookie).toMatch(/; Secure/i);
    expect(setCookie).toMatch(/; Path=\//i);
    expect(setCookie).not.toMatch(/Domain=/i);

    expect(
      (await secure.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).statusCode,
    ).toBe(200);
    const token = cookie.split('=')[1] as string;
    const oldName = await secure.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: { cookie: `catalyst_session=${token}` },
    });
    expect(oldName.statusCode).toBe(401);
    const logout = await secure.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { cookie, origin: PUBLIC_HTTPS },
    });
    expect(logout.statusCode).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(/^__Host-catalyst_session=;/);
  });

  it('keeps the plain name over http, where a __Host- cookie could not be set', async () => {
    expect((await signIn(plain.app, smtp, 'http.user@example.com')).startsWith('catalyst_session=')).toBe(
      true,
    );
  });
});

describe('slow and large requests', () => {
  it('cut off a request that takes too long to arrive, and close silent connections', () => {
    const fastify = plain.app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
    expect(fastify.server.requestTimeout).toBe(20_000);
    expect(fastify.server.timeout).toBe(180_000);
  });

  it('refuses a body over CATALYST_BODY_LIMIT with 413 in the one error shape', async () => {
    const res = await plain.app.inject({
      method: 'POST',
      url: '/auth/pin/request',
      payload: { email: `${'a'.repeat(3000)}@example.com` },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });
});
