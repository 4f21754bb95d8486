import { type OrgRole, orgRoles } from '@catalyst/contracts';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/roles.decorator.js';
import { orgNotFound, orgRoleRequired } from './tenants.errors.js';
import { type OrgRow, TenantsRepository } from './tenants.repository.js';

/** Who may do what in an organization (docs/architecture.md, "Organisation members"). */
export const orgAccess = {
  /** Lists and reads: environments, apps and their status, the members. */
  read: orgRoles,
  /** Creates and deletes environments; installs, retries and uninstalls apps; sees the org's balance. */
  manageApps: ['owner', 'org-admin'],
  /** Deletes the organization; invites, changes and removes members. */
  own: ['owner'],
} as const satisfies Record<string, readonly OrgRole[]>;

/** The one place an org-scoped action checks the caller's membership and role. */
@Injectable()
export class OrgAccess {
  constructor(private readonly repo: TenantsRepository) {}

  /**
   * The org of `slug` and the caller's role in it, when that role is one of `roles`. A non-member gets 404
   * `org_not_found` (the org does not exist for them); a member without the role 403 `org_role_required`.
   */
  async requireOrgRole(
    slug: string,
    user: Principal,
    roles: readonly OrgRole[],
  ): Promise<{ org: OrgRow; role: OrgRole }> {
    const membership = await this.repo.membership(slug, user.userId);
    if (!membership) throw orgNotFound();
    if (!roles.includes(membership.role)) throw orgRoleRequired(roles);
    return membership;
  }
}
