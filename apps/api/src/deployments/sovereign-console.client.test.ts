import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../database/embedded-postgres.js';
import { registerLiveness } from '../health/liveness.js';
import { checkConsoleHealth, MAX_HEALTH_BYTES } from './sovereign-console.client.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A console answering every request with `handler`. */
async function consoleAnswering(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (status: number, body: string, headers: Record<string, string> = {}) =>
  consoleAnswering((req, res) => {
    expect(req.url).toBe('/healthz');
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  });

const check = (url: string, timeoutMs = 2_000, signal?: AbortSignal) =>
  checkConsoleHealth(url, { timeoutMs, signal });

describe('checkConsoleHealth', () => {
  it("accepts the product's own liveness answer", async () => {
    const fastify = Fastify();
    registerLiveness(fastify);
    await fastify.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { port } = fastify.server.address() as AddressInfo;
      expect(await check(`http://127.0.0.1:${port}`)).toEqual({ ok: true });
    } finally {
      await fastify.close();
    }
  });

  it('refuses everything else, saying why in words of its own', async () => {
    const cases: [string, () => Promise<string>, RegExp][] = [
      ['a 503', () => json(503, '{"status":"ok"}'), /^HTTP 503$/],
      [
        'a redirect (not followed)',
        () => json(302, '', { location: 'http://127.0.0.1:9/healthz' }),
        /^HTTP 302$/,
      ],
      ['another status', () => json(200, '{"status":"down"}'), /not a Catalyst health answer/],
      ['an extra field', () => json(200, '{"status":"ok","debug":true}'), /not a Catalyst health answer/],
      ['an HTML page', () => json(200, '<html>ok</html>'), /not JSON/],
      ['an empty body', () => json(200, ''), /not JSON/],
      [
        'a body over the limit (declared)',
        () => json(200, `{"status":"ok","x":"${'a'.repeat(MAX_HEALTH_BYTES)}"}`),
        /over 1024 bytes/,
      ],
      [
        'a body over the limit (streamed, no length)',
        () =>
          consoleAnswering((_req, res) => {
            res.writeHead(200, { 'content-type': 'application/json' });
            for (let i = 0; i < 64; i++) res.write('x'.repeat(1024));
            res.end();
          }),
        /over 1024 bytes/,
      ],
    ];
    for (const [name, start, reason] of cases) {
      const url = await start();
      const health = await check(url);
      expect({ name, ok: health.ok }).toEqual({ name, ok: false });
      expect(health.ok ? '' : health.reason, name).toMatch(reason);
      // Nothing the other side sent is repeated.
      expect(health.ok ? '' : health.reason, name).not.toMatch(/html|down|debug|xxxx/);
    }
  });

  it('gives up on an answer that does not come within the attempt timeout', async () => {
    const url = await consoleAnswering((_req, res) => {
      // Headers, then nothing more: a stalled body.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":');
    });
    const started = Date.now();
    expect(await check(url, 500)).toEqual({ ok: false, reason: 'no answer within 0.5 s' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports a closed port as no connection', async () => {
    const health = await check(`http://127.0.0.1:${await freePort()}`);
    expect(health).toEqual({ ok: false, reason: 'no connection (ECONNREFUSED)' });
  });

  it('rejects with the abort reason when the run is cancelled mid-check', async () => {
    const url = await consoleAnswering(() => {
      // Never answers.
    });
    const cancel = new AbortController();
    const pending = check(url, 10_000, cancel.signal);
    setTimeout(() => cancel.abort(new Error('cancelled')), 100);
    await expect(pending).rejects.toThrow('cancelled');
  });
});
