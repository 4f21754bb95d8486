import { accessTokenListSchema, type CreateTokenRequest, createdTokenSchema } from '@catalyst/contracts';
import { request } from '../../lib/http';

const TOKENS = '/api/v1/tokens';

/** The signed-in user's access tokens, newest first, revoked ones included: GET /api/v1/tokens. */
export async function listTokens(signal?: AbortSignal) {
  return (await request(TOKENS, { schema: accessTokenListSchema, signal })).tokens;
}

/** Creates a token; the answer carries the token text, this once: POST /api/v1/tokens. */
export function createToken(body: CreateTokenRequest) {
  return request(TOKENS, { method: 'POST', body, schema: createdTokenSchema });
}

/** Revokes one of the user's tokens (already revoked: nothing changes): DELETE /api/v1/tokens/:id. */
export function revokeToken(id: string) {
  return request(`${TOKENS}/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
