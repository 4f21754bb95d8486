import { type Meta, metaSchema } from '@catalyst/contracts';
import { request } from '../../lib/http';

/** Which role of the product this Catalyst plays (public: the SPA needs it before anyone signs in). */
export function meta(signal?: AbortSignal): Promise<Meta> {
  return request('/api/v1/meta', { schema: metaSchema, signal });
}
