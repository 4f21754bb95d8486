import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { DATABASE, type Database } from '../database/database.js';
import { PgListener } from '../database/pg-listener.js';
import { CONTROL_CHANNEL, DeploymentsRepository } from './deployments.repository.js';
import { RunService, SHUTDOWN } from './run.service.js';

interface ActiveRun {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Decides which replica runs what. Every runnable deployment is owned through a lease row; this
 * replica claims orphans (new, or whose owner stopped renewing), renews its own leases, passes
 * cancel requests to its runs, and on shutdown stops its runs where another replica can resume them.
 */
@Injectable()
export class RunScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly instanceId = randomUUID();
  private readonly active = new Map<string, ActiveRun>();
  private timer?: NodeJS.Timeout;
  private listener?: PgListener;
  private stopping = false;
  private scanning?: Promise<void>;
  private waitingNoted = new Set<string>();

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repo: DeploymentsRepository,
    private readonly runs: RunService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.listener = new PgListener(
      this.database.pool,
      CONTROL_CHANNEL,
      (id) => void this.onControl(id),
      this.logger,
    );
    await this.listener.start();
    const intervalMs = Math.max(1_000, (this.config.deployments.leaseTtlSeconds * 1000) / 3);
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.scanning;
    for (const run of this.active.values()) run.controller.abort(SHUTDOWN);
    await Promise.all([...this.active.values()].map((run) => run.done));
    await this.listener?.close();
  }

  /** Claims and starts work now (called on NOTIFY, on the timer, and after a request queues a run). */
  tick(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    this.scanning ??= this.scan().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  isRunning(id: string): boolean {
    return this.active.has(id);
  }

  private async scan(): Promise<void> {
    try {
      const held = await this.repo.renew(
        this.instanceId,
        [...this.active.keys()],
        this.config.deployments.leaseTtlSeconds,
      );
      for (const id of this.active.keys()) {
        // A lease lost (the database was unreachable too long) means another replica may take over.
        if (!held.includes(id)) this.active.get(id)?.controller.abort(SHUTDOWN);
      }
      for (const orphan of await this.repo.findOrphans()) {
        if (this.active.has(orphan.id) || this.stopping) continue;
        if (
          (await this.repo.countOwnedRuns(orphan.hetznerProjectId, orphan.id)) >=
          this.config.deployments.maxRunsPerProject
        ) {
          await this.noteWaiting(orphan.id);
          continue;
        }
        if (await this.repo.claim(orphan.id, this.instanceId, this.config.deployments.leaseTtlSeconds))
          this.start(orphan.id);
      }
    } catch (err) {
      this.logger.warn({ err }, 'run scheduler pass failed; will retry');
    }
  }

  private start(id: string): void {
    const controller = new AbortController();
    this.waitingNoted.delete(id);
    const done = (async () => {
      const row = await this.repo.get(id);
      if (!row) return;
      if (row.kind === 'wipe') await this.runs.wipe(id, controller.signal);
      // A run found `running` was started by an owner that is gone: this is a resume.
      else await this.runs.provision(id, controller.signal, row.status === 'running');
    })()
      .catch((err) => this.logger.error({ err, deploymentId: id }, 'deployment run crashed'))
      .finally(async () => {
        this.active.delete(id);
        await this.repo.releaseLease(id, this.instanceId).catch(() => undefined);
        // A retry queued while this run was finishing is picked up straight away.
        void this.tick();
      });
    this.active.set(id, { controller, done });
  }

  /** Says once in the stream why a queued run waits: another run uses the same Hetzner project. */
  private async noteWaiting(id: string): Promise<void> {
    if (this.waitingNoted.has(id)) return;
    this.waitingNoted.add(id);
    await this.repo.appendEvent(id, {
      type: 'log',
      phase: 'preflight',
      stream: 'stdout',
      line: 'Waiting: another run is using this Hetzner project (its API rate budget is shared)',
    });
  }

  private async onControl(id: string): Promise<void> {
    const run = this.active.get(id);
    if (run) {
      const row = await this.repo.get(id);
      if (row?.cancelRequestedAt) run.controller.abort('cancel');
      return;
    }
    await this.tick();
  }
}
