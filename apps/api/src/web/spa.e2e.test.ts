import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { CONTENT_SECURITY_POLICY } from '../common/security-headers.js';

/** The web build's compression step, run here on a small SPA exactly as `npm run build` runs it. */
const COMPRESS_SCRIPT = fileURLToPath(new URL('../../../web/scripts/compress.mjs', import.meta.url));

const IMMUTABLE = 'public, max-age=31536000, immutable';
const BROWSER = 'gzip, deflate, br, zstd';
const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="description" content="Catalyst: the control plane for sovereign clouds" />
    <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
    <title>Catalyst</title>
    <script type="module" crossorigin src="/assets/index-a1b2c3d4.js"></script>
    <link rel="stylesheet" crossorigin href="/assets/index-e5f6a7b8.css">
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
`;
const APP_JS = Array.from(
  { length: 400 },
  (_, i) => `export function step${i}(state) { return { ...state, step: ${i}, label: "Step ${i}" }; }\n`,
).join('');
const APP_CSS = Array.from(
  { length: 200 },
  (_, i) => `.card-${i} { padding: ${i % 16}px; color: #123456; }\n`,
).join('');
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">${'<rect width="1" height="1"/>'.repeat(40)}</svg>`;

let webDir: string;
let web: TestApp;

const file = (path: string) => readFileSync(join(webDir, path));

function get(url: string, headers: Record<string, string> = {}) {
  return web.app.inject({ method: 'GET', url, headers });
}

beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), 'catalyst-spa-'));
  mkdirSync(join(webDir, 'assets'));
  mkdirSync(join(webDir, 'component-logos'));
  writeFileSync(join(webDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(webDir, 'assets/index-a1b2c3d4.js'), APP_JS);
  writeFileSync(join(webDir, 'assets/index-e5f6a7b8.css'), APP_CSS);
  // Two more chunks whose siblings are removed below: one keeps only .gz, one keeps neither.
  writeFileSync(join(webDir, 'assets/only-gzip-0a1b2c3d.js'), APP_JS);
  writeFileSync(join(webDir, 'assets/plain-4e5f6a7b.js'), APP_JS);
  writeFileSync(join(webDir, 'favicon.svg'), LOGO_SVG);
  writeFileSync(join(webDir, 'component-logos/tofu.svg'), LOGO_SVG);
  // Too small to shrink: compression would make it bigger, so it gets no sibling.
  writeFileSync(join(webDir, 'robots.txt'), 'x');
  // Already compressed formats are left alone.
  writeFileSync(join(webDir, 'component-logos/logo.png'), APP_JS);
  execFileSync(process.execPath, [COMPRESS_SCRIPT, webDir]);
  unlinkSync(join(webDir, 'assets/only-gzip-0a1b2c3d.js.br'));
  unlinkSync(join(webDir, 'assets/plain-4e5f6a7b.js.br'));
  unlinkSync(join(webDir, 'assets/plain-4e5f6a7b.js.gz'));
  web = await startTestApp({ webDir });
});

