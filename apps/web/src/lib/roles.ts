import type { CatalystMode, Role, User } from '@catalyst/contracts';

/** Roles that may run the business side (vouchers, tenants, orders) of a sovereign. */
export const BSS_ROLES: readonly Role[] = ['sovereign-admin', 'superadmin'];

/** Roles the api lets provision (its DEPLOYMENT_ROLES); only a mothership offers it at all. */
const PROVISION_ROLES: readonly Role[] = ['superadmin', 'sovereign-admin'];

const holds = (user: User | null | undefined, roles: readonly Role[]) =>
  !!user && user.roles.some((role) => roles.includes(role));

export function canUseBss(user: User | null | undefined): boolean {
  return holds(user, BSS_ROLES);
}

/** The wizard, the fleet and "New Sovereign": a mothership's, for the roles the api lets provision. */
export function canProvision(user: User | null | undefined, mode: CatalystMode | undefined): boolean {
  return mode === 'mothership' && holds(user, PROVISION_ROLES);
}

export type LandingPath = '/sovereign/' | '/console/' | '/marketplace/';

/**
 * Where `/` and a sign-in without a destination lead: a superadmin of a mothership to the fleet (the
 * wizard), a sovereign-admin (or a superadmin of a Sovereign) to the console dashboard, a tenant
 * (member or org-admin only) to the marketplace.
 */
export function landingPath(user: User, mode: CatalystMode): LandingPath {
  if (mode === 'mothership' && user.roles.includes('superadmin')) return '/sovereign/';
  if (canUseBss(user)) return '/console/';
  return '/marketplace/';
}

export interface NavItem {
  to: '/sovereign/' | '/console/' | '/bss/' | '/marketplace/';
  label: string;
}

/**
 * The top navigation: only what the signed-in role may use (the api refuses the rest). Signed out,
 * the marketplace alone; the Sovereign tab waits until the mode is known.
 */
export function navItemsFor(user: User | null | undefined, mode: CatalystMode | undefined): NavItem[] {
  const items: NavItem[] = [];
  if (canProvision(user, mode)) items.push({ to: '/sovereign/', label: 'Sovereign' });
  if (canUseBss(user)) {
    items.push({ to: '/console/', label: 'Console' }, { to: '/bss/', label: 'BSS' });
  }
  items.push({ to: '/marketplace/', label: 'Marketplace' });
  return items;
}
