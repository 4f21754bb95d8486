import { z } from 'zod';

/**
 * How the Sovereign's Catalyst talks to its SMTP server: `starttls` upgrades a plain connection and
 * refuses to go on without TLS (usually port 587), `tls` is TLS from the first byte (SMTPS, usually
 * 465), `none` sends in the clear (port 25 inside a trusted network only).
 */
export const smtpSecurities = ['starttls', 'tls', 'none'] as const;
export type SmtpSecurity = (typeof smtpSecurities)[number];
export const defaultSmtpPorts: Record<SmtpSecurity, number> = { starttls: 587, tls: 465, none: 25 };

/** A DNS name (one label is fine: a cluster service) or an IPv4 address. */
const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
/** A display name nodemailer reads as one name: no address syntax (`<>@,;:"`), no line breaks. */
const DISPLAY_NAME = /^[^<>@,;:"\\\r\n\t]{1,100}$/;
const MAILBOX = /^\s*(?:([^<>]*?)\s*<([^<>]+)>|([^<>\s]+))\s*$/;
const NO_CONTROL = /^\P{Cc}*$/u;

const addressSchema = z.email();

/** Splits `Acme <no-reply@acme.example>` (or a bare address) into its parts; undefined when it is not a mailbox. */
export function parseMailbox(value: string): { name?: string; address: string } | undefined {
  const match = MAILBOX.exec(value);
  if (!match) return undefined;
  const name = match[1]?.trim();
  const address = (match[2] ?? match[3] ?? '').trim();
  if (!addressSchema.safeParse(address).success || address.length > 254) return undefined;
  if (name !== undefined && name !== '' && !DISPLAY_NAME.test(name)) return undefined;
  return { ...(name ? { name } : {}), address };
}

/** `Name <address>` written back in one canonical form (what MAIL_FROM carries). */
export function formatMailbox(mailbox: { name?: string; address: string }): string {
  return mailbox.name ? `${mailbox.name} <${mailbox.address}>` : mailbox.address;
}

export const mailboxSchema = z
  .string()
  .trim()
  .min(1, { message: 'Enter the sender, e.g. Acme <no-reply@acme.example>' })
  .max(360)
  .transform((value, ctx) => {
    const mailbox = parseMailbox(value);
    if (!mailbox) {
      ctx.addIssue({
        code: 'custom',
        message:
          'Enter a mailbox: an e-mail address, or a name and an address such as Acme <no-reply@acme.example>',
      });
      return z.NEVER;
    }
    return formatMailbox(mailbox);
  });

/**
 * The Sovereign's outbound mail (optional in a provision request): its Catalyst mails sign-in codes and
 * vouchers through it. The password is a secret: sealed in its own column, never stored with the request.
 */
export const sovereignSmtpSchema = z
  .strictObject({
    host: z
      .string()
      .trim()
      .toLowerCase()
      .min(1, { message: 'Enter the SMTP server, e.g. smtp.acme.example' })
      .regex(HOST, { message: 'Enter a host name such as smtp.acme.example, or an IPv4 address' }),
    port: z
      .number({ message: 'The port is a number from 1 to 65535' })
      .int({ message: 'The port is a whole number' })
      .min(1, { message: 'The port is a number from 1 to 65535' })
      .max(65535, { message: 'The port is a number from 1 to 65535' })
      .optional(),
    security: z.enum(smtpSecurities, { message: 'Choose starttls, tls or none' }).default('starttls'),
    username: z
      .string()
      .trim()
      .min(1, { message: 'Enter the user name' })
      .max(256, { message: 'Keep the user name under 256 characters' })
      .regex(NO_CONTROL, { message: 'The user name cannot hold control characters' })
      .optional(),
    password: z
      .string()
      .min(1, { message: 'Enter the password' })
      .max(512, { message: 'Keep the password under 512 characters' })
      .regex(NO_CONTROL, { message: 'The password cannot hold control characters' })
      .optional(),
    from: mailboxSchema,
  })
  // Runs beside the fields' own issues too, so a form shows every missing half at once.
  .superRefine(
    (smtp, ctx) => {
      if (smtp.password !== undefined && smtp.username === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['username'],
          message: 'Enter the user name that goes with the password (or leave both empty)',
        });
      if (smtp.username !== undefined && smtp.password === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['password'],
          message: 'Enter the password that goes with the user name (or leave both empty)',
        });
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
  .transform((smtp) => ({ ...smtp, port: smtp.port ?? defaultSmtpPorts[smtp.security] }));
export type SovereignSmtp = z.infer<typeof sovereignSmtpSchema>;
export type SovereignSmtpInput = z.input<typeof sovereignSmtpSchema>;
