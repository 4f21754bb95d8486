import { AppError } from '../common/app-error.js';

/** A debit the wallet does not cover: a 422 with what was needed and what there is. */
export const insufficientCredit = (neededBaisa: number, balanceBaisa: number) =>
  new AppError(422, 'insufficient_credit', 'Your wallet does not cover this', {
    neededBaisa,
    balanceBaisa,
  });
