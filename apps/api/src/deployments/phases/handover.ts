import { setTimeout as sleep } from 'node:timers/promises';
import { PhaseFailed } from '../deployments.errors.js';
import { sovereignConsoleUrl } from '../handover-link.js';
import { checkConsoleHealth } from '../sovereign-console.client.js';
import type { RunContext } from './run-context.js';

/** Seconds between two checks of the new console. */
const POLL_SECONDS = 5;
/** Seconds one check may take, connection and answer. */
const ATTEMPT_SECONDS = 10;
/** A "still waiting" line at least this often, even when nothing changed. */
const NOTE_EVERY_MS = 60_000;

/**
 * Waits for the new Sovereign's console to answer its health check (its Catalyst runs, its name resolves,
 * its certificate is valid), then records where it is. The one-time sign-in link is minted on demand
 * afterwards (POST /api/v1/deployments/:id/handover), never here: nothing of it is stored.
 */
export async function handover(ctx: RunContext): Promise<void> {
  const { config } = ctx.deps;
  const consoleUrl = sovereignConsoleUrl(config.deployments.sovereignConsoleUrl, ctx.fqdn);
  const timeoutMs = config.deployments.handoverTimeoutSeconds * 1000;
  const log = (line: string) => ctx.log('handover', line);
  await log(`Waiting for the console to answer: ${consoleUrl}/healthz`);
  const started = Date.now();
  let attempts = 0;
  let lastReason = '';
  let lastNote = started;
  for (;;) {
    attempts++;
    const left = timeoutMs - (Date.now() - started);
    const health = await checkConsoleHealth(consoleUrl, {
      timeoutMs: Math.max(1_000, Math.min(ATTEMPT_SECONDS * 1000, left)),
      signal: ctx.signal,
    });
    if (health.ok) break;
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) {
      throw new PhaseFailed(
        `The console at ${consoleUrl} did not answer within ${minutes(timeoutMs)} (${attempts} checks; last: ` +
          `${health.reason}). Check that bp-catalyst-platform is Ready (kubectl -n catalyst-system get pods), ` +
          `that console.${ctx.fqdn} resolves to the load balancer and its certificate is issued ` +
          '(kubectl -n catalyst-system get certificate), then retry this phase.',
      );
    }
    if (health.reason !== lastReason || Date.now() - lastNote >= NOTE_EVERY_MS) {
      lastReason = health.reason;
      lastNote = Date.now();
      await log(`Not answering yet: ${health.reason} (${Math.round(elapsed / 1000)} s)`);
    }
    await sleep(Math.min(POLL_SECONDS * 1000, timeoutMs - elapsed), undefined, { signal: ctx.signal });
  }
  const row = await ctx.deps.repo.get(ctx.row.id);
  const result = {
    ...((row?.result ?? ctx.row.result ?? {}) as Record<string, unknown>),
    consoleURL: consoleUrl,
  };
  await ctx.writes.update({ result });
  ctx.row.result = result;
  await log(
    `${ctx.fqdn} is ready: ${consoleUrl} answers. Open it from this page ("Open your console"): ` +
      `the link signs ${ctx.request.adminEmail} in as its first sovereign-admin.`,
  );
}

function minutes(ms: number): string {
  return ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}
