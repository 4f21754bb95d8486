import type { RunContext } from './run-context.js';

/** Tells the operator where the new Sovereign's console is and who signs in first. */
export async function handover(ctx: RunContext): Promise<void> {
  await ctx.log(
    'handover',
    `${ctx.fqdn} is ready: https://console.${ctx.fqdn} (first sovereign-admin ${ctx.request.adminEmail})`,
  );
}
