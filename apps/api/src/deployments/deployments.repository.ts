import type { DeploymentEventInput, PhaseName } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import {
  deploymentComponents,
  deploymentEvents,
  deploymentPhases,
  deployments,
} from './deployments.schema.js';

export type DeploymentRow = typeof deployments.$inferSelect;
export type NewDeployment = typeof deployments.$inferInsert;
export type PhaseRow = typeof deploymentPhases.$inferSelect;
export type EventRow = typeof deploymentEvents.$inferSelect;

/** Postgres channel announcing `<deploymentId>:<seq>` for every stored event. */
export const EVENTS_CHANNEL = 'catalyst_deployment_events';
/** Postgres channel announcing `<deploymentId>` when a run is asked to stop or has work queued. */
export const CONTROL_CHANNEL = 'catalyst_deployment_control';

const UNIQUE_VIOLATION = '23505';
/** States in which a run has an owner doing work. */
export const RUNNABLE = ['queued', 'running', 'wiping'];

@Injectable()
export class DeploymentsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get db() {
    return this.database.db;
  }

  /** Inserts a deployment and its phases; undefined when a live deployment already holds the name. */
  async create(
    tx: Executor,
    row: NewDeployment,
    phases: readonly PhaseName[],
  ): Promise<DeploymentRow | undefined> {
    try {
      const [created] = await tx.insert(deployments).values(row).returning();
      if (!created) return undefined;
      await tx
        .insert(deploymentPhases)
        .values(phases.map((name, position) => ({ deploymentId: created.id, name, position })));
      return created;
    } catch (error) {
      const code =
        (error as { code?: string; cause?: { code?: string } }).cause?.code ??
        (error as { code?: string }).code;
      if (code === UNIQUE_VIOLATION) return undefined;
      throw error;
    }
  }

  async get(id: string, ex: Executor = this.db): Promise<DeploymentRow | undefined> {
    const [row] = await ex.select().from(deployments).where(eq(deployments.id, id));
    return row;
  }

  async lock(tx: Executor, id: string): Promise<DeploymentRow | undefined> {
    const [row] = await tx.select().from(deployments).where(eq(deployments.id, id)).for('update');
    return row;
  }

  list(): Promise<DeploymentRow[]> {
    return this.db.select().from(deployments).orderBy(desc(deployments.createdAt));
  }

  async update(id: string, patch: Partial<NewDeployment>, ex: Executor = this.db): Promise<void> {
    await ex
      .update(deployments)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(deployments.id, id));
  }

  async delete(tx: Executor, id: string): Promise<void> {
    await tx.delete(deployments).where(eq(deployments.id, id));
  }

  phases(id: string, ex: Executor = this.db): Promise<PhaseRow[]> {
    return ex
      .select()
      .from(deploymentPhases)
      .where(eq(deploymentPhases.deploymentId, id))
      .orderBy(asc(deploymentPhases.position));
  }

  async setPhase(id: string, name: string, patch: Partial<PhaseRow>, ex: Executor = this.db): Promise<void> {
    await ex
      .update(deploymentPhases)
      .set(patch)
      .where(and(eq(deploymentPhases.deploymentId, id), eq(deploymentPhases.name, name)));
  }

  /** Sets `name` and every later phase back to pending, for a retry from `name`. */
  async resetPhasesFrom(tx: Executor, id: string, position: number): Promise<void> {
    await tx
      .update(deploymentPhases)
      .set({ status: 'pending', startedAt: null, finishedAt: null, error: null })
      .where(and(eq(deploymentPhases.deploymentId, id), sql`${deploymentPhases.position} >= ${position}`));
  }

  /**
   * Stores an event under the deployment's next sequence number and announces it (on commit).
   * The counter row lock orders concurrent writers, so sequence numbers have no gaps.
   */
  async appendEvent(id: string, event: DeploymentEventInput, ex: Executor = this.db): Promise<number> {
    const run = async (tx: Executor) => {
      const [counter] = await tx
        .update(deployments)
        .set({ eventSeq: sql`${deployments.eventSeq} + 1` })
        .where(eq(deployments.id, id))
        .returning({ seq: deployments.eventSeq });
      if (!counter) throw new Error(`deployment ${id} vanished`);
      await tx
        .insert(deploymentEvents)
        .values({ deploymentId: id, seq: counter.seq, type: event.type, payload: event });
      await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${`${id}:${counter.seq}`})`);
      return counter.seq;
    };
    return ex === this.db ? this.db.transaction(run) : run(ex);
  }

  eventsAfter(id: string, afterSeq: number, limit = 500): Promise<EventRow[]> {
    return this.db
      .select()
      .from(deploymentEvents)
      .where(and(eq(deploymentEvents.deploymentId, id), gt(deploymentEvents.seq, afterSeq)))
      .orderBy(asc(deploymentEvents.seq))
      .limit(limit);
  }

  /** Takes (or keeps) the lease of a runnable deployment; false when another live owner holds it. */
  async claim(id: string, owner: string, ttlSeconds: number): Promise<boolean> {
    const rows = await this.db
      .update(deployments)
      .set({ leaseOwner: owner, leaseExpiresAt: sql`now() + make_interval(secs => ${ttlSeconds})` })
      .where(
        and(
          eq(deployments.id, id),
          inArray(deployments.status, RUNNABLE),
          or(
            isNull(deployments.leaseOwner),
            eq(deployments.leaseOwner, owner),
            lt(deployments.leaseExpiresAt, sql`now()`),
          ),
        ),
      )
      .returning({ id: deployments.id });
    return rows.length > 0;
  }

  /** Renews this owner's leases; returns the ids it still holds. */
  async renew(owner: string, ids: string[], ttlSeconds: number): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .update(deployments)
      .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${ttlSeconds})` })
      .where(and(inArray(deployments.id, ids), eq(deployments.leaseOwner, owner)))
      .returning({ id: deployments.id });
    return rows.map((r) => r.id);
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.db
      .update(deployments)
      .set({ leaseOwner: null, leaseExpiresAt: null })
      .where(and(eq(deployments.id, id), eq(deployments.leaseOwner, owner)));
  }

  /** Runnable deployments nobody (alive) owns, oldest first. */
  async findOrphans(): Promise<{ id: string; hetznerProjectId: string }[]> {
    return this.db
      .select({ id: deployments.id, hetznerProjectId: deployments.hetznerProjectId })
      .from(deployments)
      .where(
        and(
          inArray(deployments.status, RUNNABLE),
          or(isNull(deployments.leaseOwner), lt(deployments.leaseExpiresAt, sql`now()`)),
        ),
      )
      .orderBy(asc(deployments.createdAt));
  }

  /** Runs holding a live lease against a Hetzner project (the rate budget is per project). */
  async countOwnedRuns(hetznerProjectId: string, exceptId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(deployments)
      .where(
        and(
          eq(deployments.hetznerProjectId, hetznerProjectId),
          ne(deployments.id, exceptId),
          inArray(deployments.status, ['running', 'wiping']),
          gt(deployments.leaseExpiresAt, sql`now()`),
        ),
      );
    return row?.n ?? 0;
  }

  components(id: string): Promise<(typeof deploymentComponents.$inferSelect)[]> {
    return this.db
      .select()
      .from(deploymentComponents)
      .where(eq(deploymentComponents.deploymentId, id))
      .orderBy(asc(deploymentComponents.componentId));
  }

  /** Adds a pending row for each expected component that has none yet (keeps what a previous watch saw). */
  async seedComponents(id: string, componentIds: string[]): Promise<void> {
    if (!componentIds.length) return;
    await this.db
      .insert(deploymentComponents)
      .values(componentIds.map((componentId) => ({ deploymentId: id, componentId })))
      .onConflictDoNothing();
  }

  async setComponent(
    id: string,
    componentId: string,
    state: string,
    message: string | null,
    ex: Executor = this.db,
  ): Promise<void> {
    await ex
      .insert(deploymentComponents)
      .values({ deploymentId: id, componentId, state, message, updatedAt: sql`now()` })
      .onConflictDoUpdate({
        target: [deploymentComponents.deploymentId, deploymentComponents.componentId],
        set: { state, message, updatedAt: sql`now()` },
      });
  }

  async notifyControl(id: string): Promise<void> {
    await this.db.execute(sql`select pg_notify(${CONTROL_CHANNEL}, ${id})`);
  }
}
