import type { PhaseName, PhaseStatus } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppError } from '../common/app-error.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { SECRET_KEYS, type SecretKeys } from '../crypto/keys.js';
import { Sealer } from '../crypto/sealer.js';
import { DATABASE, type Database } from '../database/database.js';
import { DomainsService } from '../domains/domains.service.js';
import { HelmwatchService } from '../helmwatch/helmwatch.service.js';
import { PhaseFailed } from './deployments.errors.js';
import { type DeploymentPatch, DeploymentsRepository, type PhasePatch } from './deployments.repository.js';
import { IngestBacklog } from './ingest-backlog.js';
import { bootstrapKit } from './phases/bootstrap-kit.js';
import { dns } from './phases/dns.js';
import { fluxBootstrap } from './phases/flux-bootstrap.js';
import { handover } from './phases/handover.js';
import { preflight } from './phases/preflight.js';
import {
  createRunContext,
  type Phase,
  type RunContext,
  type RunDeps,
  redactEvent,
} from './phases/run-context.js';
import { tofuApply, tofuInit, tofuOutput, tofuPlan } from './phases/tofu.js';
import { wipe } from './phases/wipe.js';
import { CANCELLED, type RunLease } from './run-lease.js';
import { transition } from './run-state.js';
import { removeSecretsFrom } from './workdir.js';

/** The provision phases (docs/architecture.md, "The provisioning run"), each in its own file under phases/. */
const PHASES: Record<PhaseName, Phase> = {
  preflight,
  'tofu-init': tofuInit,
  'tofu-plan': tofuPlan,
  'tofu-apply': tofuApply,
  'tofu-output': tofuOutput,
  dns,
  'flux-bootstrap': fluxBootstrap,
  'bootstrap-kit': bootstrapKit,
  handover,
};

/**
 * The run loop: executes a deployment's phases (docs/architecture.md) or its wipe. Each phase is idempotent,
 * so a run can start again from any phase: after a failure (retry), or after its api died (resume).
 * Every status it writes is a move of run-state.ts, checked against the row it holds locked.
 */
@Injectable()
export class RunService {
  private readonly deps: RunDeps;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(DATABASE) database: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SECRET_KEYS) keys: SecretKeys,
    private readonly repo: DeploymentsRepository,
    domains: DomainsService,
    sealer: Sealer,
    helm: HelmwatchService,
    backlog: IngestBacklog,
  ) {
    this.deps = { config, database, logger, keys, repo, domains, sealer, helm, backlog };
  }

  /** Runs the provision phases from the first one not yet succeeded, until the run stops. */
  async provision(lease: RunLease, resumed: boolean): Promise<void> {
    const { deploymentId: id, signal } = lease;
    const ctx = await createRunContext(lease, this.deps);
    const phases = await this.repo.phases(id);
    // queued → running when claimed (the stream hears it, so a page that follows it stops showing "queued");
    // running → running when resumed.
    const move = await ctx.writes.moveTo('running');
    if (move.from !== move.to) await ctx.emit({ type: 'deployment', status: move.to });
    const start = phases.find((p) => p.status !== 'succeeded' && p.status !== 'skipped');
    if (!start) return this.finish(ctx, 'ready');
    if (resumed) {
      await ctx.log(
        start.name,
        `Resumed by replica ${lease.owner} after the previous one stopped; ${start.name} runs again.`,
      );
    }
    for (const phase of phases.slice(phases.indexOf(start))) {
      const name = phase.name as PhaseName;
      if (signal.aborted) return this.stopped(ctx, name);
      await this.movePhase(ctx, name, 'running', { startedAt: new Date(), finishedAt: null, error: null });
      try {
        await PHASES[name](ctx);
      } catch (error) {
        if (signal.aborted) return this.stopped(ctx, name);
        const message = ctx.redactor.redact(this.describe(error));
        await this.movePhase(ctx, name, 'failed', { finishedAt: new Date(), error: message });
        return this.finish(ctx, 'failed', `${name}: ${message}`);
      }
      await this.movePhase(ctx, name, 'succeeded', { finishedAt: new Date() });
    }
    return this.finish(ctx, 'ready');
  }

  /** Destroys everything the run created, releases the name and forgets the state (wiping → wiped). */
  async wipe(lease: RunLease): Promise<void> {
    const ctx = await createRunContext(lease, this.deps);
    try {
      await wipe(ctx);
      await this.finish(ctx, 'wiped');
    } catch (error) {
      if (lease.paused) return;
      await this.finish(ctx, 'failed', ctx.redactor.redact(`wipe: ${this.describe(error)}`));
    }
  }

  /** Moves a phase and tells the stream, with the same status in both. */
  private async movePhase(
    ctx: RunContext,
    name: PhaseName,
    to: PhaseStatus,
    patch: PhasePatch,
  ): Promise<void> {
    await ctx.writes.movePhase(name, to, patch);
    await ctx.emit({
      type: 'phase',
      phase: name,
      status: to,
      ...(patch.error ? { error: patch.error } : {}),
    });
  }

  /** A run stopped between or during phases: cancelled by the operator, or paused by a shutdown. */
  private async stopped(ctx: RunContext, phase: PhaseName): Promise<void> {
    // Paused, not stopped: the phase stays `running` for the replica that resumes it.
    if (ctx.lease.paused) return;
    await this.movePhase(ctx, phase, 'failed', { finishedAt: new Date(), error: CANCELLED });
    await this.finish(ctx, 'cancelled', CANCELLED);
  }

  /** Moves the deployment to a terminal status and forgets what it no longer needs. */
  private async finish(
    ctx: RunContext,
    to: 'ready' | 'failed' | 'cancelled' | 'wiped',
    error?: string,
  ): Promise<void> {
    await removeSecretsFrom(ctx.workdir).catch(() => undefined);
    const patch: DeploymentPatch = {
      error: error ?? null,
      sealedHetznerToken: null,
      cancelRequestedAt: null,
      ...(to === 'ready' || to === 'wiped' ? { sealedRegistrarCredentials: null } : {}),
    };
    // One transaction: a stream reader that sees the terminal status must also see the final event
    // (it ends the stream once it has caught up with a stopped run).
    await ctx.writes.transaction(async (tx, status) => {
      const move = transition(status, to);
      await this.repo.moveTo(tx, ctx.row.id, move, patch);
      const event = { type: 'deployment' as const, status: move.to, ...(error ? { error } : {}) };
      await this.repo.appendEvent(ctx.row.id, redactEvent(event, ctx.redactor), tx);
    });
    this.logger.info({ deploymentId: ctx.row.id, fqdn: ctx.fqdn, status: to }, 'deployment run stopped');
  }

  private describe(error: unknown): string {
    if (error instanceof PhaseFailed || error instanceof AppError) return error.message;
    this.logger.error({ err: error }, 'deployment phase crashed');
    return 'An unexpected error stopped this phase; see the api log';
  }
}
