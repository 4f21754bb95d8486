import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/app-error.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class BadOriginError extends AppError {
  constructor() {
    super(403, 'bad_origin', 'This request came from another site. Use Catalyst from its own address.');
  }
}

/** The origin a browser names for a request: its Origin header, else the origin of its Referer. */
function claimedOrigin(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== '') return origin;
  const referer = request.headers.referer;
  if (typeof referer !== 'string' || referer === '') return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

/**
 * Cross-site request forgery guard for cookie-authenticated writes. Browsers always send Origin on
 * a cross-origin POST/PUT/PATCH/DELETE (and a Referer unless told not to), so a named origin that is
 * neither a configured address (`trusted`, e.g. PUBLIC_URL and MARKETPLACE_URL) nor this request's
 * own host is refused. A request naming no origin at all cannot come from another site's page
 * (that is a script or curl holding the cookie itself), so it passes.
 */
export function assertSameOrigin(request: FastifyRequest, trusted: readonly string[]): void {
  if (!STATE_CHANGING.has(request.method)) return;
  const claimed = claimedOrigin(request);
  if (claimed === undefined) return;
  let url: URL;
  try {
    url = new URL(claimed);
  } catch {
    throw new BadOriginError();
  }
  if (trusted.includes(url.origin)) return;
  if (url.host.toLowerCase() === request.host?.toLowerCase()) return;
  throw new BadOriginError();
}