afterAll(async () => {
  await web?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

describe('the web build', () => {
  it('writes a smaller brotli and gzip sibling of every compressible file', () => {
    for (const path of [
      'index.html',
      'assets/index-a1b2c3d4.js',
      'assets/index-e5f6a7b8.css',
      'favicon.svg',
    ]) {
      const plain = file(path);
      const br = file(`${path}.br`);
      const gz = file(`${path}.gz`);
      expect(br.length).toBeLessThan(plain.length);
      expect(gz.length).toBeLessThan(plain.length);
      expect(brotliDecompressSync(br).equals(plain)).toBe(true);
      expect(gunzipSync(gz).equals(plain)).toBe(true);
      // Maximum quality: brotli beats gzip -9 on text.
      expect(br.length).toBeLessThan(gz.length);
    }
  });

  it('keeps no sibling that is not smaller, and leaves binary formats alone', () => {
    expect(existsSync(join(webDir, 'robots.txt.br'))).toBe(false);
    expect(existsSync(join(webDir, 'robots.txt.gz'))).toBe(false);
    expect(existsSync(join(webDir, 'component-logos/logo.png.br'))).toBe(false);
    expect(existsSync(join(webDir, 'component-logos/logo.png.gz'))).toBe(false);
  });
});

describe('precompressed static files', () => {
  it('sends the brotli file to a client that accepts br', async () => {
    const res = await get('/assets/index-a1b2c3d4.js', { 'accept-encoding': BROWSER });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toBe('accept-encoding');
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    expect(res.rawPayload.equals(file('assets/index-a1b2c3d4.js.br'))).toBe(true);
    expect(brotliDecompressSync(res.rawPayload).equals(file('assets/index-a1b2c3d4.js'))).toBe(true);
  });

  it('sends the gzip file to a client that accepts gzip only', async () => {
    const res = await get('/assets/index-e5f6a7b8.css', { 'accept-encoding': 'gzip' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toBe('accept-encoding');
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    expect(gunzipSync(res.rawPayload).equals(file('assets/index-e5f6a7b8.css'))).toBe(true);
  });

  it.each([
    ['no Accept-Encoding', {}],
    ['identity only', { 'accept-encoding': 'identity' }],
    ['every encoding refused', { 'accept-encoding': 'br;q=0, gzip;q=0, identity' }],
  ])('sends the plain file with %s', async (_case, headers: Record<string, string>) => {
    const res = await get('/assets/index-a1b2c3d4.js', headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('accept-encoding');
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(Number(res.headers['content-length'])).toBe(file('assets/index-a1b2c3d4.js').length);
    expect(res.rawPayload.equals(file('assets/index-a1b2c3d4.js'))).toBe(true);
  });

  it.each([
    ['br;q=0, gzip', 'gzip'],
    ['gzip, deflate, br;q=0', 'gzip'],
    ['br;q=0.2, gzip;q=0.8', 'gzip'],
    ['gzip;q=0.5, br;q=0.9', 'br'],
  ])('honours the q-values of %s', async (acceptEncoding, expected) => {
    const res = await get('/assets/index-a1b2c3d4.js', { 'accept-encoding': acceptEncoding });
    expect(res.headers['content-encoding']).toBe(expected);
    const decode = expected === 'br' ? brotliDecompressSync : gunzipSync;
    expect(decode(res.rawPayload).equals(file('assets/index-a1b2c3d4.js'))).toBe(true);
  });

  it('falls back to gzip when the brotli file is missing, and to the plain file when both are', async () => {
    const gzipOnly = await get('/assets/only-gzip-0a1b2c3d.js', { 'accept-encoding': BROWSER });
    expect(gzipOnly.statusCode).toBe(200);
    expect(gzipOnly.headers['content-encoding']).toBe('gzip');
    expect(gzipOnly.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(gunzipSync(gzipOnly.rawPayload).equals(file('assets/only-gzip-0a1b2c3d.js'))).toBe(true);

    const plain = await get('/assets/plain-4e5f6a7b.js', { 'accept-encoding': BROWSER });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('accept-encoding');
    expect(plain.headers['cache-control']).toBe(IMMUTABLE);
    expect(plain.rawPayload.equals(file('assets/plain-4e5f6a7b.js'))).toBe(true);
  });

  it('revalidates files outside assets/ and sends them precompressed too', async () => {
    const res = await get('/component-logos/tofu.svg', { 'accept-encoding': BROWSER });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(res.rawPayload).equals(file('component-logos/tofu.svg'))).toBe(true);

    const tiny = await get('/robots.txt', { 'accept-encoding': BROWSER });
    expect(tiny.statusCode).toBe(200);
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.headers['cache-control']).toBe('no-cache');
    expect(tiny.body).toBe('x');
  });

  it('answers a conditional request for an unchanged file with 304', async () => {
    const first = await get('/assets/index-a1b2c3d4.js', { 'accept-encoding': 'br' });
    const etag = String(first.headers.etag);
    const again = await get('/assets/index-a1b2c3d4.js', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('does not serve the compressed siblings under their own names', async () => {
    const res = await get('/assets/index-a1b2c3d4.js.br', { accept: 'application/javascript' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});

describe('index.html and the SPA fallback', () => {
  it.each([
    ['a client route', '/sovereign/wizard'],
    ['the root', '/'],
    ['index.html itself', '/index.html'],
  ])('negotiates %s like any file, never cached without revalidation', async (_case, url) => {
    const plain = readFileSync(join(webDir, 'index.html'));
    for (const [acceptEncoding, encoding, decode] of [
      [BROWSER, 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
      ['br;q=0, identity', undefined, (bytes: Buffer) => bytes],
    ] as const) {
      const res = await get(url, {
        accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
        'accept-encoding': acceptEncoding,
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers.vary).toBe('accept-encoding');
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
      expect(decode(res.rawPayload).equals(plain)).toBe(true);
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('answers HEAD for a client route with the headers of the GET and no body', async () => {
    const res = await web.app.inject({
      method: 'HEAD',
      url: '/bss/vouchers',
      headers: { accept: 'text/html', 'accept-encoding': 'br' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(Number(res.headers['content-length'])).toBe(file('index.html.br').length);
    expect(res.rawPayload.length).toBe(0);
  });

  it('logs no warning or error while serving', async () => {
    await get('/sovereign/', { accept: 'text/html', 'accept-encoding': BROWSER });
    await get('/assets/plain-4e5f6a7b.js', { 'accept-encoding': BROWSER });
    // pino levels: 40 warn, 50 error. A reply sent twice or a stream cut short would show up here,
    // logged against its request (start-up notices about unset outside systems carry no reqId).
    const problems = web.logs
      .entries()
      .filter((entry) => Number(entry.level) >= 40 && entry.reqId !== undefined);
    expect(web.logs.entries().some((entry) => entry.reqId !== undefined)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('still answers an unknown api path with the JSON 404', async () => {
    const res = await get('/api/v1/no-such-route', { accept: 'text/html', 'accept-encoding': BROWSER });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json().error.code).toBe('not_found');
  });
});
