import { PhaseFailed } from '../deployments.errors.js';
import { runTofu, TofuNotFoundError } from '../tofu.runner.js';
import { type Diagnostic, describeFailure, parseTofuLine } from '../tofu-json.js';
import type { RunContext } from './run-context.js';

/**
 * Runs one tofu command in the run's workdir, streaming its output as events (redacted); throws a
 * readable PhaseFailed when it fails. `collect` takes stdout instead of the stream (`tofu output`).
 */
export async function tofuCommand(
  ctx: RunContext,
  phase: string,
  command: string,
  args: string[],
  collect?: (line: string) => void,
): Promise<void> {
  const { config } = ctx.deps;
  const diagnostics: Diagnostic[] = [];
  let result: Awaited<ReturnType<typeof runTofu>>;
  try {
    result = await runTofu(args, {
      bin: config.deployments.tofuBin,
      cwd: ctx.workdir,
      env: ctx.tofuEnv,
      signal: ctx.signal,
      graceSeconds: config.deployments.cancelGraceSeconds,
      onLine: async (stream, raw) => {
        const line = ctx.redactor.redact(raw);
        if (collect && stream === 'stdout') return collect(line);
        if (stream === 'stderr') return ctx.emit({ type: 'log', phase, stream, line });
        const parsed = parseTofuLine(phase, line);
        if (parsed.diagnostic) diagnostics.push(parsed.diagnostic);
        for (const event of parsed.events) await ctx.emit(event);
      },
    });
  } catch (error) {
    if (error instanceof TofuNotFoundError)
      throw new PhaseFailed(`OpenTofu could not be started from "${error.message}"`);
    throw error;
  }
  if (result.cancelled) throw new PhaseFailed('Stopped on request');
  const ok = result.exitCode === 0 || (command === 'plan' && result.exitCode === 2);
  if (!ok) throw new PhaseFailed(describeFailure(command, diagnostics, result.exitCode));
}
