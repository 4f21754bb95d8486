import type { DeploymentEventInput, DeploymentStatus, PhaseName, PhaseStatus } from '@catalyst/contracts';
import type { Executor } from '../database/database.js';
import type {
  DeploymentPatch,
  DeploymentsRepository,
  PhasePatch,
  RegionPatch,
} from './deployments.repository.js';
import type { IngestBacklog } from './ingest-backlog.js';
import { type DeploymentTransition, transition, transitionPhase } from './run-state.js';

/** The api is shutting down: the run pauses where it is, and another replica (or this one, restarted) resumes it. */
export const SHUTDOWN = 'shutdown';
/** The run's lease went to another replica, or could not be renewed in time: stop, and write nothing more. */
export const LEASE_LOST = 'lease-lost';
/** The operator asked the run to stop. */
export const CANCEL = 'cancel';
/** The error a cancelled run records (and the phase it stopped in). */
export const CANCELLED = 'Cancelled by the operator';
export type StopReason = typeof SHUTDOWN | typeof LEASE_LOST | typeof CANCEL;

/** A run write refused because this replica no longer holds the run's lease. */
export class LeaseLostError extends Error {
  constructor(deploymentId: string) {
    super(`the lease on deployment ${deploymentId} is held by another replica; this replica stopped its run`);
  }
}

/** One replica's hold on one run: who owns it, and the signal that stops the run's work. */
export class RunLease {
  private readonly controller = new AbortController();

  constructor(
    readonly deploymentId: string,
    readonly owner: string,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once the run stops for a reason that leaves it to another owner (it records no outcome). */
  get paused(): boolean {
    return this.signal.reason === SHUTDOWN || this.signal.reason === LEASE_LOST;
  }

  /** Stops the run's work (tofu gets SIGINT); the first reason given wins. */
  stop(reason: StopReason): void {
    this.controller.abort(reason);
  }
}

/**
 * Every write a run makes, fenced by its lease: each runs in a transaction that first locks the
 * deployment row on condition that this owner's lease is still live (an event, the hot path, takes
 * that condition into the statement that numbers it). A replica that lost its lease therefore
 * changes nothing (no event, no sequence number used); it stops its run instead.
 * The lock also yields the run's current status, so every status move is checked against it.
 */
/** The most events one group commit stores (a burst beyond it takes several). */
const EVENTS_PER_WRITE = 1_000;

export class FencedRunWrites {
  private queued: {
    event: DeploymentEventInput;
    resolve: (seq: number) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private writing?: Promise<void>;
  /** Events were queued behind the write in flight: a burst, told to `backlog` until the queue is empty. */
  private behind = false;

  constructor(
    private readonly repo: DeploymentsRepository,
    private readonly lease: RunLease,
    private readonly backlog?: IngestBacklog,
  ) {}

  /**
   * Runs `work` under the fence, given the deployment's status as locked; throws LeaseLostError (and
   * stops the run) when the lease is gone.
   */
  async transaction<T>(work: (tx: Executor, status: DeploymentStatus) => Promise<T>): Promise<T> {
    const { deploymentId, owner } = this.lease;
    // Queued events come first, so what a run stores keeps the order it happened in.
    await this.eventsStored();
    this.refuseIfGivenUp();
    return this.repo.db.transaction(async (tx) => {
      const status = await this.repo.lockHeldLease(tx, deploymentId, owner);
      if (!status) this.lost();
      return work(tx, status);
    });
  }

  /**
   * Given up locally (renewal failed for too long): the database may still say this replica holds
   * the lease, but another one may take it at any moment.
   */
  private refuseIfGivenUp(): void {
    if (this.lease.signal.reason === LEASE_LOST) throw new LeaseLostError(this.lease.deploymentId);
  }

  /** The database says the lease is gone: the run stops, and the write is refused. */
  private lost(): never {
    this.lease.stop(LEASE_LOST);
    throw new LeaseLostError(this.lease.deploymentId);
  }

  /** Checks the lease before a side effect outside this database (DNS, the tofu state schema). */
  assertHeld(): Promise<void> {
    return this.transaction(async () => undefined);
  }

  update(patch: DeploymentPatch): Promise<void> {
    return this.transaction((tx) => this.repo.update(this.lease.deploymentId, patch, tx));
  }

  /** Moves the deployment from its locked status to `to` (IllegalTransition if the table forbids it). */
  moveTo(to: DeploymentStatus, patch: DeploymentPatch = {}): Promise<DeploymentTransition> {
    return this.transaction(async (tx, status) => {
      const move = transition(status, to);
      await this.repo.moveTo(tx, this.lease.deploymentId, move, patch);
      return move;
    });
  }

  /** Moves one phase from its status (read under the deployment row's lock) to `to`. */
  movePhase(name: PhaseName, to: PhaseStatus, patch: PhasePatch = {}): Promise<void> {
    const id = this.lease.deploymentId;
    return this.transaction(async (tx) => {
      const phase = (await this.repo.phases(id, tx)).find((p) => p.name === name);
      if (!phase) throw new Error(`deployment ${id} has no phase ${name}`);
      await this.repo.movePhase(tx, id, name, transitionPhase(phase.status, to), patch);
    });
  }

  /**
   * Queues `event` and resolves with its sequence number once it is stored. Events queued while a write is in flight are stored
   * together by the next (a group commit: tofu's output arrives in bursts), in order and under gapless
   * sequence numbers; the write's fence is part of the statement that numbers them.
   */
  appendEvent(event: DeploymentEventInput): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queued.push({ event, resolve, reject });
      if (this.writing && !this.behind) {
        this.behind = true;
        this.backlog?.fellBehind();
      }
      this.startWriting();
    });
  }

  /** One writer at a time; the next starts once it has settled (a synchronous refusal included). */
  private startWriting(): void {
    if (this.writing || !this.queued.length) return;
    this.writing = this.writeQueued().finally(() => {
      this.writing = undefined;
      this.startWriting();
    });
  }

  /** Events queued and not yet stored. */
  get unstoredEvents(): number {
    return this.queued.length;
  }

  /** Resolves once every event queued so far is stored (or has failed). */
  async eventsStored(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async writeQueued(): Promise<void> {
    try {
      await this.writeBatches();
    } finally {
      if (this.behind) {
        this.behind = false;
        this.backlog?.caughtUp();
      }
    }
  }

  private async writeBatches(): Promise<void> {
    const { deploymentId, owner } = this.lease;
    while (this.queued.length) {
      const batch = this.queued.splice(0, EVENTS_PER_WRITE);
      try {
        this.refuseIfGivenUp();
        const last =
          (await this.repo.appendHeldEvents(
            deploymentId,
            owner,
            batch.map((q) => q.event),
          )) ?? this.lost();
        for (const [i, q] of batch.entries()) q.resolve(last - batch.length + 1 + i);
      } catch (error) {
        // Nothing after a refused write may be stored either: its order would no longer hold.
        for (const q of [...batch, ...this.queued.splice(0)]) q.reject(error);
      }
    }
  }

  seedComponents(region: string, componentIds: string[]): Promise<void> {
    return this.transaction((tx) =>
      this.repo.seedComponents(this.lease.deploymentId, region, componentIds, tx),
    );
  }

  setComponent(region: string, componentId: string, state: string, message: string | null): Promise<void> {
    return this.transaction((tx) =>
      this.repo.setComponent(this.lease.deploymentId, region, componentId, state, message, tx),
    );
  }

  updateRegion(region: string, patch: RegionPatch): Promise<void> {
    return this.transaction((tx) => this.repo.updateRegion(this.lease.deploymentId, region, patch, tx));
  }
}
