// The sign-in page in a real browser: time from navigation start to the login form being visible, and bytes on
// the wire, for the product (the built api serving apps/web/dist: precompressed, cached) and for a bare static
// server (node:http sending the same files plainly, SPA fallback to index.html, only a content-type header).
// Measured on loopback and on an emulated 20 Mbit/s, 40 ms link, each first visit (empty cache) and repeat visit
// (same browser cache), arriving from a page on another site.
// Usage: npm run build && node bench/login-page.mjs   Prints figures; asserts nothing.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from '@playwright/test';
import { median, REPEATS, REPO_ROOT, ratio, report, SMOKE, startProduct } from './lib/harness.mjs';

const DIST = join(REPO_ROOT, 'apps/web/dist');
const CHROMIUM = '/usr/bin/chromium';
/** The sign-in page's e-mail field (apps/web/src/features/auth/LoginPage.tsx). */
const LOGIN_FORM = 'form input[name="email"]';
/** Chromium's network emulation for the second pair of rows: a modest broadband / 4G link. */
const LINK = { latency: 40, downloadThroughput: (20e6 / 8) | 0, uploadThroughput: (5e6 / 8) | 0 };
/** Page loads per figure in each repetition (their median is the repetition's figure). */
const LOADS = SMOKE ? 1 : 5;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/**
 * The bare baseline: the same files, read from disk per request as the product does, with no compression, no
 * caching headers, no security headers. /auth/me (the one api call the sign-in page makes) gets the product's
 * own anonymous answer, recorded once, so both pages do the same work in the browser.
 */
async function startBareServer(authMe) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/auth/me') {
      res.writeHead(authMe.status, { 'content-type': 'application/json' });
      res.end(authMe.body);
      return;
    }
    let file = join(DIST, normalize(path));
    if (!file.startsWith(DIST) || !(await stat(file).catch(() => undefined))?.isFile())
      file = join(DIST, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => server.close(r)),
  };
}

