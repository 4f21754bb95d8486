import { logTailLinesSchema, retryRequestSchema, subdomainCheckRequestSchema } from '@catalyst/contracts';
import { z } from 'zod';
import { BssController } from '../../bss/bss.controller.js';
import { BssService } from '../../bss/bss.service.js';
import { ComponentsService } from '../../deployments/components.service.js';
import { DeploymentsController, deploymentIdParam } from '../../deployments/deployments.controller.js';
import { DeploymentsService } from '../../deployments/deployments.service.js';
import { CHECK_LIMIT, DomainsController } from '../../domains/domains.controller.js';
import { DomainsService } from '../../domains/domains.service.js';
import { RateLimitService } from '../../ratelimit/rate-limit.service.js';
import { defineTool } from '../tool.js';

const deploymentId = deploymentIdParam.describe('The deployment id (see list_deployments)');

/** The Sovereign admin's tools: the business (tenants, orders) and the provisioning runs. */
export const adminTools = [
  defineTool({
    name: 'list_tenants',
    description: 'Every tenant organisation with its owner, balance and apps (sovereign-admin). Free.',
    input: z.strictObject({}),
    route: { controller: BssController, method: 'tenantList' },
    readOnly: true,
    async handler(ctx) {
      return { tenants: await ctx.get(BssService).tenants() };
    },
  }),
  defineTool({
    name: 'list_orders',
    description: 'Every order (checkout) with its plan, voucher and amounts (sovereign-admin). Free.',
    input: z.strictObject({}),
    route: { controller: BssController, method: 'orders' },
    readOnly: true,
    async handler(ctx) {
      return { orders: await ctx.get(BssService).orders() };
    },
  }),
  defineTool({
    name: 'list_deployments',
    description: 'Every Sovereign provisioning run with its status and phases (sovereign-admin). Free.',
    input: z.strictObject({}),
    route: { controller: DeploymentsController, method: 'list' },
    readOnly: true,
    async handler(ctx) {
      return { deployments: await ctx.get(DeploymentsService).list() };
    },
  }),
  defineTool({
    name: 'get_deployment',
    description:
      'One provisioning run: status, every phase with its times and error, components, and the result (IPs, console URL) once ready (sovereign-admin). Free.',
    input: z.strictObject({ deploymentId }),
    route: { controller: DeploymentsController, method: 'get' },
    readOnly: true,
    handler(ctx, input) {
      return ctx.get(DeploymentsService).get(input.deploymentId);
    },
  }),
  defineTool({
    name: 'tail_deployment_log',
    description:
      'The last `lines` events (1–500, default 100) of a run’s log: phase changes, tofu output lines, resources, components — the same events the live log streams (sovereign-admin). Free; poll with a larger window or get_deployment for status.',
    input: z.strictObject({ deploymentId, lines: logTailLinesSchema }),
    route: { controller: DeploymentsController, method: 'logs' },
    readOnly: true,
    handler(ctx, input) {
      return ctx.get(DeploymentsService).tail(input.deploymentId, input.lines);
    },
  }),
  defineTool({
    name: 'list_deployment_components',
    description:
      'The bootstrap-kit components of a run and their state as the cluster last reported it (sovereign-admin). Free.',
    input: z.strictObject({ deploymentId }),
    route: { controller: DeploymentsController, method: 'components' },
    readOnly: true,
    async handler(ctx, input) {
      return { components: await ctx.get(ComponentsService).list(input.deploymentId) };
    },
  }),
  defineTool({
    name: 'retry_deployment',
    description:
      'Retries a failed phase (re-runs the run from that phase; a tofu phase may create or change cloud resources, which the Hetzner project is billed for) or a bootstrap-kit component (asks Flux to reconcile its HelmRelease again). `phase` is a phase name or a component id; hetznerToken only when the run no longer holds one; region narrows a component retry (sovereign-admin). Returns the run at once; poll get_deployment.',
    input: z.strictObject({ deploymentId, phase: z.string().max(64), ...retryRequestSchema.shape }),
    route: { controller: DeploymentsController, method: 'retry' },
    handler(ctx, input) {
      const { deploymentId: id, phase, ...body } = input;
      return ctx.get(DeploymentsService).retry(id, phase, body, ctx.caller.principal);
    },
  }),
  defineTool({
    name: 'cancel_deployment',
    description:
      'Cancels a queued or running provisioning run (sovereign-admin). Cloud resources already created stay (and stay billed by Hetzner) until the Sovereign is wiped. Returns the run.',
    input: z.strictObject({ deploymentId }),
    route: { controller: DeploymentsController, method: 'cancel' },
    handler(ctx, input) {
      return ctx.get(DeploymentsService).cancel(input.deploymentId, ctx.caller.principal);
    },
  }),
  defineTool({
    name: 'check_pool_name',
    description:
      'Whether `<subdomain>.<poolDomain>` is free for a new Sovereign, and if not why (invalid-format, unsupported-pool, reserved, taken). Free; counted against the same per-user budget as the wizard.',
    input: subdomainCheckRequestSchema,
    route: { controller: DomainsController, method: 'check' },
    readOnly: true,
    async handler(ctx, input) {
      await ctx.get(RateLimitService).consume(CHECK_LIMIT, ctx.caller.principal.userId);
      return ctx.get(DomainsService).check(input.poolDomain, input.subdomain);
    },
  }),
];
