import type { AppStatus } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { appCharges, appInstalls, environments, organizations } from './tenants.schema.js';

export type InstallRow = typeof appInstalls.$inferSelect;

/** What every app event names. */
export function appOf(install: InstallRow) {
  return { installId: install.id, orgId: install.orgId, appId: install.appId };
}

/** An install with what the cluster work needs of its org and environment. */
export interface InstallTarget {
  install: InstallRow;
  orgSlug: string;
  orgName: string;
  ownerId: string;
  planId: string;
  environment: string;
}

/** App installs as their lifecycle moves them: every change of status is conditional, so replicas agree. */
@Injectable()
export class AppInstallsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get db() {
    return this.database.db;
  }

  private selectTargets(ex: Executor) {
    return ex
      .select({
        install: appInstalls,
        orgSlug: organizations.slug,
        orgName: organizations.name,
        ownerId: organizations.ownerId,
        planId: organizations.planId,
        environment: environments.name,
      })
      .from(appInstalls)
      .innerJoin(organizations, eq(organizations.id, appInstalls.orgId))
      .innerJoin(environments, eq(environments.id, appInstalls.environmentId));
  }

  /** With `lock`, the row is held until `ex`'s transaction ends (transitions read, decide, then write). */
  async target(id: string, ex: Executor = this.db, lock = false): Promise<InstallTarget | undefined> {
    const query = this.selectTargets(ex).where(eq(appInstalls.id, id));
    const [row] = await (lock ? query.for('update', { of: appInstalls }) : query);
    return row;
  }

  targetsIn(statuses: AppStatus[]): Promise<InstallTarget[]> {
    return this.selectTargets(this.db)
      .where(inArray(appInstalls.status, statuses))
      .orderBy(asc(appInstalls.createdAt));
  }

  /** The live install of the app whose release is `appId` in `namespace`. */
  async byRelease(namespace: string, appId: string): Promise<InstallRow | undefined> {
    const [row] = await this.db
      .select()
      .from(appInstalls)
      .where(
        and(
          eq(appInstalls.namespace, namespace),
          eq(appInstalls.appId, appId),
          ne(appInstalls.status, 'removed'),
        ),
      );
    return row;
  }

  /** Moves the install to `to` only from one of `from`; returns the row when it moved. */
  async transition(
    ex: Executor,
    id: string,
    from: AppStatus[],
    to: AppStatus,
    changes: { message?: string | null; paidUntil?: Date } = {},
  ): Promise<InstallRow | undefined> {
    const [row] = await ex
      .update(appInstalls)
      .set({
        status: to,
        updatedAt: sql`now()`,
        ...(changes.message !== undefined ? { message: changes.message } : {}),
        ...(changes.paidUntil ? { paidUntil: changes.paidUntil } : {}),
        ...(to === 'removed' ? { uninstalledAt: sql`now()` } : {}),
      })
      .where(and(eq(appInstalls.id, id), inArray(appInstalls.status, from)))
      .returning();
    return row;
  }

  /**
   * Records the charge of the month starting at `periodStart`; false when it was recorded before (the
   * caller then draws nothing), so a month is charged once however often it is attempted.
   */
  async recordCharge(
    ex: Executor,
    installId: string,
    periodStart: Date,
    amountBaisa: number,
  ): Promise<boolean> {
    const rows = await ex
      .insert(appCharges)
      .values({ installId, periodStart, amountBaisa })
      .onConflictDoNothing()
      .returning({ installId: appCharges.installId });
    return rows.length > 0;
  }

  /** Running apps whose paid month is over. */
  async dueForRenewal(now: Date): Promise<string[]> {
    const rows = await this.db
      .select({ id: appInstalls.id })
      .from(appInstalls)
      .where(and(eq(appInstalls.status, 'running'), lte(appInstalls.paidUntil, now)));
    return rows.map((r) => r.id);
  }

  /** Suspended apps of the organizations `ownerId` owns (their wallet pays for them). */
  async suspendedOf(ownerId: string): Promise<string[]> {
    const rows = await this.db
      .select({ id: appInstalls.id })
      .from(appInstalls)
      .innerJoin(organizations, eq(organizations.id, appInstalls.orgId))
      .where(and(eq(organizations.ownerId, ownerId), eq(appInstalls.status, 'suspended')));
    return rows.map((r) => r.id);
  }

  /** Every app of an environment that is not removed yet. */
  liveIn(environmentId: string, ex: Executor = this.db): Promise<InstallRow[]> {
    return ex
      .select()
      .from(appInstalls)
      .where(and(eq(appInstalls.environmentId, environmentId), ne(appInstalls.status, 'removed')));
  }

  /** What every org's live apps cost a month, and which are suspended (the BSS). */
  runRates(): Promise<
    { orgId: string; appId: string; environment: string; status: string; monthlyPriceBaisa: number }[]
  > {
    return this.db
      .select({
        orgId: appInstalls.orgId,
        appId: appInstalls.appId,
        environment: environments.name,
        status: appInstalls.status,
        monthlyPriceBaisa: appInstalls.monthlyPriceBaisa,
      })
      .from(appInstalls)
      .innerJoin(environments, eq(environments.id, appInstalls.environmentId))
      .where(inArray(appInstalls.status, ['running', 'suspended']));
  }

  async deleteEnvironmentRow(ex: Executor, environmentId: string): Promise<void> {
    await ex.delete(environments).where(eq(environments.id, environmentId));
  }
}
