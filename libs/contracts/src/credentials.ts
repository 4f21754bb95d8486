import { z } from 'zod';

/** The cloud providers the wizard can name; only Hetzner Cloud can be provisioned on today. */
export const cloudProviderNames = {
  hetzner: 'Hetzner Cloud',
  huawei: 'Huawei Cloud',
  oci: 'Oracle Cloud (OCI)',
  aws: 'Amazon Web Services',
  azure: 'Microsoft Azure',
} as const;

const HETZNER_TOKEN = /^[A-Za-z0-9]{64}$/;
const HETZNER_TOKEN_MESSAGE =
  'Hetzner API tokens are 64 characters; create one under Security → API tokens with Read & Write';

/**
 * A Hetzner Cloud API token: exactly 64 letters and digits (the hcloud tofu provider refuses any
 * other length). The value is never put in an issue message.
 */
export const hetznerTokenSchema = z
  .string({ error: HETZNER_TOKEN_MESSAGE })
  .trim()
  .regex(HETZNER_TOKEN, { error: HETZNER_TOKEN_MESSAGE });

/** A Hetzner Cloud project ID: the number in the Console URL (`/projects/1234567`). */
export const hetznerProjectIdSchema = z
  .string({ error: 'Enter the Hetzner project ID' })
  .trim()
  .regex(/^\d{1,20}$/, {
    error: 'The Hetzner project ID is the number in the Console URL (…/projects/1234567)',
  });

function unavailableProviderMessage(input: unknown): string {
  const name =
    typeof input === 'string' && Object.hasOwn(cloudProviderNames, input)
      ? cloudProviderNames[input as keyof typeof cloudProviderNames]
      : 'That provider';
  return `${name} is not available yet; Catalyst provisions on Hetzner Cloud today`;
}

export const credentialsValidateRequestSchema = z.strictObject({
  provider: z
    .string({ error: 'Choose a cloud provider' })
    .trim()
    .toLowerCase()
    .pipe(z.literal('hetzner', { error: (issue) => unavailableProviderMessage(issue.input) })),
  token: hetznerTokenSchema,
  /** Accepted for the wizard's sake; a token is bound to one project and cannot be asked which. */
  projectId: hetznerProjectIdSchema.optional(),
});
export type CredentialsValidateRequest = z.infer<typeof credentialsValidateRequestSchema>;

/**
 * `valid`: the token reads and writes its project. `read-only`: it works but cannot create the
 * servers (a Read & Write token is needed). `invalid`: Hetzner rejected it. `unreachable` and
 * `rate-limited` say nothing about the token: try again later.
 */
export const credentialsStatuses = ['valid', 'invalid', 'read-only', 'unreachable', 'rate-limited'] as const;
export type CredentialsStatus = (typeof credentialsStatuses)[number];

export const credentialsValidateResponseSchema = z.object({
  valid: z.boolean(),
  status: z.enum(credentialsStatuses),
  message: z.string(),
});
export type CredentialsValidateResponse = z.infer<typeof credentialsValidateResponseSchema>;
