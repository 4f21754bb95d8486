import { AppError } from '../common/app-error.js';

/**
 * Checkout's voucher refusals: each a 422 with a code the screens branch on and words for people.
 * (A wallet that does not cover the plan is refused by WalletsService: wallets/wallets.errors.ts.)
 */
export const checkoutErrors = {
  notFound: () => new AppError(422, 'voucher_not_found', 'This voucher code does not exist'),
  inactive: () => new AppError(422, 'voucher_inactive', 'This voucher is not active'),
  expired: () => new AppError(422, 'voucher_expired', 'This voucher has expired'),
  exhausted: () => new AppError(422, 'voucher_exhausted', 'This voucher has been fully redeemed'),
  alreadyRedeemed: () =>
    new AppError(422, 'voucher_already_redeemed', 'You have already redeemed this voucher'),
  /** The voucher kept changing (e.g. its credit) while the checkout ran, attempt after attempt: rare. */
  changed: () =>
    new AppError(409, 'voucher_changed', 'This voucher changed while you redeemed it; try again'),
};

export const voucherNotFound = () => new AppError(404, 'voucher_not_found', 'No such voucher');
