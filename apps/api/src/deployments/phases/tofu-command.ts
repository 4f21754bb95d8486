import { PhaseFailed } from '../deployments.errors.js';
import { runTofu, TofuNotFoundError } from '../tofu.runner.js';
import { type Diagnostic, describeFailure, parseTofuLine, regionOfAddress } from '../tofu-json.js';
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
  // Output is stored in batches without waiting line by line (RunContext.queue); the first failure to store
  // is this command's failure.
  let notStored: unknown;
  const store = (event: Parameters<RunContext['queue']>[0]) =>
    ctx.queue(event, (error) => {
      notStored ??= error;
    });
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
        if (stream === 'stderr') return store({ type: 'log', phase, stream, line });
        const parsed = parseTofuLine(phase, line, ctx.regions);
        if (parsed.diagnostic) diagnostics.push(parsed.diagnostic);
        let backlog: Promise<void> | undefined;
        for (const event of parsed.events) backlog = store(event);
        return backlog;
      },
    });
    await ctx.writes.eventsStored();
  } catch (error) {
    if (error instanceof TofuNotFoundError)
      throw new PhaseFailed(`OpenTofu could not be started from "${error.message}"`);
    throw error;
  }
  if (notStored) throw notStored;
  if (result.cancelled) throw new PhaseFailed('Stopped on request');
  const ok = result.exitCode === 0 || (command === 'plan' && result.exitCode === 2);
  if (!ok) {
    // A resource's error names its region (its address's key); the run's error names those regions.
    const regions = [
      ...new Set(diagnostics.flatMap((d) => (d.address ? [regionOfAddress(d.address, ctx.regions)] : []))),
    ].filter((r): r is string => r !== undefined);
    throw new PhaseFailed(describeFailure(command, diagnostics, result.exitCode), regions);
  }
}
