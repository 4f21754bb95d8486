import type { DeploymentEventInput, DeploymentStatus, PhaseName, RegionPhaseName } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, getTableColumns, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import {
  deploymentComponents,
  deploymentEvents,
  deploymentPhases,
  deploymentRegions,
  deployments,
} from './deployments.schema.js';
import { type DeploymentTransition, initialDeploymentStatus, type PhaseTransition } from './run-state.js';

export type DeploymentRow = typeof deployments.$inferSelect;
export type NewDeployment = typeof deployments.$inferInsert;
export type PhaseRow = typeof deploymentPhases.$inferSelect;
export type EventRow = typeof deploymentEvents.$inferSelect;
export type RegionRow = typeof deploymentRegions.$inferSelect;
/** What a run writes of a region: its phases' statuses, its error, its addresses. */
export type RegionPatch = Partial<
  Pick<
    RegionRow,
    | 'infrastructureStatus'
    | 'kubeconfigStatus'
    | 'bootstrapKitStatus'
    | 'error'
    | 'controlPlaneIp'
    | 'loadBalancerIp'
  >
>;
/** The column of each region phase's status. */
export const REGION_PHASE_COLUMNS = {
  infrastructure: 'infrastructureStatus',
  kubeconfig: 'kubeconfigStatus',
  'bootstrap-kit': 'bootstrapKitStatus',
} as const satisfies Record<RegionPhaseName, keyof RegionRow>;
/** Any column but the status, which only moveTo() writes (from a transition). */
export type DeploymentPatch = Partial<Omit<NewDeployment, 'id' | 'status'>> & { status?: never };
export type PhasePatch = Partial<Pick<PhaseRow, 'startedAt' | 'finishedAt' | 'error'>>;

/** Postgres channel announcing `<deploymentId>:<seq>` for every stored event. */
export const EVENTS_CHANNEL = 'catalyst_deployment_events';
/** Postgres channel announcing `<deploymentId>` when a run is asked to stop or has work queued. */
export const CONTROL_CHANNEL = 'catalyst_deployment_control';

const UNIQUE_VIOLATION = '23505';
/** States in which a run has an owner doing work. */
export const RUNNABLE: DeploymentStatus[] = ['queued', 'running', 'wiping'];

