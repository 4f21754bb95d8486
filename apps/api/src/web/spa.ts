import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NotFoundFallback } from '../common/error.filter.js';

/** Paths that belong to the api: an unknown one is a JSON 404, never the SPA. */
const API_PREFIXES = ['/api/', '/auth/', '/billing/'];
const API_PATHS = ['/api', '/auth', '/billing', '/healthz', '/readyz', '/metrics'];

export function isApiPath(url: string): boolean {
  const path = url.split('?')[0] ?? '/';
  return API_PATHS.includes(path) || API_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/**
 * Serves the built SPA: hashed assets as immutable files, and index.html for any other GET a
 * browser makes outside the api, so deep links such as /sovereign/wizard load the app.
 */
export class SpaFallback implements NotFoundFallback {
  private constructor(private readonly indexHtml: string) {}

  static async register(app: FastifyInstance, webDir: string): Promise<SpaFallback | undefined> {
    const indexPath = join(webDir, 'index.html');
    if (!existsSync(indexPath)) return undefined;
    await app.register(fastifyStatic, {
      root: webDir,
      prefix: '/',
      wildcard: false,
      index: false,
      setHeaders: (res, path) => {
        res.header(
          'cache-control',
          path.includes(`${join(webDir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
    return new SpaFallback(readFileSync(indexPath, 'utf8'));
  }

  handle(request: FastifyRequest, reply: FastifyReply): boolean {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (isApiPath(request.url)) return false;
    const accept = request.headers.accept ?? '';
    if (accept && !accept.includes('text/html') && !accept.includes('*/*')) return false;
    reply
      .status(200)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(this.indexHtml);
    return true;
  }
}
