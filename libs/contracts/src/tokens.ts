import { z } from 'zod';
import { orgSlugSchema } from './billing.js';

/** The longest life a personal access token may have, in days. */
export const MAX_TOKEN_DAYS = 90;
/** What the console's form proposes. */
export const DEFAULT_TOKEN_DAYS = 30;
/** Every personal access token starts with this, so a leaked one is recognisable (and secret scanners can match it). */
export const ACCESS_TOKEN_PREFIX = 'cat_pat_';

/**
 * `POST /api/v1/tokens`: a personal access token for an agent (docs/mcp.md). `orgSlug` narrows it to one organisation
 * the caller belongs to; without it, it acts wherever its owner may.
 */
export const createTokenRequestSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, { message: 'Give the token a name' })
    .max(64, { message: 'At most 64 characters' }),
  expiresInDays: z
    .number()
    .int({ message: 'A whole number of days' })
    .min(1, { message: 'At least 1 day' })
    .max(MAX_TOKEN_DAYS, { message: `At most ${MAX_TOKEN_DAYS} days` }),
  orgSlug: orgSlugSchema.optional(),
});
export type CreateTokenRequest = z.infer<typeof createTokenRequestSchema>;

/** A token as it is listed: never the token itself, never its hash. */
export const accessTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  orgSlug: z.string().optional(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().optional(),
  revokedAt: z.iso.datetime().optional(),
});
export type AccessToken = z.infer<typeof accessTokenSchema>;

/** The answer of a creation: the token itself, shown this once (only its SHA-256 is kept). */
export const createdTokenSchema = accessTokenSchema.extend({
  token: z.string().startsWith(ACCESS_TOKEN_PREFIX),
});
export type CreatedToken = z.infer<typeof createdTokenSchema>;

/** `GET /api/v1/tokens`: the caller's tokens, newest first, revoked ones included. */
export const accessTokenListSchema = z.object({ tokens: z.array(accessTokenSchema) });
export type AccessTokenList = z.infer<typeof accessTokenListSchema>;

/** A token's id in a path (`DELETE /api/v1/tokens/:id`). */
export const tokenIdSchema = z.uuid({ message: 'Not a token id' });
