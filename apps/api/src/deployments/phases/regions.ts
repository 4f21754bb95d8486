import type { PhaseStatus, RegionPhaseName } from '@catalyst/contracts';
import { AppError } from '../../common/app-error.js';
import { PhaseFailed } from '../deployments.errors.js';
import { REGION_PHASE_COLUMNS } from '../deployments.repository.js';
import { CANCELLED } from '../run-lease.js';
import type { RunContext } from './run-context.js';

/**
 * Moves one region's phase (fenced like every run write) and tells the stream with a `region` event. A failed
 * phase keeps its error on the region; a phase that runs again clears it.
 */
export async function moveRegion(
  ctx: RunContext,
  region: string,
  phase: RegionPhaseName,
  status: PhaseStatus,
  error?: string,
): Promise<void> {
  const message = error === undefined ? undefined : ctx.redactor.redact(error);
  await ctx.writes.updateRegion(region, {
    [REGION_PHASE_COLUMNS[phase]]: status,
    ...(status === 'failed' ? { error: message ?? null } : status === 'running' ? { error: null } : {}),
  });
  await ctx.emit({ type: 'region', region, phase, status, ...(message ? { error: message } : {}) });
}

/**
 * Runs one region phase in every region at once: each region's phase moves to running, then to succeeded or
 * failed on its own. When regions fail, throws one PhaseFailed naming each (with its reason) once every
 * region has settled, so a slow region is never abandoned mid-write. A crash that is not a phase failure
 * (a lost lease, a bug) is rethrown as it is.
 */
export async function inEveryRegion(
  ctx: RunContext,
  phase: RegionPhaseName,
  work: (region: string) => Promise<void>,
): Promise<void> {
  const outcomes = await Promise.allSettled(
    ctx.regions.map(async (region) => {
      await moveRegion(ctx, region, phase, 'running');
      try {
        await work(region);
      } catch (error) {
        if (ctx.signal.aborted) {
          // Cancelled: the region stops with the run. Paused by a shutdown: it stays running for the next owner.
          if (!ctx.lease.paused) await moveRegion(ctx, region, phase, 'failed', CANCELLED);
        } else if (isFailure(error)) await moveRegion(ctx, region, phase, 'failed', error.message);
        throw error;
      }
      await moveRegion(ctx, region, phase, 'succeeded');
    }),
  );
  const failed = outcomes.flatMap((outcome, i) =>
    outcome.status === 'rejected'
      ? [{ region: ctx.regions[i] as string, error: outcome.reason as unknown }]
      : [],
  );
  if (!failed.length) return;
  const crash = failed.find((f) => !isFailure(f.error));
  if (crash || ctx.signal.aborted) throw (crash ?? failed[0])?.error;
  throw new PhaseFailed(
    describeRegionFailures(
      ctx,
      failed.map((f) => ({ region: f.region, message: (f.error as Error).message })),
    ),
    failed.map((f) => f.region),
  );
}

/** One region: the message as it is (a single-region Sovereign reads exactly as before regions existed). */
export function describeRegionFailures(
  ctx: RunContext,
  failures: { region: string; message: string }[],
): string {
  if (ctx.regions.length === 1) return failures.map((f) => f.message).join('; ');
  return failures.map((f) => `region ${f.region}: ${f.message}`).join('; ');
}

function isFailure(error: unknown): error is Error {
  return error instanceof PhaseFailed || error instanceof AppError;
}
