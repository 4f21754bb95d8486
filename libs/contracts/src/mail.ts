import { z } from 'zod';

export const outboxMailSchema = z.object({
  id: z.uuid(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  createdAt: z.iso.datetime(),
});
export type OutboxMail = z.infer<typeof outboxMailSchema>;
export const outboxListSchema = z.object({ mails: z.array(outboxMailSchema) });

/**
 * Public: whether this Catalyst delivers mail. `dev-outbox` means no mail leaves it (no SMTP_URL):
 * the console shows a banner, since sign-in codes and voucher mails only wait in the outbox.
 */
export const mailStatusSchema = z.object({ delivery: z.enum(['smtp', 'dev-outbox']) });
export type MailStatus = z.infer<typeof mailStatusSchema>;
