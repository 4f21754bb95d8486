import { type ComponentState, expectedKitReleases, kitTimeoutScale } from '@catalyst/contracts';
import { type ComponentStatus, KitWatchFailed } from '../../helmwatch/helmwatch.service.js';
import type { SovereignKubeconfig } from '../../helmwatch/kubeconfig.js';
import { PhaseFailed } from '../deployments.errors.js';
import { deliverSovereignMail } from '../sovereign-mail.js';
import { loadStoredKubeconfig } from '../stored-kubeconfig.js';
import { inEveryRegion } from './regions.js';
import type { RunContext } from './run-context.js';

/**
 * Follows every expected bootstrap-kit HelmRelease to Ready in every region at once (each region's cluster runs
 * the whole kit); each state change is a `component` event naming its region.
 */
export async function bootstrapKit(ctx: RunContext): Promise<void> {
  const { config, repo, sealer } = ctx.deps;
  const regions = await repo.regions(ctx.row.id);
  const missing = regions.filter((r) => !r.sealedKubeconfig).map((r) => r.region);
  if (missing.length) {
    throw new PhaseFailed(
      `No kubeconfig${ctx.regions.length > 1 ? ` from ${missing.join(', ')}` : ''}: the flux-bootstrap phase has not completed`,
    );
  }
  const kubeconfigs = new Map(
    regions.map((r) => [
      r.region,
      loadStoredKubeconfig(
        { ...r, id: ctx.row.id, fqdn: ctx.row.fqdn },
        sealer,
        config.deployments.kubeApiPort,
      ),
    ]),
  );
  await deliverSovereignMail(ctx, [...kubeconfigs.values()]);
  const expected = expectedKitReleases(ctx.row.installSet);
  const scale = kitTimeoutScale(expected.length);
  const timeouts = {
    firstSeenTimeoutMs: Math.round(config.deployments.firstSeenTimeoutSeconds * 1000 * scale),
    watchTimeoutMs: Math.round(config.deployments.watchTimeoutSeconds * 1000 * scale),
  };
  await ctx.log(
    'bootstrap-kit',
    `Watching ${expected.length} bootstrap-kit HelmReleases${ctx.regions.length > 1 ? ` in each of ${ctx.regions.join(', ')}` : ''} ` +
      `(up to ${Math.round(timeouts.watchTimeoutMs / 60_000)} min): ${expected.join(', ')}`,
  );
  await inEveryRegion(ctx, 'bootstrap-kit', (region) =>
    watchRegion(ctx, region, kubeconfigs.get(region) as SovereignKubeconfig, expected, timeouts),
  );
}

async function watchRegion(
  ctx: RunContext,
  region: string,
  kubeconfig: SovereignKubeconfig,
  expected: string[],
  timeouts: { firstSeenTimeoutMs: number; watchTimeoutMs: number },
): Promise<void> {
  const { repo, helm, logger } = ctx.deps;
  await ctx.writes.seedComponents(region, expected);
  const known = new Map<string, ComponentStatus>(
    (await repo.components(ctx.row.id, region)).map((c) => [
      c.componentId,
      { state: c.state as ComponentState, ...(c.message ? { message: c.message } : {}) },
    ]),
  );
  try {
    await helm.watchKit(kubeconfig, {
      expected,
      known,
      ...timeouts,
      signal: ctx.signal,
      logger: logger.child({ deploymentId: ctx.row.id, region }),
      onChange: async (component, status) => {
        await ctx.writes.setComponent(region, component, status.state, status.message ?? null);
        await ctx.emit({
          type: 'component',
          component,
          region,
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
