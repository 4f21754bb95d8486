import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodePathValue,
  type FuzzBody,
  fuzzBody,
  fuzzPathValue,
  fuzzQuery,
  isErrorShape,
  Prng,
} from './helpers/fuzz.js';
import { FuzzDnsServer } from './helpers/fuzz-dns.js';
import { provisionRequest } from './helpers/provision-request.js';
import { signIn } from './helpers/sign-in.js';
import { SmtpPeer } from './helpers/smtp-peer.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

/**
 * Every route of the OpenAPI document, as anonymous, member and admin, with generated and mutated
 * inputs: no answer may be a 5xx (but the few listed below), every error must have the one error shape,
 * and the process must still answer at the end. Replay a run with CATALYST_FUZZ_SEED=<seed>.
 */
const SEED = Number(process.env.CATALYST_FUZZ_SEED ?? 20_261_204);
const REQUESTS_PER_ROUTE_AND_IDENTITY = 20;
/**
 * A route that takes no body, no path parameter and no documented query has little to fuzz but its
 * query string and headers, so it gets fewer requests (GET /metrics alone would otherwise take most of the run).
 */
const REQUESTS_PER_INPUTLESS_ROUTE_AND_IDENTITY = 3;
/** A request that takes longer than this is reported as hanging (it would tie up a client forever). */
const HANG_MS = 15_000;
/** Requests of one route and identity in flight at once. */
const CONCURRENCY = 5;

/**
 * The only 5xx answers allowed, each a route reporting an outside system the test app leaves
 * unconfigured, in the one error shape. Anything else at 500 or above fails the test.
 */
const ALLOWED_5XX: { route: string; status: number; code?: string; reason: string }[] = [
  {
    route: 'POST /api/v1/pool/reservations/{id}/commit',
    status: 503,
    code: 'dns_not_configured',
    reason: 'committing a name writes DNS, and the test app has no PowerDNS (PDNS_API_URL unset)',
  },
  {
    route: 'DELETE /api/v1/pool/allocations/{fqdn}',
    status: 503,
    code: 'dns_not_configured',
    reason: 'releasing an active name removes its DNS, and the test app has no PowerDNS',
  },
  {
    route: 'GET /readyz',
    status: 503,
    reason: 'readiness reports a dependency that is down; its body is the readiness report, not an error',
  },
];

/** Routes whose answer is a stream that never ends by itself: requested over HTTP and cut short. */
const STREAMING = new Set(['GET /api/v1/deployments/{id}/logs']);

interface Operation {
  method: string;
  path: string;
  route: string;
  bodySchema?: Record<string, unknown>;
  parameters: { name: string; schema?: Record<string, unknown> }[];
}

interface Outcome {
  status: number;
  contentType: string;
  text: string;
}

let smtp: SmtpPeer;
let dns: FuzzDnsServer;
let t: TestApp;
let base: string;
const identities: { name: 'anonymous' | 'member' | 'admin'; cookie?: string }[] = [];

beforeAll(async () => {
  smtp = new SmtpPeer();
  dns = new FuzzDnsServer();
  t = await startTestApp({
    env: {
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: 'admin@fuzz.test',
      // Delegation checks get answers at once, some of them malformed, instead of waiting on a closed port.
      CATALYST_DNS_RESOLVER: await dns.start(),
    },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  identities.push(
    { name: 'anonymous' },
    { name: 'member', cookie: await signIn(t.app, smtp, 'member@fuzz.test') },
    { name: 'admin', cookie: await signIn(t.app, smtp, 'admin@fuzz.test') },
  );
});
afterAll(async () => {
  await t?.close();
  await smtp?.stop();
  await dns?.stop();
});

async function operations(): Promise<Operation[]> {
  const response = await t.app.inject({ method: 'GET', url: '/api/docs' });
  const document = response.json() as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  const list: Operation[] = [];
  for (const [path, byMethod] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(byMethod)) {
      const body = operation.requestBody as
        | { content: { 'application/json': { schema: Record<string, unknown> } } }
        | undefined;
      list.push({
        method: method.toUpperCase(),
        path,
        route: `${method.toUpperCase()} ${path}`,
        bodySchema: body?.content['application/json'].schema,
        parameters: (operation.parameters ?? []) as Operation['parameters'],
      });
    }
  }
  // Signing out ends the identity's session: go last, so every other route sees a live one.
  return list.sort((a, b) => Number(a.path === '/auth/logout') - Number(b.path === '/auth/logout'));
}

/** Known-good bodies for routes whose schema the generator cannot satisfy alone, so requests go deep. */
function exampleFor(route: string, rng: Prng): (() => never) | undefined {
  if (route === 'POST /api/v1/deployments') {
    return () =>
      provisionRequest({
        domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: `fuzz${rng.int(100_000)}` },
      }) as never;
  }
  return undefined;
}

