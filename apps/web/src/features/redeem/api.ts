import {
  type CheckoutRequest,
  type CheckoutResponse,
  checkoutResponseSchema,
  type RedeemPreview,
  redeemPreviewSchema,
  type SlugCheckResponse,
  slugCheckResponseSchema,
  tenantPoolDomainsSchema,
} from '@catalyst/contracts';
import { request } from '../../lib/http';

export { ApiError, isApiError } from '../../lib/http';

/** The plan a voucher is redeemed on: the free one, so the whole credit lands in the wallet. */
export const REDEEM_PLAN_ID = 'starter';

/**
 * What a voucher is worth, without signing in. Resolves for 200, and for 410 (same body,
 * `acceptingRedemptions: false`); rejects with 404 `voucher_not_found` for unknown or revoked codes.
 */
export async function redeemPreview(code: string, signal?: AbortSignal): Promise<RedeemPreview> {
  return request('/billing/vouchers/redeem-preview', {
    method: 'POST',
    body: { code },
    schema: redeemPreviewSchema,
    acceptStatuses: [410],
    signal,
  });
}

/** Whether an organisation subdomain is free (signed-in). */
export async function checkSlug(slug: string, signal?: AbortSignal): Promise<SlugCheckResponse> {
  return request(`/api/v1/tenant/slug-check?slug=${encodeURIComponent(slug)}`, {
    schema: slugCheckResponseSchema,
    signal,
  });
}

/** The parent domains a new organisation may be named under (signed-in); the first is the default. */
export async function listPoolDomains(signal?: AbortSignal): Promise<string[]> {
  const { poolDomains } = await request('/api/v1/tenant/pool-domains', {
    schema: tenantPoolDomainsSchema,
    signal,
  });
  return poolDomains;
}

/**
 * Buys a plan, here with a voucher as the promo code, creating the organisation. The same
 * Idempotency-Key makes a retried request (after a lost answer) count once.
 */
export async function checkout(input: CheckoutRequest, idempotencyKey: string): Promise<CheckoutResponse> {
  return request('/billing/checkout', {
    method: 'POST',
    body: input,
    schema: checkoutResponseSchema,
    headers: { 'idempotency-key': idempotencyKey },
  });
}
