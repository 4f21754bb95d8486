import {
  bssOrderListSchema,
  bssSettingsSchema,
  bssTenantListSchema,
  type IssueVoucher,
  type Voucher,
  voucherListSchema,
  voucherRevokedSchema,
  voucherSchema,
} from '@catalyst/contracts';
import { request, requestWithStatus } from '../../lib/http';

export { ApiError, isApiError } from '../../lib/http';

export interface IssuedVoucher {
  voucher: Voucher;
  /** true for a new code (201), false when an existing code was updated (200). */
  created: boolean;
}

/** Issues a voucher, or updates the one with the same code; e-mails it when `recipientEmail` is set. */
export async function issueVoucher(input: IssueVoucher): Promise<IssuedVoucher> {
  const { status, data } = await requestWithStatus('/billing/vouchers/issue', {
    method: 'POST',
    body: input,
    schema: voucherSchema,
  });
  return { voucher: data, created: status === 201 };
}

export async function listVouchers(signal?: AbortSignal): Promise<Voucher[]> {
  const { vouchers } = await request('/billing/vouchers/list', { schema: voucherListSchema, signal });
  return vouchers;
}

/** Stops a voucher from being redeemed; rejects with 404 when it is unknown or already revoked. */
export async function revokeVoucher(code: string): Promise<void> {
  await request(`/billing/vouchers/revoke/${encodeURIComponent(code)}`, {
    method: 'DELETE',
    schema: voucherRevokedSchema,
  });
}

export async function listTenants(signal?: AbortSignal) {
  const { tenants } = await request('/api/v1/bss/tenants', { schema: bssTenantListSchema, signal });
  return tenants;
}

export async function listOrders(signal?: AbortSignal) {
  const { orders } = await request('/api/v1/bss/orders', { schema: bssOrderListSchema, signal });
  return orders;
}

export async function getSettings(signal?: AbortSignal) {
  return request('/api/v1/bss/settings', { schema: bssSettingsSchema, signal });
}
