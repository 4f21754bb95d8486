import { tokenHash } from '../run-secrets.js';
import type { RunContext } from './run-context.js';

/**
 * Makes each region's post-back bearer valid for the kubeconfig timeout plus a margin from now (again on a
 * retry or resume), unless that region's kubeconfig has arrived already: a token is one-time.
 */
export async function issueKubeconfigTokens(ctx: RunContext): Promise<void> {
  const { config, repo } = ctx.deps;
  const { kubeconfigTimeoutSeconds, kubeconfigTokenGraceSeconds } = config.deployments;
  await ctx.writes.transaction(async (tx) => {
    for (const region of ctx.regions) {
      const hash = tokenHash(ctx.kubeconfigTokens[region] as string);
      await repo.issueKubeconfigToken(
        tx,
        ctx.row.id,
        region,
        hash,
        kubeconfigTimeoutSeconds + kubeconfigTokenGraceSeconds,
      );
    }
  });
}
