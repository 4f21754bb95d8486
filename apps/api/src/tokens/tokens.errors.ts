import { NotFoundError, UnauthenticatedError } from '../common/app-error.js';

/** The access tokens' refusals: each a code the console branches on and words for people. */
export const tokensErrors = {
  /** Another user's token does not exist for the caller: 404, like an unknown id, so nothing leaks. */
  notFound: () => new NotFoundError('No such access token', 'token_not_found'),
  /**
   * One answer for every refused bearer (none, malformed, unknown, revoked, expired, its user gone), so a caller
   * learns nothing about which check failed.
   */
  refused: () =>
    new UnauthenticatedError(
      'The access token is missing, not valid, expired or revoked. Create a new one on the Access tokens page.',
    ),
};
