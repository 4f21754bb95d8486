import { setTimeout as sleep } from 'node:timers/promises';
import { PhaseFailed } from '../deployments.errors.js';
import { issueKubeconfigToken } from './kubeconfig-token.js';
import type { RunContext } from './run-context.js';

/** Waits for cloud-init on the new control plane to post its kubeconfig back (k3s, Cilium, Flux first). */
export async function fluxBootstrap(ctx: RunContext): Promise<void> {
  const { config, repo } = ctx.deps;
  const timeoutMs = config.deployments.kubeconfigTimeoutSeconds * 1000;
  await issueKubeconfigToken(ctx);
  const started = Date.now();
  let lastNote = started;
  const log = (line: string) => ctx.log('flux-bootstrap', line);
  await log(
    'Waiting for the new control plane to post its kubeconfig back (cloud-init installs k3s, Cilium and Flux first)',
  );
  for (;;) {
    const row = await repo.get(ctx.row.id);
    if (row?.sealedKubeconfig) break;
    if (Date.now() - started > timeoutMs) {
      throw new PhaseFailed(
        `No kubeconfig arrived within ${Math.round(timeoutMs / 60_000)} min. SSH to the control plane ` +
          `(${(row?.result as { controlPlaneIP?: string } | null)?.controlPlaneIP ?? 'see tofu-output'}) and read ` +
          '/var/log/cloud-init-output.log, then retry this phase.',
      );
    }
    if (Date.now() - lastNote >= 60_000) {
      lastNote = Date.now();
      await log(`Still waiting for the kubeconfig (${Math.round((lastNote - started) / 60_000)} min)`);
    }
    await sleep(1_000, undefined, { signal: ctx.signal });
  }
  await log('Kubeconfig received; Flux reconciles the bootstrap kit');
}
