import { AppError } from '../common/app-error.js';

/** Every refusal answers the same; why is in the log only, so a prober learns nothing. */
export const handoverRefused = () =>
  new AppError(
    401,
    'handover_refused',
    'This handover link is not valid. Ask for a new one or sign in with a code.',
  );

export const handoverNotConfigured = () =>
  new AppError(404, 'handover_not_configured', 'This Catalyst does not accept handover links');

/** Thrown inside the sign-in transaction when the token was already spent, so nothing is created. */
export class HandoverReplayed extends Error {
  constructor() {
    super('handover token already used');
    this.name = 'HandoverReplayed';
  }
}
