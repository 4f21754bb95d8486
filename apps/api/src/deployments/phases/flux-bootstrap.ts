import { setTimeout as sleep } from 'node:timers/promises';
import { PhaseFailed } from '../deployments.errors.js';
import { issueKubeconfigTokens } from './kubeconfig-token.js';
import { inEveryRegion } from './regions.js';
import type { RunContext } from './run-context.js';

/**
 * Waits for cloud-init on every region's new control plane to post its kubeconfig back (k3s, Cilium, Flux first);
 * each region's own bearer says which region posted.
 */
export async function fluxBootstrap(ctx: RunContext): Promise<void> {
  await issueKubeconfigTokens(ctx);
  const several = ctx.regions.length > 1;
  await ctx.log(
    'flux-bootstrap',
    `Waiting for ${several ? `the control planes of ${ctx.regions.join(', ')}` : 'the new control plane'} to post ` +
      `${several ? 'their kubeconfigs' : 'its kubeconfig'} back (cloud-init installs k3s, Cilium and Flux first)`,
  );
  await inEveryRegion(ctx, 'kubeconfig', (region) => awaitKubeconfig(ctx, region));
  await ctx.log(
    'flux-bootstrap',
    `Kubeconfig${several ? 's' : ''} received; Flux reconciles the bootstrap kit`,
  );
}

async function awaitKubeconfig(ctx: RunContext, region: string): Promise<void> {
  const { config, repo } = ctx.deps;
  const timeoutMs = config.deployments.kubeconfigTimeoutSeconds * 1000;
  const started = Date.now();
  let lastNote = started;
  const where = ctx.regions.length > 1 ? ` of ${region}` : '';
  for (;;) {
    const row = await repo.region(ctx.row.id, region);
    if (row?.sealedKubeconfig) return;
    if (Date.now() - started > timeoutMs) {
      throw new PhaseFailed(
        `No kubeconfig arrived within ${Math.round(timeoutMs / 60_000)} min. SSH to the control plane${where} ` +
          `(${row?.controlPlaneIp ?? 'see tofu-output'}) and read /var/log/cloud-init-output.log, then retry this phase.`,
      );
    }
    if (Date.now() - lastNote >= 60_000) {
      lastNote = Date.now();
      await ctx.log(
        'flux-bootstrap',
        `Still waiting for the kubeconfig${where} (${Math.round((lastNote - started) / 60_000)} min)`,
      );
    }
    await sleep(1_000, undefined, { signal: ctx.signal });
  }
}
