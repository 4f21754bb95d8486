import {
  checkoutRequestSchema,
  issueVoucherSchema,
  redeemPreviewRequestSchema,
  voucherCodeSchema,
} from '@catalyst/contracts';
import { z } from 'zod';
import { BillingController, CHECKOUT_LIMITS, PREVIEW_LIMIT } from '../../billing/billing.controller.js';
import { CheckoutService } from '../../billing/checkout.service.js';
import { VouchersService } from '../../billing/vouchers.service.js';
import { RateLimitService } from '../../ratelimit/rate-limit.service.js';
import { slugParam, TenantsController } from '../../tenants/tenants.controller.js';
import { TenantsService } from '../../tenants/tenants.service.js';
import { WalletsService } from '../../wallets/wallets.service.js';
import { defineTool } from '../tool.js';

/** Money: wallets, vouchers (a tenant previews and redeems them, a sovereign-admin issues, lists and revokes them). */
export const billingTools = [
  defineTool({
    name: 'get_org_wallet',
    description:
      'The balance (baisa and OMR) of the wallet an organisation’s apps are paid from; needs the owner or org-admin role. Free.',
    input: z.strictObject({ org: slugParam.describe('The organisation slug (see list_orgs)') }),
    route: { controller: TenantsController, method: 'wallet' },
    orgField: 'org',
    readOnly: true,
    handler(ctx, input) {
      return ctx.get(TenantsService).wallet(input.org, ctx.caller.principal);
    },
  }),
  defineTool({
    name: 'get_wallet_ledger',
    description: 'Your own wallet: balance and every credit and charge (the ledger), newest first. Free.',
    input: z.strictObject({}),
    route: { controller: BillingController, method: 'wallet' },
    readOnly: true,
    handler(ctx) {
      return ctx.get(WalletsService).statement(ctx.caller.principal.userId);
    },
  }),
  defineTool({
    name: 'preview_voucher',
    description:
      'What a voucher code gives (credit, description) and whether it still takes redemptions, without redeeming it. Free; counted against the same per-address budget as the web page.',
    input: redeemPreviewRequestSchema,
    route: { controller: BillingController, method: 'preview' },
    readOnly: true,
    async handler(ctx, input) {
      await ctx.get(RateLimitService).consume(PREVIEW_LIMIT, ctx.caller.ip);
      const { preview, accepting } = await ctx.get(VouchersService).preview(input.code);
      return { ...preview, acceptingRedemptions: accepting };
    },
  }),
  defineTool({
    name: 'redeem_voucher',
    description:
      'Checks out a plan with a voucher (promoCode): credits the voucher to your wallet, creates the organisation when it is new (orgName/orgSlug, poolDomain) and charges the plan. Uses up one redemption of the voucher; a voucher redeems once per customer.',
    input: checkoutRequestSchema,
    route: { controller: BillingController, method: 'checkout' },
    orgField: 'orgSlug',
    async handler(ctx, input) {
      const limits = ctx.get(RateLimitService);
      await limits.consume(CHECKOUT_LIMITS.perUser, ctx.caller.principal.userId);
      await limits.consume(CHECKOUT_LIMITS.perIp, ctx.caller.ip);
      return ctx.get(CheckoutService).checkout(input, ctx.caller.principal);
    },
  }),
  defineTool({
    name: 'issue_voucher',
    description:
      'Creates a voucher, or updates the one with that code (sovereign-admin). creditBaisa is what each redemption credits (1 OMR = 1000 baisa); with recipientEmail the redeem link is mailed. Issuing costs nothing; each redemption later credits a tenant.',
    input: issueVoucherSchema,
    route: { controller: BillingController, method: 'issue' },
    async handler(ctx, input) {
      const { voucher, created } = await ctx.get(VouchersService).issue(input, ctx.caller.principal);
      return { ...voucher, created };
    },
  }),
  defineTool({
    name: 'list_vouchers',
    description:
      'Every voucher with its credit, redemptions so far, limits and redeem link (sovereign-admin). Free.',
    input: z.strictObject({}),
    route: { controller: BillingController, method: 'list' },
    readOnly: true,
    async handler(ctx) {
      return { vouchers: await ctx.get(VouchersService).list() };
    },
  }),
  defineTool({
    name: 'revoke_voucher',
    description:
      'Revokes a voucher so it takes no more redemptions (sovereign-admin); credit already redeemed stays. Free.',
    input: z.strictObject({ code: voucherCodeSchema }),
    route: { controller: BillingController, method: 'revoke' },
    async handler(ctx, input) {
      await ctx.get(VouchersService).revoke(input.code, ctx.caller.principal);
      return { code: input.code, revoked: true };
    },
  }),
];
