import type { Role } from '@catalyst/contracts';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../common/app-error.js';
import { AuthService } from './auth.service.js';
import { type Principal, PUBLIC_KEY, ROLES_KEY } from './roles.decorator.js';

export const SESSION_COOKIE = 'catalyst_session';

/** The session token of a request: the cookie for browsers, a bearer header for scripts. */
export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return request.cookies?.[SESSION_COOKIE];
}

/**
 * Global guard: every route needs a live session unless marked @Public(); @Roles() narrows it
 * further. 401 without a session, 403 with the wrong role.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const token = sessionTokenOf(request);
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
