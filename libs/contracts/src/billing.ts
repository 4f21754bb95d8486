import { z } from 'zod';

/** 1 OMR = 1000 baisa; money is integer baisa everywhere, with a decimal string for display. */
export function omr(baisa: number): string {
  const sign = baisa < 0 ? '-' : '';
  const abs = Math.abs(baisa);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

export const voucherCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{3,64}$/, { message: 'Use 3–64 letters, digits and hyphens' });

export const issueVoucherSchema = z.strictObject({
  code: voucherCodeSchema,
  creditBaisa: z.number().int().positive({ message: 'The credit must be more than 0' }).max(1_000_000_000),
  description: z.string().trim().max(500).default(''),
  active: z.boolean().default(true),
  maxRedemptions: z.number().int().min(0, { message: '0 means unlimited' }).max(1_000_000).default(0),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  recipientEmail: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'Enter a valid e-mail address' }))
    .optional(),
});
export type IssueVoucher = z.infer<typeof issueVoucherSchema>;

export const voucherSchema = z.object({
  code: z.string(),
  creditBaisa: z.number().int(),
  creditOmr: z.string(),
  description: z.string(),
  active: z.boolean(),
  maxRedemptions: z.number().int(),
  timesRedeemed: z.number().int(),
  expiresAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  redeemUrl: z.string(),
});
export type Voucher = z.infer<typeof voucherSchema>;
export const voucherListSchema = z.object({ vouchers: z.array(voucherSchema) });
/** The answer to DELETE /billing/vouchers/revoke/:code: the code that no longer redeems. */
export const voucherRevokedSchema = z.object({ code: z.string(), revoked: z.literal(true) });
export type VoucherRevoked = z.infer<typeof voucherRevokedSchema>;

export const redeemPreviewRequestSchema = z.strictObject({
  code: z.string().trim().toUpperCase().min(1).max(64),
});
export const redeemPreviewSchema = z.object({
  code: z.string(),
  creditBaisa: z.number().int(),
  creditOmr: z.string(),
  description: z.string(),
  acceptingRedemptions: z.boolean(),
});
export type RedeemPreview = z.infer<typeof redeemPreviewSchema>;

export const planSchema = z.object({
  id: z.string(),
  name: z.string(),
  priceBaisa: z.number().int(),
  priceOmr: z.string(),
});
export const planListSchema = z.object({ plans: z.array(planSchema) });

export const orgSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9-]{2,30}$/, {
    message: '3–31 lower-case letters, digits and hyphens, starting with a letter',
  });

export const checkoutRequestSchema = z.strictObject({
  planId: z.string().trim().min(1).max(64),
  promoCode: voucherCodeSchema.optional(),
  orgName: z.string().trim().min(1).max(100).optional(),
  orgSlug: orgSlugSchema.optional(),
  poolDomain: z.string().trim().toLowerCase().optional(),
});
export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

export const checkoutResponseSchema = z.object({
  orderId: z.uuid(),
  org: z.object({ slug: z.string(), fqdn: z.string() }),
  balanceBaisa: z.number().int(),
  balanceOmr: z.string(),
});
export type CheckoutResponse = z.infer<typeof checkoutResponseSchema>;

export const walletSchema = z.object({
  balanceBaisa: z.number().int(),
  balanceOmr: z.string(),
  entries: z.array(
    z.object({
      amountBaisa: z.number().int(),
      amountOmr: z.string(),
      reason: z.string(),
      createdAt: z.iso.datetime(),
    }),
  ),
});
export type Wallet = z.infer<typeof walletSchema>;