/**
 * Values seen in successful answers (ids, codes, names), by field and by `<route>#<field>`: inputs
 * that reach real rows.
 */
const known = new Map<string, string[]>();
const HARVESTED = ['id', 'code', 'fqdn', 'slug', 'reservationId', 'name'];
function harvest(route: string, text: string): void {
  const remember = (key: string, value: string) => {
    const seen = known.get(key) ?? [];
    if (seen.length < 100 && !seen.includes(value)) known.set(key, [...seen, value]);
  };
  try {
    JSON.parse(text, (key, value) => {
      if (HARVESTED.includes(key) && typeof value === 'string') {
        remember(key, value);
        remember(`${route}#${key}`, value);
      }
      return value;
    });
  } catch {
    // not JSON: nothing to learn
  }
}

function knownOf(...keys: string[]): string[] {
  return keys.flatMap((key) => known.get(key) ?? []);
}

/** Field values the schemas cannot express (e-mail refinements, existing plan ids, …). */
function hintsFor(rng: Prng) {
  const orKnown = (keys: string[], fallback: () => string) => {
    const values = knownOf(...keys);
    return values.length && rng.chance(0.7) ? rng.pick(values) : fallback();
  };
  return (field: string) => {
    switch (field) {
      case 'email':
      case 'adminEmail':
      case 'recipientEmail':
        return `fuzz${rng.int(50)}@example.test`;
      case 'pin':
        return String(100_000 + rng.int(900_000));
      case 'poolDomain':
        return rng.pick(['omani.works', 'omantel.biz', 'omani.homes', 'omani.rest']);
      case 'subdomain':
      case 'orgSlug':
        return `fuzz${rng.int(100_000)}`;
      case 'orgName':
        return `Fuzz Org ${rng.int(1000)}`;
      case 'code':
      case 'promoCode':
        return orKnown(['code'], () => `FUZZ-${rng.int(100_000)}`);
      case 'planId':
        return orKnown(['GET /billing/plans#id'], () => 'x');
      case 'appId':
        return orKnown(['GET /api/v1/catalog/apps#id'], () => 'x');
      case 'components[]':
        return orKnown(['GET /api/v1/catalog/components#id'], () => 'x');
      case 'provider':
        return 'hetzner';
      case 'token':
      case 'hetznerToken':
        return 'F'.repeat(64);
      case 'projectId':
        return String(1 + rng.int(9_999_999));
      case 'domain':
        return `fuzz${rng.int(100_000)}.example.com`;
      case 'name':
        return `env${rng.int(1000)}`;
      case 'creditBaisa':
        return 1 + rng.int(100_000);
      default:
        return undefined;
    }
  };
}

