import { tokenHash } from '../run-secrets.js';
import type { RunContext } from './run-context.js';

/**
 * Makes the post-back bearer valid for the kubeconfig timeout plus a margin from now (again on a
 * retry or resume), unless the kubeconfig has arrived already: the token is one-time.
 */
export async function issueKubeconfigToken(ctx: RunContext): Promise<void> {
  const { config, repo } = ctx.deps;
  const { kubeconfigTimeoutSeconds, kubeconfigTokenGraceSeconds } = config.deployments;
  const hash = tokenHash(ctx.kubeconfigToken);
  await ctx.writes.transaction((tx) =>
    repo.issueKubeconfigToken(tx, ctx.row.id, hash, kubeconfigTimeoutSeconds + kubeconfigTokenGraceSeconds),
  );
}
