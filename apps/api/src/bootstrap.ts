import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyInstance, LogController } from 'fastify';
import { AppModule, type Runtime } from './app.module.js';
import { ErrorFilter } from './common/error.filter.js';
import { answerFrameworkError } from './common/framework-errors.js';
import { PinoNestLogger } from './common/nest-logger.js';
import { requestContext } from './common/request-context.js';
import { registerSecurityHeaders } from './common/security-headers.js';
import { fastifyTrustProxy } from './common/trust-proxy.js';
import { registerLiveness } from './health/liveness.js';
import { MetricsService } from './health/metrics.service.js';
import { SpaFallback } from './web/spa.js';

/** Where the built SPA lives relative to this file, in the repo and in the image alike. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Builds the Nest application on Fastify from a prepared runtime; used by main.ts and by tests. */
export async function createApp(
  runtime: Runtime,
  options: { webDir?: string; extraModules?: Type[] } = {},
): Promise<NestFastifyApplication> {
  const webDir = options.webDir ?? DEFAULT_WEB_DIR;
  const adapter = new FastifyAdapter({
    loggerInstance: runtime.logger,
    requestIdHeader: 'x-request-id',
    logController: new LogController({ requestIdLogLabel: 'reqId' }),
    trustProxy: fastifyTrustProxy(runtime.config.trustProxy),
    bodyLimit: runtime.config.http.bodyLimitBytes,
    // Slow senders are cut off: the whole request must arrive within this (a long SSE response is
    // not affected, its request is complete at once), and a silent connection is closed.
    requestTimeout: runtime.config.http.requestTimeoutMs,
    connectionTimeout: runtime.config.http.idleTimeoutMs,
    // A broken %-escape or an over-long path parameter is refused by the router before any route: in the one error shape.
    frameworkErrors: answerFrameworkError,
    // No Express-style middleware is used (Fastify hooks do that work), so @fastify/middie and the
    // hook it runs on every request are left out.
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(runtime, options.extraModules),
    adapter,
    {
      logger: new PinoNestLogger(runtime.logger),
      bufferLogs: false,
    },
  );
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;

  registerSecurityHeaders(fastify, runtime.config.publicUrl);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    requestContext.run({ reqId: String(request.id) }, done);
  });
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  registerLiveness(fastify);
  await app.register(fastifyCookie);
  // cloud-init PUTs the kubeconfig back as YAML; it is read as text and checked by the service.
  fastify.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml'],
    { parseAs: 'string' },
    (_req, body, done) => done(null, body),
  );
  const spa = await SpaFallback.register(fastify, webDir);
  if (!spa) runtime.logger.warn({ webDir }, 'no built SPA found: serving the api only (run `npm run build`)');
  app.useGlobalFilters(new ErrorFilter(runtime.logger, spa));
  app.enableShutdownHooks();
  await app.init();
  return app;
}
