import {
  type CredentialsValidateRequest,
  type CredentialsValidateResponse,
  credentialsValidateRequestSchema,
  credentialsValidateResponseSchema,
} from '@catalyst/contracts';
import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import type { Logger } from 'pino';
import { CurrentUser, type Principal, Roles } from '../auth/roles.decorator.js';
import { LOGGER } from '../common/tokens.js';
import { Returns, ZodBody } from '../common/validation.js';
import { RateLimitService } from '../ratelimit/rate-limit.service.js';
import { HetznerClient } from './hetzner.client.js';

/** Each check makes two calls on the customer's Hetzner project, whose budget is 3600 an hour. */
const VALIDATE_LIMIT = { name: 'credentials-validate:user', limit: 20, windowSeconds: 60 };

@Controller('api/v1/credentials')
@Roles('superadmin', 'sovereign-admin')
export class CredentialsController {
  constructor(
    private readonly hetzner: HetznerClient,
    private readonly rateLimits: RateLimitService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The wizard's Credentials step: is the cloud token good, and may it create servers? Never echoed. */
  @Post('validate')
  @HttpCode(200)
  @Returns(credentialsValidateResponseSchema)
  async validate(
    @ZodBody(credentialsValidateRequestSchema) body: CredentialsValidateRequest,
    @CurrentUser() user: Principal,
  ): Promise<CredentialsValidateResponse> {
    await this.rateLimits.consume(VALIDATE_LIMIT, user.userId);
    const check = await this.hetzner.validateToken(body.token);
    this.logger.info(
      { provider: body.provider, status: check.status, hetznerCorrelationId: check.correlationId },
      'cloud credentials checked',
    );
    return { valid: check.status === 'valid', status: check.status, message: check.message };
  }
}
