import {
  type RegistrarValidateRequest,
  registrarListSchema,
  registrarValidateRequestSchema,
  registrarValidateResponseSchema,
} from '@catalyst/contracts';
import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser, type Principal, Roles } from '../../auth/roles.decorator.js';
import { Returns, ZodBody, ZodParam } from '../../common/validation.js';
import { RateLimitService } from '../../ratelimit/rate-limit.service.js';
import { RegistrarsService } from './registrars.service.js';

/** Each validation calls the registrar's API; keep a runaway client from burning the customer's quota. */
const VALIDATE_LIMIT = { name: 'registrar-validate:user', limit: 20, windowSeconds: 60 };

@Controller('api/v1/registrars')
@Roles('superadmin', 'sovereign-admin')
export class RegistrarsController {
  constructor(
    private readonly registrars: RegistrarsService,
    private readonly rateLimits: RateLimitService,
  ) {}

  @Get()
  @Returns(registrarListSchema)
  list() {
    return { registrars: this.registrars.list() };
  }

  /** Read-only: are the credentials good and is the domain in the account? Credentials are never echoed. */
  @Post(':id/validate')
  @HttpCode(200)
  @Returns(registrarValidateResponseSchema)
  async validate(
    @ZodParam('id', z.string().trim().toLowerCase().max(32)) id: string,
    @ZodBody(registrarValidateRequestSchema) body: RegistrarValidateRequest,
    @CurrentUser() user: Principal,
  ) {
    await this.rateLimits.consume(VALIDATE_LIMIT, user.userId);
    return this.registrars.validate(id, body.domain, body.credentials);
  }
}
