import { type Health, healthSchema } from '@catalyst/contracts';
import type { FastifyInstance } from 'fastify';

export const LIVENESS_PATH = '/healthz';
const ALIVE: Health = healthSchema.parse({ status: 'ok' });
const ALIVE_BODY = JSON.stringify(ALIVE);

/**
 * The process is alive: no dependency is checked, since a database outage must not restart pods.
 * Probes call this every few seconds on every replica, so it is a plain Fastify route answering a
 * body serialised once, outside Nest's per-request pipeline (guards, interceptors, filters), which
 * would triple its cost for nothing. The global hooks still apply: security headers, request id and
 * the request metrics. The OpenAPI document lists it by hand (OpenApiService).
 */
export function registerLiveness(fastify: FastifyInstance): void {
  fastify.get(LIVENESS_PATH, (_request, reply) => {
    reply.type('application/json; charset=utf-8').send(ALIVE_BODY);
  });
}
