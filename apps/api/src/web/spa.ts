import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NotFoundFallback } from '../common/error.filter.js';

/** Paths that belong to the api: an unknown one is a JSON 404, never the SPA. */
const API_PREFIXES = ['/api/', '/auth/', '/billing/'];
const API_PATHS = ['/api', '/auth', '/billing', '/healthz', '/readyz', '/metrics'];

/** Vite names every file under assets/ by its content hash, so a URL there never changes meaning. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, favicon, logos) is revalidated by ETag on every use. */
const REVALIDATE = 'no-cache';

export function isApiPath(url: string): boolean {
  const path = url.split('?')[0] ?? '/';
  return API_PATHS.includes(path) || API_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/**
 * Serves the built SPA: hashed assets as immutable files, and index.html for any other GET a
 * browser makes outside the api, so deep links such as /sovereign/wizard load the app. Files are
 * sent precompressed: the `.br` / `.gz` siblings the web build writes (apps/web/scripts/compress.mjs)
 * are chosen by the request's Accept-Encoding (q-values honoured, `vary: accept-encoding` always),
 * falling back to the next encoding, then to the plain file, when a sibling is missing.
 */
export class SpaFallback implements NotFoundFallback {
  static async register(app: FastifyInstance, webDir: string): Promise<SpaFallback | undefined> {
    if (!existsSync(join(webDir, 'index.html'))) return undefined;
    const assetsDir = join(webDir, 'assets') + sep;
    await app.register(fastifyStatic, {
      root: webDir,
      prefix: '/',
      wildcard: false,
      index: false,
      preCompressed: true,
      // The siblings are reached through their original's URL only, never by their own.
      globIgnore: ['**/*.br', '**/*.gz'],
      setHeaders: (res, path) => {
        res.header('cache-control', path.startsWith(assetsDir) ? IMMUTABLE : REVALIDATE);
      },
    });
    const fallback = new SpaFallback();
    // Client routes are answered here, before the router gives up: the way through Nest's not-found
    // error costs several times the file itself on the sign-in page's first request. Whatever this
    // does not take (api paths, non-HTML requests) gets the usual 404 in the one error shape.
    app.route({
      method: ['GET', 'HEAD'],
      url: '/*',
      handler: (request, reply) => (fallback.handle(request, reply) ? reply : reply.callNotFound()),
    });
    return fallback;
  }

  handle(request: FastifyRequest, reply: FastifyReply): boolean {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (isApiPath(request.url)) return false;
    const accept = request.headers.accept ?? '';
    if (accept && !accept.includes('text/html') && !accept.includes('*/*')) return false;
    // Through the same negotiation, headers and ETag as the file served at /index.html.
    reply.status(200).sendFile('index.html');
    return true;
  }
}
