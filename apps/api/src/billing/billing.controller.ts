import {
  type CheckoutRequest,
  checkoutRequestSchema,
  checkoutResponseSchema,
  type IssueVoucher,
  issueVoucherSchema,
  omr,
  planListSchema,
  plans,
  redeemPreviewRequestSchema,
  redeemPreviewSchema,
  voucherCodeSchema,
  voucherListSchema,
  voucherSchema,
  walletSchema,
} from '@catalyst/contracts';
import { Controller, Delete, Get, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, type Principal, Public, Roles } from '../auth/roles.decorator.js';
import { ValidationError } from '../common/app-error.js';
import { Returns, ZodBody, ZodParam } from '../common/validation.js';
import { RateLimitService } from '../ratelimit/rate-limit.service.js';
import { WalletsService } from '../wallets/wallets.service.js';
import { CheckoutService } from './checkout.service.js';
import { VouchersService } from './vouchers.service.js';

export const PREVIEW_LIMIT = { name: 'voucher-preview:ip', limit: 60, windowSeconds: 60 };

/**
 * Voucher codes are bearer codes and checkout redeems them: it is budgeted per customer and per
 * client address, so neither one account nor many accounts from one place can try codes at speed.
 */
export const CHECKOUT_LIMITS = {
  perUser: { name: 'checkout:user', limit: 10, windowSeconds: 15 * 60 },
  perIp: { name: 'checkout:ip', limit: 30, windowSeconds: 15 * 60 },
};

@Controller('billing')
export class BillingController {
  constructor(
    private readonly vouchers: VouchersService,
    private readonly checkoutService: CheckoutService,
    private readonly rateLimits: RateLimitService,
    private readonly wallets: WalletsService,
  ) {}

  /** Creates (201) or updates (200) a voucher; with a recipient, mails the redeem link. */
  @Post('vouchers/issue')
  @Roles('superadmin', 'sovereign-admin')
  @Returns(voucherSchema, 201)
  async issue(
    @ZodBody(issueVoucherSchema) body: IssueVoucher,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { voucher, created } = await this.vouchers.issue(body, user);
    reply.status(created ? 201 : 200);
    return voucher;
  }

  @Get('vouchers/list')
  @Roles('superadmin', 'sovereign-admin')
  @Returns(voucherListSchema)
  async list() {
    return { vouchers: await this.vouchers.list() };
  }

  @Delete('vouchers/revoke/:code')
  @Roles('superadmin', 'sovereign-admin')
  async revoke(@ZodParam('code', voucherCodeSchema) code: string, @CurrentUser() user: Principal) {
    await this.vouchers.revoke(code, user);
    return { code, revoked: true };
  }

  /** Public: what a voucher gives, without its counts. 410 with the same body when it takes no more. */
  @Post('vouchers/redeem-preview')
  @Public()
  @HttpCode(200)
  @Returns(redeemPreviewSchema)
  async preview(
    @ZodBody(redeemPreviewRequestSchema) body: { code: string },
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.rateLimits.consume(PREVIEW_LIMIT, reply.request.ip);
    const { preview, accepting } = await this.vouchers.preview(body.code);
    if (!accepting) reply.status(410);
    return preview;
  }

  @Get('plans')
  @Public()
  @Returns(planListSchema)
  plans() {
    return { plans: plans.map((p) => ({ ...p, priceOmr: omr(p.priceBaisa) })) };
  }

  @Post('checkout')
  @HttpCode(200)
  @Returns(checkoutResponseSchema)
  async checkout(
    @ZodBody(checkoutRequestSchema) body: CheckoutRequest,
    @CurrentUser() user: Principal,
    @Req() request: FastifyRequest,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    if (idempotencyKey !== undefined && !/^[\w-]{8,128}$/.test(idempotencyKey)) {
      throw new ValidationError([{ path: 'Idempotency-Key', message: 'Use 8–128 letters, digits, _ or -' }]);
    }
    await this.rateLimits.consume(CHECKOUT_LIMITS.perUser, user.userId);
    await this.rateLimits.consume(CHECKOUT_LIMITS.perIp, request.ip);
    return this.checkoutService.checkout(body, user, idempotencyKey);
  }

  @Get('wallet')
  @Returns(walletSchema)
  wallet(@CurrentUser() user: Principal) {
    return this.wallets.statement(user.userId);
  }
}
