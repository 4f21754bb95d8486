import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Public } from '../auth/roles.decorator.js';
import { SessionCookie } from '../auth/session-cookie.js';
import { ZodQuery } from '../common/validation.js';
import { HandoverService } from './handover.service.js';
import { MAX_TOKEN_LENGTH } from './handover-token.js';

/** A missing or over-long token is a refused token (401), not a validation error. */
const handoverQuerySchema = z.strictObject({
  token: z
    .string()
    .optional()
    .transform((t) => (t && t.length <= MAX_TOKEN_LENGTH ? t : '')),
});

@Controller('auth')
export class HandoverController {
  constructor(
    private readonly handover: HandoverService,
    private readonly cookie: SessionCookie,
  ) {}

  /** The handover link: signs the Sovereign's admin in and sends the browser to the console. */
  @Get('handover')
  @Public()
  async handoverSignIn(
    @ZodQuery(handoverQuerySchema) query: z.infer<typeof handoverQuerySchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { token, expiresAt } = await this.handover.signIn(query.token);
    this.cookie.set(reply, token, expiresAt);
    reply.code(303).header('location', '/console/').header('cache-control', 'no-store');
  }
}
