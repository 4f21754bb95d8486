import { metaSchema } from '@catalyst/contracts';
import { vi } from 'vitest';
import type { Parser } from '../lib/http';
import { type ContractOf, user } from './factories';

/** The signed-in user most tests act as (a plain member). */
export const testUser = user();

/** A raw JSON response. Feature tests use `answer` instead; this is for answers the api would never send. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Stubs that broke their contract during the current test; test/setup.ts fails the test with them. */
export const brokenStubs: string[] = [];

/** The paths of `body` that `parsed` lacks: fields the contract does not know and parsing dropped. */
function droppedFields(body: unknown, parsed: unknown, at = ''): string[] {
  if (Array.isArray(body) && Array.isArray(parsed)) {
    return body.flatMap((item, i) => droppedFields(item, parsed[i], `${at}[${i}]`));
  }
  if (typeof body !== 'object' || body === null || typeof parsed !== 'object' || parsed === null) return [];
  const kept = parsed as Record<string, unknown>;
  return Object.entries(body).flatMap(([key, value]) =>
    key in kept ? droppedFields(value, kept[key], `${at}.${key}`) : [`${at}.${key}`],
  );
}

/**
 * An api answer whose body is typed by its contract `schema`: a stub the api would never send does
 * not compile. It is also parsed at run time, so a stub that slips past the types (a cast, a field
 * the contract does not know) fails the test where it is built instead of passing for the wrong reason.
 */
export function answer<S extends Parser<unknown>>(
  schema: S,
  body: ContractOf<S>,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  const parsed = schema.safeParse(body);
  const dropped = parsed.success ? droppedFields(body, parsed.data) : [];
  const problem = !parsed.success
    ? `A stubbed answer breaks its contract: ${JSON.stringify(parsed.error)}`
    : dropped.length > 0
      ? `A stubbed answer has fields its contract does not know: ${dropped.join(', ')}`
      : null;
  if (problem) {
    // Thrown inside fetch, this would only look like a network error to the app; the list makes it fail the test.
    brokenStubs.push(problem);
    throw new Error(problem);
  }
  return json(status, body, headers);
}

/** An answer without a body (204). */
export const noContent = () => new Response(null, { status: 204 });

/** The api's one error shape, `{ error: { code, message, details? } }`. */
export function apiError(
  status: number,
  code: string,
  message: string,
  details?: Record<string, unknown>,
  headers?: Record<string, string>,
): Response {
  return json(status, { error: { code, message, ...(details ? { details } : {}) } }, headers);
}

export const unauthenticated = () => apiError(401, 'unauthenticated', 'Sign in to continue');

export interface RecordedCall {
  method: string;
  path: string;
  init: RequestInit | undefined;
  body: unknown;
}

type Handler = (call: RecordedCall) => Response | Promise<Response>;

/** Answers every page may ask for, unless a test stubs them itself: this Catalyst is a mothership. */
const DEFAULT_ROUTES: Record<string, Handler> = {
  'GET /api/v1/meta': () => answer(metaSchema, { mode: 'mothership' }),
};

/**
 * Replaces global fetch with a fake api: `routes` maps "METHOD /path" to a handler, or to a list
 * of handlers used one per call (the last one repeats). Any other request fails the test.
 * `GET /api/v1/meta` answers a mothership unless `routes` has it.
 */
export function stubApi(routes: Record<string, Handler | Handler[]>) {
  const calls: RecordedCall[] = [];
  const counts = new Map<string, number>();
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = url.replace(/^https?:\/\/[^/]+/, '');
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const call: RecordedCall = { method, path, init, body };
    calls.push(call);
    const key = `${method} ${path}`;
    const route = routes[key] ?? DEFAULT_ROUTES[key];
    if (!route) throw new Error(`Unexpected request: ${key}`);
    const count = counts.get(key) ?? 0;
    counts.set(key, count + 1);
    const handler = Array.isArray(route) ? route[Math.min(count, route.length - 1)] : route;
    if (!handler) throw new Error(`No handler for ${key}`);
    return handler(call);
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    fetchMock,
    calls,
    callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}
