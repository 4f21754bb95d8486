import type { ErrorBody } from '@catalyst/contracts';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppError } from './app-error.js';

/** Fastify's own errors (body parsing, limits) carry a status and an FST_* code. */
interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const FRAMEWORK_CODES: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'malformed_json', message: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'malformed_json',
    message: 'The request body is empty but declared as JSON',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'Send the body as application/json',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'The request body is too large' },
};

const HTTP_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
};

/** Something the filter can hand an unmatched GET to, so deep links into the SPA load it. */
export interface NotFoundFallback {
  handle(request: FastifyRequest, reply: FastifyReply): boolean;
}

/**
 * Turns every error into the one error shape. Client mistakes keep their message; anything
 * unexpected is logged with its stack and answered with a generic 500 — no stack leaves the process.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly fallback?: NotFoundFallback,
  ) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent) return;

    const { status, body, headers } = this.describe(exception, request);
    if (status === 404 && this.fallback?.handle(request, reply)) return;
    if (status >= 500) {
      this.logger.error({ err: exception, reqId: request.id, url: request.url }, 'request failed');
    }
    for (const [name, value] of Object.entries(headers ?? {})) reply.header(name, value);
    reply.status(status).type('application/json').send(body);
  }

  private describe(
    exception: unknown,
    request: FastifyRequest,
  ): { status: number; body: ErrorBody; headers?: Record<string, string> } {
    if (exception instanceof AppError) {
      return {
        status: exception.status,
        body: { error: { code: exception.code, message: exception.message, details: exception.details } },
        headers: exception.headers,
      };
    }
    // Nest wraps Fastify's own client errors (bad JSON, wrong media type) in an HttpException.
    const cause =
      exception instanceof HttpException ? (exception.cause as FrameworkError | undefined) : undefined;
    if (cause?.code?.startsWith('FST_')) return describeFrameworkError(cause);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) {
        return error(404, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}`);
      }
      return status >= 500
        ? error(500, 'internal_error', 'Something went wrong on our side')
        : error(status, HTTP_CODES[status] ?? 'bad_request', exception.message);
    }
    const framework = exception as FrameworkError;
    if (typeof framework?.statusCode === 'number' && framework.statusCode < 500)
      return describeFrameworkError(framework);
    return error(500, 'internal_error', 'Something went wrong on our side');
  }
}

function describeFrameworkError(framework: FrameworkError) {
  const status = framework.statusCode && framework.statusCode < 500 ? framework.statusCode : 400;
  const known = framework.code ? FRAMEWORK_CODES[framework.code] : undefined;
  return error(
    status,
    known?.code ?? HTTP_CODES[status] ?? 'bad_request',
    known?.message ?? 'The request could not be read',
  );
}

function error(status: number, code: string, message: string) {
  return { status, body: { error: { code, message } } };
}
