import { AppError, NotFoundError } from '../common/app-error.js';

/** The Team page's refusals: each a code the console branches on and words for people. */
export const teamErrors = {
  userNotFound: () => new NotFoundError('No such user', 'user_not_found'),
  /** `member` is everyone's, org roles are given inside an organization, `superadmin` only by the configuration. */
  notAssignable: (role: string) =>
    new AppError(
      422,
      'role_not_assignable',
      role === 'superadmin'
        ? 'The superadmin role comes only from CATALYST_ADMIN_EMAILS; edit the configuration to change it.'
        : `The ${role} role is not assigned on the Team page.`,
      { role },
    ),
  fromConfiguration: (role: string) =>
    new AppError(
      409,
      'role_from_configuration',
      `This user has the ${role} role because their e-mail is in CATALYST_ADMIN_EMAILS. Edit the configuration to remove it; it goes at their next sign-in.`,
      { role },
    ),
  lastAdmin: () =>
    new AppError(
      409,
      'last_admin',
      'This is the last administrator. Make someone else a sovereign-admin first, so the console is not left without one.',
    ),
};
