import { z } from 'zod';
import { catalystModeSchema } from './meta.js';

export const roles = ['superadmin', 'sovereign-admin', 'org-admin', 'member'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** Trimmed, lower-cased e-mail address: the identity of a user. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Enter a valid e-mail address' }).max(254));

export const pinRequestSchema = z.strictObject({ email: emailSchema });
export type PinRequest = z.infer<typeof pinRequestSchema>;

export const pinSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, { message: 'The code is 6 digits' });

export const pinVerifySchema = z.strictObject({ email: emailSchema, pin: pinSchema });
export type PinVerify = z.infer<typeof pinVerifySchema>;

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  roles: z.array(roleSchema),
  createdAt: z.iso.datetime(),
});
export type User = z.infer<typeof userSchema>;

export const sessionResponseSchema = z.object({ user: userSchema });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/** `GET /auth/me`: the signed-in user and which role of the product this Catalyst plays. */
export const meResponseSchema = sessionResponseSchema.extend({ mode: catalystModeSchema });
export type MeResponse = z.infer<typeof meResponseSchema>;

export const pinRequestedSchema = z.object({ message: z.string() });

export const teamMemberSchema = userSchema.extend({ lastSignInAt: z.iso.datetime().nullable() });
export type TeamMember = z.infer<typeof teamMemberSchema>;
export const teamListSchema = z.object({ users: z.array(teamMemberSchema) });