@Injectable()
export class DeploymentsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get db() {
    return this.database.db;
  }

  /**
   * Inserts a deployment (in the state machine's initial status), its phases and its regions (in the request's
   * order); undefined when a live deployment already holds the name.
   */
  async create(
    tx: Executor,
    row: Omit<NewDeployment, 'status'> & { status?: never },
    phases: readonly PhaseName[],
    regions: readonly { region: string; provider: string }[],
  ): Promise<DeploymentRow | undefined> {
    try {
      const [created] = await tx
        .insert(deployments)
        .values({ ...row, status: initialDeploymentStatus })
        .returning();
      if (!created) return undefined;
      await tx
        .insert(deploymentPhases)
        .values(phases.map((name, position) => ({ deploymentId: created.id, name, position })));
      await tx
        .insert(deploymentRegions)
        .values(regions.map((r, position) => ({ deploymentId: created.id, position, ...r })));
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

  /** The phases, regions and components of every deployment in `ids`, by deployment: three queries for a list. */
  async partsOf(ids: string[]): Promise<{
    phases: Map<string, PhaseRow[]>;
    regions: Map<string, RegionRow[]>;
    components: Map<string, (typeof deploymentComponents.$inferSelect)[]>;
  }> {
    if (!ids.length) return { phases: new Map(), regions: new Map(), components: new Map() };
    const [phases, regions, components] = await Promise.all([
      this.db
        .select()
        .from(deploymentPhases)
        .where(inArray(deploymentPhases.deploymentId, ids))
        .orderBy(asc(deploymentPhases.position)),
      this.db
        .select()
        .from(deploymentRegions)
        .where(inArray(deploymentRegions.deploymentId, ids))
        .orderBy(asc(deploymentRegions.position)),
      this.db
        .select()
        .from(deploymentComponents)
        .where(inArray(deploymentComponents.deploymentId, ids))
        .orderBy(asc(deploymentComponents.componentId)),
    ]);
    return {
      phases: byDeployment(phases),
      regions: byDeployment(regions),
      components: byDeployment(components),
    };
  }

  async update(id: string, patch: DeploymentPatch, ex: Executor = this.db): Promise<void> {
    await ex
      .update(deployments)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(deployments.id, id));
  }

  /**
   * Writes a legal move of the deployment's status (and `patch` with it). The caller holds the row's
   * lock and read `move.from` under it; a row in another status is a bug, so it throws.
   */
  async moveTo(
    tx: Executor,
    id: string,
    move: DeploymentTransition,
    patch: DeploymentPatch = {},
  ): Promise<void> {
    const rows = await tx
      .update(deployments)
      .set({ ...patch, status: move.to, updatedAt: sql`now()` })
      .where(and(eq(deployments.id, id), eq(deployments.status, move.from)))
      .returning({ id: deployments.id });
    if (!rows.length)
      throw new Error(`deployment ${id} is no longer ${move.from}: its move to ${move.to} is stale`);
  }

  /** The deployment's regions, primary first. */
  regions(id: string, ex: Executor = this.db): Promise<RegionRow[]> {
    return ex
      .select()
      .from(deploymentRegions)
      .where(eq(deploymentRegions.deploymentId, id))
      .orderBy(asc(deploymentRegions.position));
  }

  /** One region of the deployment; undefined when it has no such region. */
  region(id: string, region: string): Promise<RegionRow | undefined> {
    return this.db
      .select()
      .from(deploymentRegions)
      .where(and(eq(deploymentRegions.deploymentId, id), eq(deploymentRegions.region, region)))
      .then((rows) => rows[0]);
  }

  async updateRegion(id: string, region: string, patch: RegionPatch, ex: Executor = this.db): Promise<void> {
    await ex
      .update(deploymentRegions)
      .set(patch)
      .where(and(eq(deploymentRegions.deploymentId, id), eq(deploymentRegions.region, region)));
  }

  /** After a wipe: every region back to unbuilt, its addresses and its kubeconfig forgotten. */
  async resetRegions(tx: Executor, id: string): Promise<void> {
    await tx
      .update(deploymentRegions)
      .set({
        infrastructureStatus: 'pending',
        kubeconfigStatus: 'pending',
        bootstrapKitStatus: 'pending',
        error: null,
        controlPlaneIp: null,
        loadBalancerIp: null,
        kubeconfigTokenHash: null,
        kubeconfigTokenExpiresAt: null,
        sealedKubeconfig: null,
      })
      .where(eq(deploymentRegions.deploymentId, id));
    await tx.delete(deploymentComponents).where(eq(deploymentComponents.deploymentId, id));
  }

  /**
   * Issues a region's kubeconfig post-back bearer (its hash) for `lifetimeSeconds` from now by the database
   * clock. A region that already holds its kubeconfig keeps its token spent: false.
   */
  async issueKubeconfigToken(
    tx: Executor,
    id: string,
    region: string,
    tokenHash: string,
    lifetimeSeconds: number,
  ): Promise<boolean> {
    const rows = await tx
      .update(deploymentRegions)
      .set({
        kubeconfigTokenHash: tokenHash,
        kubeconfigTokenExpiresAt: sql`now() + make_interval(secs => ${lifetimeSeconds})`,
      })
      .where(
        and(
          eq(deploymentRegions.deploymentId, id),
          eq(deploymentRegions.region, region),
          isNull(deploymentRegions.sealedKubeconfig),
        ),
      )
      .returning({ region: deploymentRegions.region });
    return rows.length > 0;
  }

  /** The deployment's regions, each saying whether its post-back bearer is within its lifetime (database clock). */
  regionsWithTokenLiveness(id: string): Promise<(RegionRow & { tokenLive: boolean })[]> {
    return this.db
      .select({
        ...getTableColumns(deploymentRegions),
        tokenLive: sql<boolean>`coalesce(${deploymentRegions.kubeconfigTokenExpiresAt} > now(), false)`,
      })
      .from(deploymentRegions)
      .where(eq(deploymentRegions.deploymentId, id))
      .orderBy(asc(deploymentRegions.position));
  }

  /**
   * Spends a region's post-back bearer and stores its kubeconfig in one statement: only a live token of this
   * hash matches, so of two racing posts exactly one gets its row back (the other waits, then misses).
   */
  async consumeKubeconfigToken(
    tx: Executor,
    id: string,
    region: string,
    tokenHash: string,
    sealedKubeconfig: string,
  ): Promise<boolean> {
    const rows = await tx
      .update(deploymentRegions)
      .set({ sealedKubeconfig, kubeconfigTokenHash: null, kubeconfigTokenExpiresAt: null })
      .where(
        and(
          eq(deploymentRegions.deploymentId, id),
          eq(deploymentRegions.region, region),
          eq(deploymentRegions.kubeconfigTokenHash, tokenHash),
          gt(deploymentRegions.kubeconfigTokenExpiresAt, sql`now()`),
        ),
      )
      .returning({ region: deploymentRegions.region });
    return rows.length > 0;
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

  /** Writes a legal move of one phase's status (under the deployment row's lock, like moveTo). */
  async movePhase(
    tx: Executor,
    id: string,
    name: string,
    move: PhaseTransition,
    patch: PhasePatch = {},
  ): Promise<void> {
    const rows = await tx
      .update(deploymentPhases)
      .set({ ...patch, status: move.to })
      .where(
        and(
          eq(deploymentPhases.deploymentId, id),
          eq(deploymentPhases.name, name),
          eq(deploymentPhases.status, move.from),
        ),
      )
      .returning({ name: deploymentPhases.name });
    if (!rows.length)
      throw new Error(`phase ${name} of ${id} is no longer ${move.from}: its move to ${move.to} is stale`);
  }

  /**
   * Stores an event under the deployment's next sequence number and announces it (on commit).
   * The counter row lock orders concurrent writers, so sequence numbers have no gaps.
   */
  async appendEvent(id: string, event: DeploymentEventInput, ex: Executor = this.db): Promise<number> {
    const run = async (tx: Executor) => {
      const seq = await this.insertEvents(tx, id, [event]);
      if (seq === undefined) throw new Error(`deployment ${id} vanished`);
      return seq;
    };
    return ex === this.db ? this.db.transaction(run) : run(ex);
  }

  /**
   * Stores `events` in order under the deployment's next sequence numbers in one transaction (a group commit:
   * one counter update, one multi-row insert, one announcement), fenced by a run's lease in the statement that
   * numbers them: only while `owner` holds a live lease. Returns the last sequence number, or undefined with
   * nothing written when the lease is gone. A run's every output line comes through here.
   */
  appendHeldEvents(id: string, owner: string, events: DeploymentEventInput[]): Promise<number | undefined> {
    return this.db.transaction((tx) => this.insertEvents(tx, id, events, owner));
  }

  private async insertEvents(
    tx: Executor,
    id: string,
    events: DeploymentEventInput[],
    leaseOwner?: string,
  ): Promise<number | undefined> {
    const [counter] = await tx
      .update(deployments)
      .set({ eventSeq: sql`${deployments.eventSeq} + ${events.length}` })
      .where(and(eq(deployments.id, id), leaseOwner === undefined ? undefined : leaseHeldBy(leaseOwner)))
      .returning({ last: deployments.eventSeq });
    if (!counter) return undefined;
    const first = counter.last - events.length + 1;
    // One statement with two array parameters, whatever the batch's size: building a thousand-row VALUES
    // list through the query builder cost more CPU than the insert itself.
    const types = sql.param(events.map((event) => event.type));
    const payloads = sql.param(events.map((event) => JSON.stringify(event)));
    await tx.execute(sql`
      insert into ${deploymentEvents} (deployment_id, seq, type, payload)
      select ${id}, ${first - 1} + e.ord, e.type, e.payload
      from unnest(${types}::text[], ${payloads}::jsonb[]) with ordinality as e(type, payload, ord)`);
    await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${`${id}:${counter.last}`})`);
    return counter.last;
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

  /**
   * Renews this owner's leases; returns the runs it still holds, each saying whether a cancel was
   * requested (so a cancel whose NOTIFY never arrived is still seen).
   */
  async renew(
    owner: string,
    ids: string[],
    ttlSeconds: number,
  ): Promise<{ id: string; cancelRequested: boolean }[]> {
    if (!ids.length) return [];
    return this.db
      .update(deployments)
      .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${ttlSeconds})` })
      .where(and(inArray(deployments.id, ids), eq(deployments.leaseOwner, owner)))
      .returning({
        id: deployments.id,
        cancelRequested: sql<boolean>`${deployments.cancelRequestedAt} is not null`,
      });
  }

  /**
   * The fence of every write a run makes: locks the deployment row if `owner` still holds a live
   * lease on it and returns its status (what a status move starts from); undefined otherwise. Taken
   * first in the write's transaction, so a lease taken over meanwhile waits for the write, and a write
   * after the takeover is refused.
   */
  async lockHeldLease(tx: Executor, id: string, owner: string): Promise<DeploymentStatus | undefined> {
    const [row] = await tx
      .select({ status: deployments.status })
      .from(deployments)
      .where(and(eq(deployments.id, id), leaseHeldBy(owner)))
      .for('no key update');
    return row?.status;
  }

  async releaseLease(id: string, owner: string, ex: Executor = this.db): Promise<void> {
    await ex
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

  components(id: string, region?: string): Promise<(typeof deploymentComponents.$inferSelect)[]> {
    return this.db
      .select()
      .from(deploymentComponents)
      .where(
        and(
          eq(deploymentComponents.deploymentId, id),
          region === undefined ? undefined : eq(deploymentComponents.region, region),
        ),
      )
      .orderBy(asc(deploymentComponents.componentId));
  }

  /** Adds a pending row for each expected component of a region that has none yet (keeps what a previous watch saw). */
  async seedComponents(
    id: string,
    region: string,
    componentIds: string[],
    ex: Executor = this.db,
  ): Promise<void> {
    if (!componentIds.length) return;
    await ex
      .insert(deploymentComponents)
      .values(componentIds.map((componentId) => ({ deploymentId: id, region, componentId })))
      .onConflictDoNothing();
  }

  async setComponent(
    id: string,
    region: string,
    componentId: string,
    state: string,
    message: string | null,
    ex: Executor = this.db,
  ): Promise<void> {
    await ex
      .insert(deploymentComponents)
      .values({ deploymentId: id, region, componentId, state, message, updatedAt: sql`now()` })
      .onConflictDoUpdate({
        target: [
          deploymentComponents.deploymentId,
          deploymentComponents.region,
          deploymentComponents.componentId,
        ],
        set: { state, message, updatedAt: sql`now()` },
      });
  }

  async notifyControl(id: string, ex: Executor = this.db): Promise<void> {
    await ex.execute(sql`select pg_notify(${CONTROL_CHANNEL}, ${id})`);
  }
}

/** `owner` holds the deployment's lease, and it has not expired (by the database clock). */
function leaseHeldBy(owner: string) {
  return and(eq(deployments.leaseOwner, owner), gt(deployments.leaseExpiresAt, sql`now()`));
}

/** Rows grouped by their deployment, each group in the order the rows came. */
function byDeployment<T extends { deploymentId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.deploymentId);
    if (group) group.push(row);
    else groups.set(row.deploymentId, [row]);
  }
  return groups;
}
