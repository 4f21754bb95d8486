import { AppError, NotFoundError } from '../common/app-error.js';

/** Another org's workspace does not exist for a non-member: 404, not 403, so nothing leaks. */
export const orgNotFound = () => new NotFoundError('No such organization', 'org_not_found');

/** A member whose role in the org does not allow the action (e.g. a `member` installing an app). */
export const orgRoleRequired = (roles: readonly string[]) =>
  new AppError(403, 'org_role_required', `This needs the role ${roles.join(' or ')} in the organization`, {
    roles: [...roles],
  });

export const alreadyMember = (email: string, org: string) =>
  new AppError(409, 'already_member', `${email} already belongs to ${org}`);

export const memberNotFound = () =>
  new NotFoundError('No such member of the organization', 'member_not_found');

/** The owner holds the org and its wallet: their membership is neither changed nor removed. */
export const ownerMembershipFixed = () =>
  new AppError(409, 'owner_membership_fixed', "The owner's membership cannot be changed or removed");
