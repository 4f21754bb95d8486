import { z } from 'zod';

/** The names no Sovereign may take under a pool domain: they are the control plane's own hosts. */
export const DEFAULT_RESERVED_SUBDOMAINS = [
  'api',
  'admin',
  'console',
  'gitea',
  'harbor',
  'keycloak',
  'www',
  'mail',
  'smtp',
  'imap',
  'vpn',
  'openova',
  'catalyst',
  'docs',
  'status',
  'app',
  'system',
  'openbao',
  'vault',
  'flux',
  'k8s',
] as const;

/** A pool subdomain: one lower-case RFC 1035 label. */
export const SUBDOMAIN_LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
/** A label of a customer's own domain (RFC 1123: may start with a digit, e.g. 1password.com). */
const DOMAIN_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export function isSubdomainLabel(value: string): boolean {
  return value.length >= 1 && value.length <= 63 && SUBDOMAIN_LABEL.test(value);
}

export function isDomainName(value: string): boolean {
  const labels = value.split('.');
  return (
    value.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => label.length <= 63 && DOMAIN_LABEL.test(label)) &&
    /[a-z]/.test(labels[labels.length - 1] ?? '')
  );
}

const normalized = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value) => value.replace(/\.$/, ''));

export const subdomainLabelSchema = normalized.refine(isSubdomainLabel, {
  message:
    'Use 1–63 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen',
});

export const domainNameSchema = normalized.refine(isDomainName, {
  message: 'Enter a domain name such as cloud.example.com (at most 253 characters)',
});

export const subdomainCheckReasons = ['invalid-format', 'unsupported-pool', 'reserved', 'taken'] as const;
export type SubdomainCheckReason = (typeof subdomainCheckReasons)[number];

/** The check answers every name with a reason instead of a 400, so the wizard can explain it inline. */
export const subdomainCheckRequestSchema = z.strictObject({
  poolDomain: normalized,
  subdomain: z.string().trim().toLowerCase().max(253),
});
export type SubdomainCheckRequest = z.infer<typeof subdomainCheckRequestSchema>;

export const subdomainCheckResponseSchema = z.object({
  available: z.boolean(),
  fqdn: z.string().optional(),
  reason: z.enum(subdomainCheckReasons).optional(),
  message: z.string().optional(),
});
export type SubdomainCheckResponse = z.infer<typeof subdomainCheckResponseSchema>;

export const reservationRequestSchema = z.strictObject({
  poolDomain: normalized,
  subdomain: z.string().trim().toLowerCase().max(253),
});
export type ReservationRequest = z.infer<typeof reservationRequestSchema>;

export const reservationSchema = z.object({
  reservationId: z.uuid(),
  fqdn: z.string(),
  expiresAt: z.iso.datetime(),
});
export type Reservation = z.infer<typeof reservationSchema>;

export const commitRequestSchema = z.strictObject({
  loadBalancerIP: z.ipv4({ message: 'Enter the IPv4 address of the load balancer' }),
});
export type CommitRequest = z.infer<typeof commitRequestSchema>;

export const commitResponseSchema = z.object({
  fqdn: z.string(),
  state: z.literal('active'),
  loadBalancerIP: z.string(),
});

export const domainModes = ['pool', 'byo-manual', 'byo-api'] as const;
export type DomainMode = (typeof domainModes)[number];

export const allocationSchema = z.object({
  fqdn: z.string(),
  mode: z.enum(domainModes),
  poolDomain: z.string().optional(),
  subdomain: z.string().optional(),
  state: z.enum(['reserved', 'active']),
  loadBalancerIP: z.string().optional(),
  expiresAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  committedAt: z.iso.datetime().optional(),
});
export type Allocation = z.infer<typeof allocationSchema>;

export const allocationListQuerySchema = z.strictObject({ poolDomain: normalized.optional() });
export const allocationListSchema = z.object({ allocations: z.array(allocationSchema) });

export const releaseResponseSchema = z.object({ fqdn: z.string(), released: z.literal(true) });

export const registrarIds = ['cloudflare', 'namecheap', 'godaddy', 'ovh', 'dynadot'] as const;
export const registrarIdSchema = z.enum(registrarIds);
export type RegistrarId = z.infer<typeof registrarIdSchema>;

export const registrarStatuses = [
  'valid',
  'invalid',
  'insufficient',
  'not-in-account',
  'rate-limited',
  'unavailable',
  'unsupported',
] as const;
export type RegistrarStatus = (typeof registrarStatuses)[number];

export const credentialFieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  secret: z.boolean(),
  optional: z.boolean(),
  hint: z.string(),
});
export type CredentialField = z.infer<typeof credentialFieldSchema>;

export const registrarInfoSchema = z.object({
  id: registrarIdSchema,
  name: z.string(),
  credentialFields: z.array(credentialFieldSchema),
  /** Can delegate a name below a domain in the account (NS records at a label). */
  subdomainDelegation: z.boolean(),
  /** Can point a whole registered domain at other nameservers. */
  apexDelegation: z.boolean(),
  propagationHint: z.string(),
});
export type RegistrarInfo = z.infer<typeof registrarInfoSchema>;
export const registrarListSchema = z.object({ registrars: z.array(registrarInfoSchema) });

/** Credentials are checked by the registrar's own schema; values are strings, never echoed back. */
export const registrarCredentialsSchema = z.record(z.string(), z.string().max(4096));

export const registrarValidateRequestSchema = z.strictObject({
  domain: domainNameSchema,
  credentials: registrarCredentialsSchema,
});
export type RegistrarValidateRequest = z.infer<typeof registrarValidateRequestSchema>;

export const registrarValidateResponseSchema = z.object({
  status: z.enum(registrarStatuses),
  message: z.string(),
  /** The domain in the account the name lives in, and the label below it (absent for the apex). */
  zone: z.string().optional(),
  label: z.string().optional(),
});
export type RegistrarValidateResponse = z.infer<typeof registrarValidateResponseSchema>;
