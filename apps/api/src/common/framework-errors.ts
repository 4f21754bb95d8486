import type { ErrorBody } from '@catalyst/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fastify's router answers a few malformed requests itself, before any route, hook or Nest filter
 * runs: a path with a broken %-escape and a path parameter over the length limit. Its own answer
 * is not the one error shape, so this gives it one (Fastify's `frameworkErrors` option).
 */
export function answerFrameworkError(
  error: Error & { code?: string },
  _request: FastifyRequest,
  reply: FastifyReply,
) {
  const [status, body] = describe(error.code);
  reply.status(status).type('application/json').send(body);
}

function describe(code: string | undefined): [number, ErrorBody] {
  switch (code) {
    case 'FST_ERR_BAD_URL':
      return [
        400,
        { error: { code: 'bad_url', message: 'The address is not valid (a malformed %-escape?)' } },
      ];
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return [414, { error: { code: 'uri_too_long', message: 'A part of the address is too long' } }];
    default:
      return [500, { error: { code: 'internal_error', message: 'Something went wrong on our side' } }];
  }
}
