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

/**
 * A user on the console's Team page. `roles` is what their sessions act with; of those, `assignedRoles` were given by
 * an admin (or a handover) and can be removed there, `configuredRoles` come from CATALYST_ADMIN_EMAILS and go only
 * when the configuration changes.
 */
export const teamMemberSchema = userSchema.extend({
  lastSignInAt: z.iso.datetime().nullable(),
  assignedRoles: z.array(roleSchema),
  configuredRoles: z.array(roleSchema),
});
export type TeamMember = z.infer<typeof teamMemberSchema>;
export const teamListSchema = z.object({ users: z.array(teamMemberSchema) });

/** Roles an admin assigns and removes on the Team page (`superadmin` comes only from CATALYST_ADMIN_EMAILS). */
export const assignableRoles = ['sovereign-admin'] as const satisfies readonly Role[];
export const assignableRoleSchema = z.enum(assignableRoles);
export type AssignableRole = z.infer<typeof assignableRoleSchema>;

/** `POST /api/v1/users/invitations`: mails `email` an invitation, creating the user if new, with `roles` assigned. */
export const invitationRequestSchema = z.strictObject({
  email: emailSchema,
  roles: z.array(assignableRoleSchema).max(assignableRoles.length).default([]),
});
export type InvitationRequest = z.infer<typeof invitationRequestSchema>;

/** The answer of an invitation and of a role assigned or removed: the user as the Team page lists them. */
export const teamMemberResponseSchema = z.object({ user: teamMemberSchema });
export type TeamMemberResponse = z.infer<typeof teamMemberResponseSchema>;

/** A user's id in a path (`/api/v1/users/:id/...`). */
export const userIdSchema = z.uuid({ message: 'Not a user id' });
