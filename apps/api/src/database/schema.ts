// Every table of the api, for the typed drizzle client and drizzle-kit.
export * from '../audit/audit.schema.js';
export * from '../auth/auth.schema.js';
export * from '../billing/billing.schema.js';
export * from '../deployments/deployments.schema.js';
export * from '../domains/domains.schema.js';
export * from '../events/events.schema.js';
export * from '../handover/handover.schema.js';
export * from '../mail/mail.schema.js';
export * from '../ratelimit/rate-limit.schema.js';
export * from '../tenants/tenants.schema.js';
export * from '../tokens/tokens.schema.js';
export * from '../wallets/wallets.schema.js';
