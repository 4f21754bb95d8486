import {
  meResponseSchema,
  type PinRequest,
  type PinVerify,
  pinRequestedSchema,
  pinRequestSchema,
  pinVerifySchema,
  sessionResponseSchema,
} from '@catalyst/contracts';
import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Returns, ZodBody } from '../common/validation.js';
import { CONFIG, type Config } from '../config/config.js';
import { AuthService } from './auth.service.js';
import { CurrentUser, type Principal, Public } from './roles.decorator.js';
import { SessionCookie } from './session-cookie.js';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookie: SessionCookie,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post('pin/request')
  @Public()
  @HttpCode(202)
  @Returns(pinRequestedSchema, 202)
  async requestPin(@ZodBody(pinRequestSchema) body: PinRequest, @Req() request: FastifyRequest) {
    await this.auth.requestPin(body.email, request.ip);
    return { message: 'If the address can receive mail, a sign-in code is on its way.' };
  }

  @Post('pin/verify')
  @Public()
  @HttpCode(200)
  @Returns(sessionResponseSchema)
  async verifyPin(
    @ZodBody(pinVerifySchema) body: PinVerify,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { user, token, expiresAt } = await this.auth.verifyPin(body.email, body.pin, request.ip);
    this.cookie.set(reply, token, expiresAt);
    return { user };
  }

  /** The signed-in user, and which role of the product this Catalyst plays (CATALYST_MODE). */
  @Get('me')
  @Returns(meResponseSchema)
  async me(@CurrentUser() principal: Principal) {
    return { user: await this.auth.me(principal), mode: this.config.mode };
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentUser() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.auth.logout(principal);
    this.cookie.clear(reply);
  }
}
