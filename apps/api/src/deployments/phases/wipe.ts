import { AppError } from '../../common/app-error.js';
import { PhaseFailed } from '../deployments.errors.js';
import { dropTofuState } from '../tofu-state-access.js';
import { removeWorkdir } from '../workdir.js';
import type { RunContext } from './run-context.js';
import { prepareWorkdir } from './tofu.js';
import { tofuCommand } from './tofu-command.js';

/** Destroys everything the run created, releases the name and forgets the state. */
export async function wipe(ctx: RunContext): Promise<void> {
  const log = (line: string) => ctx.log('wipe', line);
  if (!ctx.hetznerToken)
    throw new PhaseFailed('The wipe needs the Hetzner token; start it again with the token');
  await log(
    `Wiping ${ctx.fqdn}: destroying every cloud resource of this Sovereign` +
      (ctx.regions.length > 1 ? ` in ${ctx.regions.join(', ')}` : ''),
  );
  await prepareWorkdir(ctx, 'wipe');
  await tofuCommand(ctx, 'wipe', 'destroy', [
    'destroy',
    '-auto-approve',
    '-input=false',
    '-no-color',
    '-json',
    '-lock-timeout=10m',
  ]);
  await log('Cloud resources destroyed; releasing the DNS name');
  await ctx.writes.assertHeld();
  await ctx.deps.domains.release(ctx.fqdn).catch((error: unknown) => {
    if (!(error instanceof AppError && error.status === 404)) throw error;
  });
  await ctx.writes.transaction(async (tx) => {
    await dropTofuState(tx, ctx.stateSchema);
    // Every region's cluster is gone: its kubeconfig and addresses with it.
    await ctx.deps.repo.resetRegions(tx, ctx.row.id);
  });
  await removeWorkdir(ctx.workdir);
  await ctx.writes.update({ hasCloudResources: false, result: null, reservationId: null });
}