/** Records, inside the page, when the login form's e-mail field first has a box (relative to navigation start). */
function watchForForm(selector) {
  const check = () => {
    const input = document.querySelector(selector);
    if (!input || window.__formVisibleAt !== undefined) return;
    const box = input.getBoundingClientRect();
    if (box.width > 0 && box.height > 0 && getComputedStyle(input).visibility !== 'hidden') {
      window.__formVisibleAt = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
}

/**
 * A page on another site (localhost, where the servers are reached as 127.0.0.1), where each measured load starts, as
 * a visitor arrives from a link or a new tab. Started from about:blank instead, Chromium can keep the blank page's
 * renderer for the bare server, but must move to a new process for Catalyst's `cross-origin-opener-policy` header
 * (common/security-headers.ts): that first-visit case is measured too, as its own row.
 */
async function startElsewhere() {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>elsewhere</title><p>elsewhere</p>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${server.address().port}/`,
    stop: () => new Promise((r) => server.close(r)),
  };
}

/** One load of /login in `page` (from `from` when given): ms to the visible form, bytes transferred until then. */
async function loadLogin(page, base, from) {
  if (from) await page.goto(from);
  await page.goto(`${base}/login`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__formVisibleAt !== undefined, undefined, { polling: 'raf' });
  await page.locator(LOGIN_FORM).waitFor({ state: 'visible' });
  return page.evaluate(() => {
    const entries = [
      ...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource'),
    ].filter((entry) => entry.startTime <= window.__formVisibleAt);
    return {
      ms: window.__formVisibleAt,
      bytes: entries.reduce((sum, entry) => sum + entry.transferSize, 0),
    };
  });
}

/** A fresh browser context (empty cache), optionally on the emulated link: a first visit, then a repeat visit. */
async function visit(browser, base, throttled, from) {
  const context = await browser.newContext();
  await context.addInitScript(watchForForm, LOGIN_FORM);
  const page = await context.newPage();
  if (throttled) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...LINK });
  }
  const first = await loadLogin(page, base, from);
  const repeat = await loadLogin(page, base, from);
  await context.close();
  return { first, repeat };
}

/** A first visit from about:blank, on loopback. */
async function visitFromBlank(browser, base) {
  const context = await browser.newContext();
  await context.addInitScript(watchForForm, LOGIN_FORM);
  const first = await loadLogin(await context.newPage(), base);
  await context.close();
  return first;
}

/** The initial files (index.html, its script and stylesheet) fetched as a browser asks for them: bytes on the wire. */
async function initialBytes(base) {
  const get = (path) =>
    new Promise((resolve, reject) => {
      const req = request(
        `${base}${path}`,
        { headers: { accept: 'text/html,*/*', 'accept-encoding': 'br, gzip' } },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ body: Buffer.concat(chunks), encoding: res.headers['content-encoding'] ?? 'none' }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const files = ['/login', ...[...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1])];
  const answers = await Promise.all(files.map(get));
  return {
    bytes: answers.reduce((sum, answer) => sum + answer.body.length, 0),
    encodings: [...new Set(answers.map((answer) => answer.encoding))].join('/'),
  };
}

if (!existsSync(join(DIST, 'index.html')))
  throw new Error('apps/web/dist is missing: run `npm run build` first');
if (!existsSync(join(DIST, 'index.html.br'))) {
  console.warn(
    'apps/web/dist has no .br/.gz files (built without scripts/compress.mjs?): the product sends them plain',
  );
}

const product = await startProduct();
const anonymous = await fetch(`${product.base}/auth/me`);
const bare = await startBareServer({ status: anonymous.status, body: await anonymous.text() });
const elsewhere = await startElsewhere();
const browser = await chromium.launch({ executablePath: existsSync(CHROMIUM) ? CHROMIUM : undefined });
try {
  // Warm both servers and the browser once before measuring (a smoke run only checks that everything works).
  if (!SMOKE) {
    await visit(browser, product.base, false, elsewhere.url);
    await visit(browser, bare.base, false, elsewhere.url);
  }

  const figures = ['blank.first.ms', 'blank.first.bytes'].concat(
    ['loopback', 'link'].flatMap((net) =>
      ['first', 'repeat'].flatMap((kind) => ['ms', 'bytes'].map((unit) => `${net}.${kind}.${unit}`)),
    ),
  );
  const runs = { product: [], bare: [] };
  for (let repetition = 0; repetition < REPEATS; repetition++) {
    const samples = { product: {}, bare: {} };
    for (let load = 0; load < LOADS; load++) {
      for (const throttled of [false, true]) {
        // Alternate which side goes first, so neither always meets a warmer machine.
        const order = (load + repetition) % 2 ? ['bare', 'product'] : ['product', 'bare'];
        for (const side of order) {
          const base = side === 'product' ? product.base : bare.base;
          const result = await visit(browser, base, throttled, elsewhere.url);
          if (!throttled) result.blank = await visitFromBlank(browser, base);
          const net = throttled ? 'link' : 'loopback';
          for (const kind of ['first', 'repeat']) {
            for (const unit of ['ms', 'bytes']) {
              const key = `${net}.${kind}.${unit}`;
              samples[side][key] ??= [];
              samples[side][key].push(result[kind][unit]);
            }
          }
          for (const unit of ['ms', 'bytes']) {
            if (!result.blank) continue;
            samples[side][`blank.first.${unit}`] ??= [];
            samples[side][`blank.first.${unit}`].push(result.blank[unit]);
          }
        }
      }
    }
    for (const side of ['product', 'bare']) {
      runs[side].push(Object.fromEntries(figures.map((key) => [key, median(samples[side][key])])));
    }
  }
  const figure = (side, key) => median(runs[side].map((run) => run[key]));
  const wire = { product: await initialBytes(product.base), bare: await initialBytes(bare.base) };

  const rows = [];
  for (const [net, label] of [
    ['loopback', 'loopback'],
    ['link', '20 Mbit/s, 40 ms link'],
  ]) {
    for (const [kind, visitLabel] of [
      ['first', 'first visit'],
      ['repeat', 'repeat visit'],
    ]) {
      const ms = [figure('product', `${net}.${kind}.ms`), figure('bare', `${net}.${kind}.ms`)];
      const kib = [
        figure('product', `${net}.${kind}.bytes`) / 1024,
        figure('bare', `${net}.${kind}.bytes`) / 1024,
      ];
      rows.push(
        {
          figure: `login form visible, ${visitLabel}, ${label} (ms)`,
          product: ms[0],
          baseline: ms[1],
          ratio: ratio(ms[0], ms[1]),
          target: '≤ 1.2 × bare',
        },
        {
          figure: `  bytes on the wire until then (KiB)`,
          product: kib[0],
          baseline: kib[1],
          ratio: ratio(kib[0], kib[1]),
          target: '—',
        },
      );
    }
  }
  const blank = [figure('product', 'blank.first.ms'), figure('bare', 'blank.first.ms')];
  rows.push({
    figure: 'login form visible, first visit from about:blank, loopback (ms)',
    product: blank[0],
    baseline: blank[1],
    ratio: ratio(blank[0], blank[1]),
    target: '— (COOP process swap)',
  });
  rows.push({
    figure: `initial files, Accept-Encoding: br, gzip (KiB; ${wire.product.encodings} vs ${wire.bare.encodings})`,
    product: wire.product.bytes / 1024,
    baseline: wire.bare.bytes / 1024,
    ratio: ratio(wire.product.bytes, wire.bare.bytes),
    target: '—',
  });
  report(`Login page in Chromium ${browser.version()} (median of ${REPEATS} × ${LOADS} loads)`, rows);
} finally {
  await browser.close();
  await bare.stop();
  await elsewhere.stop();
  await product.stop();
}
