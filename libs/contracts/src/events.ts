import { z } from 'zod';

/**
 * Typed domain events. The event type is also the NATS subject it is published on,
 * so every name lives under `catalyst.` (the JetStream stream `CATALYST` holds `catalyst.>`).
 */
export const domainEventPayloadSchemas = {
  'catalyst.tenant.created': z.object({
    orgId: z.string(),
    slug: z.string(),
    name: z.string(),
    ownerUserId: z.string(),
  }),
  'catalyst.tenant.deleted': z.object({
    orgId: z.string(),
    slug: z.string(),
    fqdn: z.string(),
    poolDomain: z.string(),
  }),
  'catalyst.tenant.updated': z.object({ orgId: z.string(), slug: z.string(), changes: z.array(z.string()) }),
  'catalyst.order.placed': z.object({
    orderId: z.string(),
    userId: z.string(),
    planId: z.string(),
    totalBaisa: z.number().int(),
    orgId: z.string().optional(),
  }),
  'catalyst.invoice.paid': z.object({
    invoiceId: z.string(),
    orderId: z.string(),
    amountBaisa: z.number().int(),
  }),
  'catalyst.voucher.issued': z.object({
    code: z.string(),
    creditBaisa: z.number().int(),
    issuedBy: z.string(),
  }),
  'catalyst.voucher.redeemed': z.object({
    code: z.string(),
    userId: z.string(),
    orderId: z.string(),
    creditBaisa: z.number().int(),
  }),
  'catalyst.deployment.status': z.object({ deploymentId: z.string(), fqdn: z.string(), status: z.string() }),
  // A tenant's apps: requests (consumed to do the cluster work) and what the cluster reported.
  'catalyst.app.install-requested': z.object({ installId: z.string(), orgId: z.string(), appId: z.string() }),
  'catalyst.app.retry-requested': z.object({ installId: z.string() }),
  'catalyst.app.uninstall-requested': z.object({ installId: z.string() }),
  'catalyst.app.running': z.object({ installId: z.string(), orgId: z.string(), appId: z.string() }),
  'catalyst.app.failed': z.object({
    installId: z.string(),
    orgId: z.string(),
    appId: z.string(),
    message: z.string(),
  }),
  'catalyst.app.suspended': z.object({
    installId: z.string(),
    orgId: z.string(),
    appId: z.string(),
    reason: z.string(),
  }),
  'catalyst.app.resume-requested': z.object({ installId: z.string() }),
  'catalyst.app.removed': z.object({ installId: z.string(), orgId: z.string(), appId: z.string() }),
  'catalyst.environment.delete-requested': z.object({
    environmentId: z.string(),
    orgId: z.string(),
    namespace: z.string(),
  }),
} as const;

export type DomainEventType = keyof typeof domainEventPayloadSchemas;
export const domainEventTypes = Object.keys(domainEventPayloadSchemas) as DomainEventType[];
export type DomainEventPayload<T extends DomainEventType> = z.infer<(typeof domainEventPayloadSchemas)[T]>;

/** An event as delivered to in-process listeners and published to NATS. */
export interface DomainEvent<T extends DomainEventType = DomainEventType> {
  id: string;
  type: T;
  occurredAt: string;
  payload: DomainEventPayload<T>;
}

export const eventStreamName = 'CATALYST';
export const eventSubjectPrefix = 'catalyst.';
