import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { DATABASE, type Database } from '../database/database.js';
import { PgListener } from '../database/pg-listener.js';
import { CONTROL_CHANNEL, DeploymentsRepository, RUNNABLE } from './deployments.repository.js';
import { RunService } from './run.service.js';
import { CANCEL, FencedRunWrites, LEASE_LOST, LeaseLostError, RunLease, SHUTDOWN } from './run-lease.js';

interface ActiveRun {
  lease: RunLease;
  done: Promise<void>;
  /** performance.now() when the last successful renewal (or the claim) was sent. */
  renewedAt: number;
}

/**
 * Decides which replica runs what. Every runnable deployment is owned through a lease row; this
 * replica claims orphans (new, or whose owner stopped renewing), renews its own leases, passes
 * cancel requests to its runs, and on shutdown pauses its runs and hands them to another replica.
 */
@Injectable()
export class RunScheduler
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  /** The lease owner name: the host (a pod's name) for the operator, plus a suffix unique per process. */
  readonly instanceId = `${hostname()}-${randomUUID().slice(0, 8)}`;
  private readonly active = new Map<string, ActiveRun>();
  private timer?: NodeJS.Timeout;
  private listener?: PgListener;
  private stopping = false;
  private scanning?: Promise<void>;
  private scanAgain = false;
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
      (id) =>
        void this.onControl(id).catch((err) =>
          this.logger.warn({ err, deploymentId: id }, 'run control message failed'),
        ),
      this.logger,
    );
    await this.listener.start();
    const intervalMs = Math.max(1_000, this.ttlMs / 3);
    this.timer = setInterval(() => {
      // A pass still under way may hang on its renewal (the database unreachable): the check that
      // follows a renewal would never come, so it is made here.
      if (this.scanning) this.stopUnrenewedRuns();
      void this.tick();
    }, intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /**
   * Before the HTTP server and the event listeners close (so connected streams still see it): stop
   * taking runs, interrupt each owned run (tofu gets SIGINT and the cancel grace to save its state),
   * then hand each one over — "paused" in its stream, lease released, other replicas told at once.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.scanning;
    for (const run of this.active.values()) run.lease.stop(SHUTDOWN);
    await Promise.all([...this.active.values()].map((run) => run.done));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.beforeApplicationShutdown();
    await this.listener?.close();
  }

  /** Claims and starts work now (called on NOTIFY, on the timer, and after a request queues a run). */
  tick(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (this.scanning) {
      // A pass is under way and may have read the orphans already: go round once more after it.
      this.scanAgain = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      do {
        this.scanAgain = false;
        await this.scan();
      } while (this.scanAgain && !this.stopping);
    })().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  isRunning(id: string): boolean {
    return this.active.has(id);
  }

  private get ttlSeconds(): number {
    return this.config.deployments.leaseTtlSeconds;
  }

  private get ttlMs(): number {
    return this.ttlSeconds * 1000;
  }

  private async scan(): Promise<void> {
    await this.renewLeases();
    try {
      for (const orphan of await this.repo.findOrphans()) {
        if (this.active.has(orphan.id) || this.stopping) continue;
        if (
          (await this.repo.countOwnedRuns(orphan.hetznerProjectId, orphan.id)) >=
          this.config.deployments.maxRunsPerProject
        ) {
          await this.noteWaiting(orphan.id);
          continue;
        }
        const asked = performance.now();
        if (await this.repo.claim(orphan.id, this.instanceId, this.ttlSeconds)) this.start(orphan.id, asked);
      }
    } catch (err) {
      this.logger.warn({ err }, 'run scheduler pass failed; will retry');
    }
  }

  /**
   * Renews the leases of this replica's runs. A run whose lease another replica now holds stops at
   * once; a run whose cancel was requested is cancelled (the NOTIFY may never have arrived).
   */
  private async renewLeases(): Promise<void> {
    const owned = [...this.active.entries()];
    if (!owned.length) return;
    const asked = performance.now();
    try {
      const held = new Map(
        (await this.repo.renew(this.instanceId, [...this.active.keys()], this.ttlSeconds)).map((row) => [
          row.id,
          row,
        ]),
      );
      for (const [id, run] of owned) {
        const renewed = held.get(id);
        if (!renewed) {
          this.logger.warn(
            { deploymentId: id },
            'run lease taken over by another replica; stopping the run here',
          );
          run.lease.stop(LEASE_LOST);
          continue;
        }
        run.renewedAt = asked;
        if (renewed.cancelRequested) run.lease.stop(CANCEL);
      }
    } catch (err) {
      this.logger.warn({ err }, 'run leases could not be renewed; will retry');
    }
    this.stopUnrenewedRuns();
  }

  /**
   * A lease not renewed for half its TTL may be taken over soon: the run stops its tofu and writes
   * nothing more now, rather than race the replica that will resume it.
   */
  private stopUnrenewedRuns(): void {
    const now = performance.now();
    for (const [id, run] of this.active) {
      if (now - run.renewedAt <= this.ttlMs / 2 || run.lease.signal.aborted) continue;
      this.logger.warn({ deploymentId: id }, 'run lease not renewed for half its TTL; stopping the run here');
      run.lease.stop(LEASE_LOST);
    }
  }

  private start(id: string, claimedAt: number): void {
    const lease = new RunLease(id, this.instanceId);
    this.waitingNoted.delete(id);
    const done = this.execute(lease).finally(() => {
      this.active.delete(id);
      // A retry queued while this run was finishing is picked up straight away.
      void this.tick();
    });
    this.active.set(id, { lease, done, renewedAt: claimedAt });
  }

  private async execute(lease: RunLease): Promise<void> {
    const { deploymentId } = lease;
    try {
      const row = await this.repo.get(deploymentId);
      if (!row) return;
      if (row.kind === 'wipe') await this.runs.wipe(lease);
      // A run found `running` was started by an owner that stopped: this is a resume.
      else await this.runs.provision(lease, row.status === 'running');
    } catch (err) {
      if (err instanceof LeaseLostError) this.logger.warn({ deploymentId }, err.message);
      else this.logger.error({ err, deploymentId }, 'deployment run crashed');
    }
    await this.release(lease).catch((err) =>
      this.logger.warn({ err, deploymentId }, 'run lease release failed; it expires on its own'),
    );
  }

  /**
   * Lets go of a run's lease once its work has stopped. A run paused by this replica's shutdown is
   * handed over: the stream says so, and the NOTIFY has another replica claim it without waiting for
   * the lease to expire.
   */
  private async release(lease: RunLease): Promise<void> {
    const { deploymentId: id, owner } = lease;
    if (lease.signal.reason !== SHUTDOWN) return this.repo.releaseLease(id, owner);
    await new FencedRunWrites(this.repo, lease).transaction(async (tx) => {
      const row = await this.repo.get(id, tx);
      if (row && RUNNABLE.includes(row.status)) {
        const running = (await this.repo.phases(id, tx)).find((phase) => phase.status === 'running');
        await this.repo.appendEvent(
          id,
          {
            type: 'log',
            phase: row.kind === 'wipe' ? 'wipe' : (running?.name ?? 'preflight'),
            stream: 'stdout',
            line: `Run paused: replica ${owner} is shutting down; another replica resumes it (or this one, once back).`,
          },
          tx,
        );
      }
      await this.repo.releaseLease(id, owner, tx);
      await this.repo.notifyControl(id, tx);
    });
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
      if (row?.cancelRequestedAt) run.lease.stop(CANCEL);
      return;
    }
    await this.tick();
  }
}
