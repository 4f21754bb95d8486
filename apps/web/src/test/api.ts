import type { User } from '@catalyst/contracts';
import { vi } from 'vitest';

export const testUser: User = {
  id: '3f1c2a4e-8b7d-4c6a-9e2f-1a2b3c4d5e6f',
  email: 'ada@example.com',
  roles: ['member'],
  createdAt: '2025-01-01T00:00:00.000Z',
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

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

/**
 * Replaces global fetch with a fake api: `routes` maps "METHOD /path" to a handler, or to a list
 * of handlers used one per call (the last one repeats). Any other request fails the test.
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
    const route = routes[key];
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
