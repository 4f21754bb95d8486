import {
  accessTokenListSchema,
  type CreateTokenRequest,
  createdTokenSchema,
  createTokenRequestSchema,
  tokenIdSchema,
} from '@catalyst/contracts';
import { Controller, Delete, Get, Header, HttpCode, Post } from '@nestjs/common';
import { CurrentUser, type Principal } from '../auth/roles.decorator.js';
import { Returns, ZodBody, ZodParam } from '../common/validation.js';
import { TokensService } from './tokens.service.js';

/** A signed-in user's personal access tokens for agents (docs/mcp.md); each user sees and revokes only their own. */
@Controller('api/v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  /** The token is in this answer only: it is not stored, so nothing may cache it. */
  @Post()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @Returns(createdTokenSchema, 201)
  create(@ZodBody(createTokenRequestSchema) body: CreateTokenRequest, @CurrentUser() user: Principal) {
    return this.tokens.create(body, user);
  }

  @Get()
  @Returns(accessTokenListSchema)
  async list(@CurrentUser() user: Principal) {
    return { tokens: await this.tokens.list(user) };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@ZodParam('id', tokenIdSchema) id: string, @CurrentUser() user: Principal) {
    await this.tokens.revoke(id, user);
  }
}