/** Where a path parameter's real values come from: the answers of the routes that list or make them. */
function knownForParameter(path: string, name: string): string[] {
  if (path.startsWith('/api/v1/deployments/') && name === 'id')
    return ['POST /api/v1/deployments#id', 'GET /api/v1/deployments#id'];
  if (path.startsWith('/api/v1/pool/reservations/')) return ['reservationId'];
  if (path.startsWith('/api/v1/orgs/') && name === 'id')
    return ['POST /api/v1/orgs/{slug}/environments/{env}/apps#id'];
  if (path.startsWith('/api/v1/registrars/')) return ['GET /api/v1/registrars#id'];
  return { code: ['code'], fqdn: ['fqdn'], slug: ['slug'], env: ['name'] }[name] ?? [];
}

function requestUrl(op: Operation, rng: Prng): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodePathValue(fuzzPathValue(rng, knownOf(...knownForParameter(op.path, name)))),
  );
  return `${path}${fuzzQuery(op.parameters, rng, hintsFor(rng))}`;
}

function headersFor(cookie: string | undefined, body: FuzzBody, rng: Prng): Record<string, string> {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (body.contentType !== undefined) headers['content-type'] = body.contentType;
  if (rng.chance(0.1))
    headers.authorization = rng.pick(['Bearer ', 'Bearer x.y.z', 'Basic Zm9vOmJhcg==', 'Bearer \u00ff']);
  if (rng.chance(0.1))
    headers['last-event-id'] = rng.pick(['-1', '1e999', 'abc', '99999999999999999999', '0']);
  return headers;
}

async function viaInject(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: FuzzBody,
  remoteAddress: string,
): Promise<Outcome> {
  const response = await t.app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(body.payload !== undefined ? { payload: body.payload } : {}),
    remoteAddress,
  });
  return {
    status: response.statusCode,
    contentType: String(response.headers['content-type'] ?? ''),
    text: response.body,
  };
}

/** Runs `work` over `items`, at most `limit` at a time; results in the order of `items`. */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit) {
    results.push(...(await Promise.all(items.slice(i, i + limit).map(work))));
  }
  return results;
}

/** A streaming route over real HTTP: the answer's head is read, then the connection is cut. */
async function viaHttp(method: string, url: string, headers: Record<string, string>, body: FuzzBody) {
  const controller = new AbortController();
  const response = await fetch(`${base}${url}`, {
    method,
    headers,
    // fetch sends no body with a GET (the one streaming route is a GET); other methods get theirs.
    body:
      method === 'GET' || method === 'HEAD' || body.payload === undefined
        ? undefined
        : new Uint8Array(Buffer.from(body.payload)),
    signal: controller.signal,
  });
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/event-stream')) {
    controller.abort();
    return { status: response.status, contentType, text: '' };
  }
  return { status: response.status, contentType, text: await response.text() };
}

function requestsFor(op: Operation): number {
  const inputless = op.method === 'GET' && !op.bodySchema && !op.path.includes('{') && !op.parameters.length;
  return inputless ? REQUESTS_PER_INPUTLESS_ROUTE_AND_IDENTITY : REQUESTS_PER_ROUTE_AND_IDENTITY;
}

