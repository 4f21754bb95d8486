import type { Role, User } from '@catalyst/contracts';

/** Roles that may run the business side (vouchers, tenants, orders) of a sovereign. */
export const BSS_ROLES: readonly Role[] = ['sovereign-admin', 'superadmin'];

export function canUseBss(user: User | null | undefined): boolean {
  return !!user && user.roles.some((role) => BSS_ROLES.includes(role));
}
