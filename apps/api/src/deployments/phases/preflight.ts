import { execa } from 'execa';
import { PhaseFailed } from '../deployments.errors.js';
import { tofuProcessEnv } from '../tofu.runner.js';
import type { RunContext } from './run-context.js';
import { stage } from './tofu.js';

/** Checks what the run needs before it spends anything: the Hetzner token, OpenTofu; stages the workdir. */
export async function preflight(ctx: RunContext): Promise<void> {
  const { tofuBin } = ctx.deps.config.deployments;
  if (!ctx.hetznerToken) {
    throw new PhaseFailed(
      'The Hetzner token is no longer stored (it is deleted when a run stops); retry with the token',
    );
  }
  const version = await execa(tofuBin, ['version'], {
    env: tofuProcessEnv(),
    extendEnv: false,
    reject: false,
    timeout: 30_000,
  });
  if (version.failed || version.exitCode !== 0) {
    throw new PhaseFailed(
      `OpenTofu was not found at "${tofuBin}". Install OpenTofu 1.10 or newer ` +
        '(https://opentofu.org/docs/intro/install/) or point CATALYST_TOFU_BIN at it.',
    );
  }
  await ctx.log('preflight', String(version.stdout).split('\n')[0] ?? '');
  await stage(ctx);
  await ctx.log('preflight', `Workdir ${ctx.workdir} staged`);
}
