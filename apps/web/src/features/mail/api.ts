import { type MailStatus, mailStatusSchema } from '@catalyst/contracts';
import { request } from '../../lib/http';

/** Whether this Catalyst delivers mail (public: the sign-in page needs it before anyone is signed in). */
export function mailStatus(signal?: AbortSignal): Promise<MailStatus> {
  return request('/api/v1/mail-status', { schema: mailStatusSchema, signal });
}
