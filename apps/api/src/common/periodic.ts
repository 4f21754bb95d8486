import type { Logger } from 'pino';

/**
 * Runs `task` every `everyMs` (and once after `firstAfterMs` when given, so a first run need not wait
 * a whole interval): the shape of housekeeping sweeps. A failure is logged as `failure` and the next
 * turn tries again; the timers never keep the process alive. Returns the stop.
 */
export function runPeriodically(
  task: () => Promise<unknown>,
  options: { everyMs: number; firstAfterMs?: number; logger: Logger; failure: string },
): () => void {
  const run = () => void task().catch((err) => options.logger.warn({ err }, options.failure));
  const timers = [setInterval(run, options.everyMs)];
  if (options.firstAfterMs !== undefined) timers.push(setTimeout(run, options.firstAfterMs));
  for (const timer of timers) timer.unref();
  return () => {
    for (const timer of timers) clearTimeout(timer);
  };
}
