import type { Role } from '@catalyst/contracts';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../common/app-error.js';
import { CONFIG, type Config } from '../config/config.js';
import { AuthService } from './auth.service.js';
import { assertSameOrigin } from './origin-check.js';
import { type Principal, PUBLIC_KEY, ROLES_KEY } from './roles.decorator.js';
import { SessionCookie } from './session-cookie.js';

/**
 * Global guard: every route needs a live session unless marked @Public(); @Roles() narrows it
 * further. 401 without a session, 403 with the wrong role.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** Origins whose pages may write with the session cookie, besides the request's own host. */
  private readonly trustedOrigins: string[];

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly cookie: SessionCookie,
    @Inject(CONFIG) config: Config,
  ) {
    this.trustedOrigins = [new URL(config.publicUrl).origin, new URL(config.marketplaceUrl).origin];
  }

  /** The session token of a request: a bearer header for scripts, else the cookie (then CSRF-checked). */
  private sessionTokenOf(request: FastifyRequest): string | undefined {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
    const token = this.cookie.read(request);
    if (token) assertSameOrigin(request, this.trustedOrigins);
    return token;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const token = this.sessionTokenOf(request);
    const principal = token ? await this.auth.authenticate(token) : undefined;
    if (!principal) throw new UnauthenticatedError();
    request.principal = principal;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required?.length && !required.some((role) => principal.roles.includes(role))) {
      throw new ForbiddenError(`This needs one of the roles: ${required.join(', ')}`);
    }
    return true;
  }
}