function withDeadline<T>(work: Promise<T>): Promise<T | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<'hung'>((resolve) => {
      timer = setTimeout(() => resolve('hung'), HANG_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** What is wrong with an answer, or undefined when it is acceptable. */
function problemWith(op: Operation, outcome: Outcome): string | undefined {
  const allowed = ALLOWED_5XX.find((a) => a.route === op.route && a.status === outcome.status);
  if (/\n\s+at .+:\d+:\d+\)?/.test(outcome.text) || outcome.text.includes('node_modules')) {
    return 'a stack trace in the answer';
  }
  if (outcome.status < 400) return undefined;
  if (allowed && !allowed.code) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(outcome.text);
  } catch {
    return 'an error that is not JSON';
  }
  if (!isErrorShape(body)) return 'an error not in the one error shape';
  if (outcome.status >= 500) {
    const code = (body as { error: { code: string } }).error.code;
    if (!allowed || allowed.code !== code) return `a ${outcome.status}`;
  }
  return undefined;
}

describe('fuzzing every route of the OpenAPI document', () => {
  it('answers thousands of generated requests as anonymous, member and admin without a 5xx, in the one error shape, and stays up', {
    timeout: 180_000,
  }, async () => {
    console.info(`fuzz seed ${SEED} (replay with CATALYST_FUZZ_SEED=${SEED})`);
    const rng = new Prng(SEED);
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(40);
    const failures: string[] = [];
    const statuses = new Map<string, Set<number>>();
    let sent = 0;

    for (const op of ops) {
      for (const identity of identities) {
        // Every input of a batch is drawn first (so a seed always makes the same inputs), then the batch
        // is sent a few at a time: concurrent requests are part of the attack, and slow routes overlap.
        const batch = Array.from({ length: requestsFor(op) }, () => {
          const sendsBody = op.bodySchema || op.method === 'PUT' || rng.chance(0.15);
          const body: FuzzBody = sendsBody
            ? fuzzBody(op.bodySchema, rng, hintsFor(rng), exampleFor(op.route, rng))
            : { label: 'no-body' };
          const url = requestUrl(op, rng);
          const headers = headersFor(identity.cookie, body, rng);
          const remoteAddress = `10.${rng.int(250)}.${rng.int(250)}.${1 + rng.int(250)}`;
          return {
            body,
            url,
            headers,
            remoteAddress,
            what: `${identity.name} ${op.method} ${url.slice(0, 160)} [${body.label}]`,
          };
        });
        const outcomes = await inBatches(batch, CONCURRENCY, (planned) =>
          withDeadline(
            STREAMING.has(op.route)
              ? viaHttp(op.method, planned.url, planned.headers, planned.body)
              : viaInject(op.method, planned.url, planned.headers, planned.body, planned.remoteAddress),
          ).catch((error: Error) => error),
        );
        outcomes.forEach((outcome, i) => {
          const { what } = batch[i] as (typeof batch)[number];
          if (outcome instanceof Error) {
            failures.push(`${what}: the request failed: ${outcome.message}`);
            return;
          }
          sent++;
          if (outcome === 'hung') {
            failures.push(`${what}: no answer within ${HANG_MS} ms`);
            return;
          }
          if (!statuses.has(op.route)) statuses.set(op.route, new Set());
          statuses.get(op.route)?.add(outcome.status);
          if (outcome.status < 300) harvest(op.route, outcome.text);
          const problem = problemWith(op, outcome);
          if (problem) failures.push(`${what}: ${problem}: ${outcome.status} ${outcome.text.slice(0, 300)}`);
        });
      }
    }

    // Methods no route declares (Fastify answers HEAD for a GET itself): refused in the one error shape.
    for (const path of new Set(ops.map((op) => op.path))) {
      for (const method of ['PATCH', 'OPTIONS', 'TRACE']) {
        const probe: Operation = { method, path, route: `${method} ${path}`, parameters: [] };
        const url = requestUrl(probe, rng);
        const outcome = await viaInject(method, url, {}, { label: 'no-body' }, '10.0.0.1');
        sent++;
        const problem = problemWith(probe, outcome);
        if (problem)
          failures.push(
            `anonymous ${method} ${url.slice(0, 160)}: ${problem}: ${outcome.status} ${outcome.text.slice(0, 300)}`,
          );
      }
    }

    console.info(
      `fuzz: ${sent} requests over ${ops.length} routes; statuses per route:\n${[...statuses]
        .map(([route, seen]) => `  ${route}: ${[...seen].sort().join(' ')}`)
        .join('\n')}`,
    );
    expect(failures).toEqual([]);
    const paths = new Set(ops.map((op) => op.path)).size;
    expect(sent).toBe(ops.reduce((total, op) => total + requestsFor(op) * identities.length, paths * 3));
    expect(sent).toBeGreaterThan(2_000);
    const alive = await fetch(`${base}/healthz`);
    expect(alive.status).toBe(200);
  });
});
