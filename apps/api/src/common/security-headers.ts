import type { FastifyInstance } from 'fastify';

/**
 * One policy for every response. The SPA as built (apps/web/dist) loads only its own files: a module
 * script and a stylesheet, no inline script or <style>; React's `style` props go through the CSSOM,
 * which CSP does not restrict. Images may be inline SVG data URIs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers every response carries; HSTS only when people reach Catalyst over https. */
export function securityHeaders(publicUrl: string): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'cross-origin-opener-policy': 'same-origin',
    ...(publicUrl.startsWith('https:') ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

/**
 * Sets the headers on the raw response at the start of every request, so they reach responses that
 * bypass Fastify's reply (the hijacked SSE streams), 404s and static files alike.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, publicUrl: string): void {
  const headers = Object.entries(securityHeaders(publicUrl));
  fastify.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
