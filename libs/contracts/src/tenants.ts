import { z } from 'zod';
import { emailSchema } from './auth.js';

/**
 * A member's role in an organisation: its `owner` (who created it; the wallet is theirs) manages members and
 * the organisation itself; an `org-admin` manages environments and apps; a `member` uses them (reads only).
 */
export const orgRoles = ['owner', 'org-admin', 'member'] as const;
export const orgRoleSchema = z.enum(orgRoles);
export type OrgRole = z.infer<typeof orgRoleSchema>;
/** The roles an owner gives: an organisation has one owner. */
export const assignableOrgRoles = ['org-admin', 'member'] as const;
export const assignableOrgRoleSchema = z.enum(assignableOrgRoles, {
  message: 'The role is org-admin or member',
});
export type AssignableOrgRole = z.infer<typeof assignableOrgRoleSchema>;
/** Whether a role may create and delete environments and install, retry and uninstall apps. */
export const managesApps = (role: OrgRole): boolean => role === 'owner' || role === 'org-admin';

export const orgSchema = z.object({
  slug: z.string(),
  name: z.string(),
  fqdn: z.string(),
  role: orgRoleSchema,
  createdAt: z.iso.datetime(),
});
export type Org = z.infer<typeof orgSchema>;
export const orgListSchema = z.object({ orgs: z.array(orgSchema) });

/** GET /api/v1/orgs/:slug/members: who belongs to the organisation, oldest first. */
export const orgMemberSchema = z.object({
  userId: z.uuid(),
  email: z.string(),
  role: orgRoleSchema,
  joinedAt: z.iso.datetime(),
});
export type OrgMember = z.infer<typeof orgMemberSchema>;
export const orgMemberListSchema = z.object({ members: z.array(orgMemberSchema) });
/** POST /api/v1/orgs/:slug/members (owner): invites an e-mail with a role; 409 `already_member`. */
export const inviteOrgMemberSchema = z.strictObject({ email: emailSchema, role: assignableOrgRoleSchema });
export type InviteOrgMember = z.infer<typeof inviteOrgMemberSchema>;
/** PATCH /api/v1/orgs/:slug/members/:userId (owner). */
export const changeOrgMemberRoleSchema = z.strictObject({ role: assignableOrgRoleSchema });
export type ChangeOrgMemberRole = z.infer<typeof changeOrgMemberRoleSchema>;
/**
 * GET /api/v1/orgs/:slug/wallet (owner, org-admin): what the organisation's installs are paid from (its owner's
 * wallet), so whoever installs sees what is left. The ledger stays the owner's (GET /billing/wallet).
 */
export const orgWalletSchema = z.object({ balanceBaisa: z.number().int(), balanceOmr: z.string() });
export type OrgWallet = z.infer<typeof orgWalletSchema>;

export const environmentNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, {
    message: '1–31 lower-case letters, digits and hyphens, starting with a letter',
  });
export const createEnvironmentSchema = z.strictObject({ name: environmentNameSchema });
export const environmentSchema = z.object({ name: z.string(), createdAt: z.iso.datetime() });
export type Environment = z.infer<typeof environmentSchema>;
export const environmentListSchema = z.object({ environments: z.array(environmentSchema) });

/** GET /api/v1/tenant/slug-check: whether an organisation subdomain is free, and if not why (`taken`, a format message). */
export const slugCheckResponseSchema = z.object({ available: z.boolean(), reason: z.string().optional() });
export type SlugCheckResponse = z.infer<typeof slugCheckResponseSchema>;

export const catalogAppSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  monthlyPriceBaisa: z.number().int(),
  monthlyPriceOmr: z.string(),
  /** The Postgres-backed bundle: the app comes with its own PostgreSQL cluster. */
  postgres: z.boolean(),
});
export type CatalogApp = z.infer<typeof catalogAppSchema>;
export const catalogAppListSchema = z.object({ apps: z.array(catalogAppSchema) });

export const installAppSchema = z.strictObject({ appId: z.string().trim().min(1).max(64) });
/**
 * An installed app's life, as the cluster reports it: `installing` until its HelmRelease is Ready
 * (`running`) or has failed (`failed`, with Flux's message); `suspended` when the wallet could not pay
 * a month (the message says so); `uninstalling` until the release is gone, then `removed`.
 */
export const appStatuses = [
  'installing',
  'running',
  'failed',
  'suspended',
  'uninstalling',
  'removed',
] as const;
export type AppStatus = (typeof appStatuses)[number];
export const appInstallSchema = z.object({
  id: z.uuid(),
  appId: z.string(),
  environment: z.string(),
  url: z.string(),
  status: z.enum(appStatuses),
  /** Why it failed (Flux's message) or is suspended; null otherwise. */
  message: z.string().nullable(),
  monthlyPriceBaisa: z.number().int(),
  /** Paid up to this instant; null until the app first runs (it is charged when it starts running). */
  paidUntil: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type AppInstall = z.infer<typeof appInstallSchema>;
export const appInstallListSchema = z.object({ apps: z.array(appInstallSchema) });

/** GET /api/v1/tenant/pool-domains: the parent domains a new organization may be named under. */
export const tenantPoolDomainsSchema = z.object({ poolDomains: z.array(z.string()) });
export type TenantPoolDomains = z.infer<typeof tenantPoolDomainsSchema>;

export const bssTenantSchema = z.object({
  slug: z.string(),
  name: z.string(),
  owner: z.string(),
  fqdn: z.string(),
  balanceBaisa: z.number().int(),
  balanceOmr: z.string(),
  /** What the org's running (and suspended) apps cost a month. */
  monthlyRunRateBaisa: z.number().int(),
  monthlyRunRateOmr: z.string(),
  suspendedApps: z.array(z.object({ appId: z.string(), environment: z.string() })),
  createdAt: z.iso.datetime(),
});
export const bssTenantListSchema = z.object({ tenants: z.array(bssTenantSchema) });
export const bssOrderSchema = z.object({
  id: z.uuid(),
  customer: z.string(),
  org: z.string().nullable(),
  planId: z.string(),
  totalBaisa: z.number().int(),
  totalOmr: z.string(),
  promoCode: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export const bssOrderListSchema = z.object({ orders: z.array(bssOrderSchema) });
export const bssSettingsSchema = z.object({
  publicUrl: z.string(),
  marketplaceUrl: z.string(),
  tenantPoolDomains: z.array(z.string()),
  sovereignPoolDomains: z.array(z.string()),
  /** Catalyst's authoritative nameservers: where a customer delegates their own domain. */
  nameservers: z.array(z.string()).default([]),
  mailMode: z.enum(['smtp', 'dev-outbox']),
  eventsMode: z.enum(['nats', 'in-process']),
  plans: z.array(z.object({ id: z.string(), name: z.string(), priceOmr: z.string() })),
});
export type BssTenant = z.infer<typeof bssTenantSchema>;
export type BssOrder = z.infer<typeof bssOrderSchema>;
export type BssSettings = z.infer<typeof bssSettingsSchema>;
