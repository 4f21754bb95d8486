import { type ComponentState, expectedKitReleases, kitTimeoutScale } from '@catalyst/contracts';
import { type ComponentStatus, KitWatchFailed } from '../../helmwatch/helmwatch.service.js';
import { PhaseFailed } from '../deployments.errors.js';
import { deliverSovereignMail } from '../sovereign-mail.js';
import { loadStoredKubeconfig } from '../stored-kubeconfig.js';
import type { RunContext } from './run-context.js';

/** Follows every expected bootstrap-kit HelmRelease to Ready; each state change is a `component` event. */
export async function bootstrapKit(ctx: RunContext): Promise<void> {
  const { config, repo, sealer, helm, logger } = ctx.deps;
  const row = await repo.get(ctx.row.id);
  if (!row?.sealedKubeconfig)
    throw new PhaseFailed('No kubeconfig: the flux-bootstrap phase has not completed');
  const kubeconfig = loadStoredKubeconfig(row, sealer, config.deployments.kubeApiPort);
  await deliverSovereignMail(ctx, kubeconfig);
  const expected = expectedKitReleases(row.installSet);
  await ctx.writes.seedComponents(expected);
  const known = new Map<string, ComponentStatus>(
    (await repo.components(ctx.row.id)).map((c) => [
      c.componentId,
      { state: c.state as ComponentState, ...(c.message ? { message: c.message } : {}) },
    ]),
  );
  const scale = kitTimeoutScale(expected.length);
  const firstSeenTimeoutMs = Math.round(config.deployments.firstSeenTimeoutSeconds * 1000 * scale);
  const watchTimeoutMs = Math.round(config.deployments.watchTimeoutSeconds * 1000 * scale);
  await ctx.log(
    'bootstrap-kit',
    `Watching ${expected.length} bootstrap-kit HelmReleases (up to ${Math.round(watchTimeoutMs / 60_000)} min): ${expected.join(', ')}`,
  );
  try {
    await helm.watchKit(kubeconfig, {
      expected,
      known,
      firstSeenTimeoutMs,
      watchTimeoutMs,
      signal: ctx.signal,
      logger: logger.child({ deploymentId: ctx.row.id }),
      onChange: async (component, status) => {
        await ctx.writes.setComponent(component, status.state, status.message ?? null);
        await ctx.emit({
          type: 'component',
          component,
          state: status.state,
          ...(status.message ? { message: status.message } : {}),
        });
      },
    });
  } catch (error) {
    if (error instanceof KitWatchFailed) throw new PhaseFailed(error.message);
    throw error;
  }
}
