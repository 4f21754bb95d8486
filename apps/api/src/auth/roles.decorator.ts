import type { Role } from '@catalyst/contracts';
import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';

export const ROLES_KEY = 'catalyst:roles';
export const PUBLIC_KEY = 'catalyst:public';

/** The route needs a session holding at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The route is open without a session (every other route needs one). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Who is calling: set by the AuthGuard on every authenticated request. */
export interface Principal {
  userId: string;
  email: string;
  roles: Role[];
  sessionId: string;
}

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined => {
    return ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal;
  },
);
