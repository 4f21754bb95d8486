import type { OrgRole } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { appInstalls, environments, organizations, orgMembers } from './tenants.schema.js';

export type OrgRow = typeof organizations.$inferSelect;
export type MemberRow = { userId: string; role: OrgRole; joinedAt: Date };

const memberColumns = { userId: orgMembers.userId, role: orgMembers.role, joinedAt: orgMembers.joinedAt };

@Injectable()
export class TenantsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get db() {
    return this.database.db;
  }

  /** The orgs a user belongs to, with their role in each. */
  membershipsOf(userId: string, ex: Executor = this.db): Promise<{ org: OrgRow; role: OrgRole }[]> {
    return ex
      .select({ org: organizations, role: orgMembers.role })
      .from(orgMembers)
      .innerJoin(organizations, eq(organizations.id, orgMembers.orgId))
      .where(eq(orgMembers.userId, userId))
      .orderBy(asc(organizations.createdAt));
  }

  /** The org with `slug` if `userId` belongs to it (otherwise it does not exist for them). */
  async membership(slug: string, userId: string): Promise<{ org: OrgRow; role: OrgRole } | undefined> {
    const [row] = await this.db
      .select({ org: organizations, role: orgMembers.role })
      .from(orgMembers)
      .innerJoin(organizations, eq(organizations.id, orgMembers.orgId))
      .where(and(eq(organizations.slug, slug), eq(orgMembers.userId, userId)));
    return row;
  }

  /** The org's members, in the order they joined (e-mails come from auth). */
  members(orgId: string): Promise<MemberRow[]> {
    return this.db
      .select(memberColumns)
      .from(orgMembers)
      .where(eq(orgMembers.orgId, orgId))
      .orderBy(asc(orgMembers.joinedAt), asc(orgMembers.userId));
  }

  /**
   * Adds a member; undefined when they belong to the org already. A second invitation of the same person
   * running at once waits for the first to commit, then finds the row and adds nothing.
   */
  async addMember(
    tx: Executor,
    orgId: string,
    userId: string,
    role: OrgRole,
  ): Promise<MemberRow | undefined> {
    const [row] = await tx
      .insert(orgMembers)
      .values({ orgId, userId, role })
      .onConflictDoNothing()
      .returning(memberColumns);
    return row;
  }

  /** A member's row, locked until `tx` ends, so changes to one membership queue behind each other. */
  async lockMember(tx: Executor, orgId: string, userId: string): Promise<MemberRow | undefined> {
    const [row] = await tx
      .select(memberColumns)
      .from(orgMembers)
      .where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.userId, userId)))
      .for('update');
    return row;
  }

  async setMemberRole(tx: Executor, orgId: string, userId: string, role: OrgRole): Promise<MemberRow> {
    const [row] = await tx
      .update(orgMembers)
      .set({ role })
      .where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.userId, userId)))
      .returning(memberColumns);
    if (!row) throw new Error('member update returned nothing');
    return row;
  }

  async removeMember(tx: Executor, orgId: string, userId: string): Promise<void> {
    await tx.delete(orgMembers).where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.userId, userId)));
  }

  async slugTaken(slug: string, ex: Executor = this.db): Promise<boolean> {
    const rows = await ex
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.slug, slug));
    return rows.length > 0;
  }

  async orgById(id: string): Promise<OrgRow | undefined> {
    const [row] = await this.db.select().from(organizations).where(eq(organizations.id, id));
    return row;
  }

  /** Every environment of the org, those being deleted included. */
  async environmentCount(orgId: string): Promise<number> {
    const rows = await this.db
      .select({ id: environments.id })
      .from(environments)
      .where(eq(environments.orgId, orgId));
    return rows.length;
  }

  async deleteOrg(tx: Executor, orgId: string): Promise<void> {
    await tx.delete(organizations).where(eq(organizations.id, orgId));
  }

  async setPlan(tx: Executor, orgId: string, planId: string): Promise<void> {
    await tx.update(organizations).set({ planId }).where(eq(organizations.id, orgId));
  }

  async createOrg(tx: Executor, row: typeof organizations.$inferInsert): Promise<OrgRow> {
    const [org] = await tx.insert(organizations).values(row).returning();
    if (!org) throw new Error('org insert returned nothing');
    await tx.insert(orgMembers).values({ orgId: org.id, userId: row.ownerId, role: 'owner' });
    return org;
  }

  /** The org's environments, without those being deleted. */
  environments(orgId: string) {
    return this.db
      .select()
      .from(environments)
      .where(and(eq(environments.orgId, orgId), isNull(environments.deletingAt)))
      .orderBy(asc(environments.createdAt));
  }

  async environment(orgId: string, name: string) {
    const [row] = await this.db
      .select()
      .from(environments)
      .where(
        and(eq(environments.orgId, orgId), eq(environments.name, name), isNull(environments.deletingAt)),
      );
    return row;
  }

  /** Undefined when the org already has an environment of that name. */
  async createEnvironment(orgId: string, name: string) {
    const [row] = await this.db
      .insert(environments)
      .values({ orgId, name })
      .onConflictDoNothing()
      .returning();
    return row;
  }

  /** False when its deletion was asked for already. */
  async markEnvironmentDeleting(tx: Executor, id: string): Promise<boolean> {
    const rows = await tx
      .update(environments)
      .set({ deletingAt: sql`now()` })
      .where(and(eq(environments.id, id), isNull(environments.deletingAt)))
      .returning({ id: environments.id });
    return rows.length > 0;
  }

  async insertInstall(tx: Executor, row: typeof appInstalls.$inferInsert) {
    const [install] = await tx.insert(appInstalls).values(row).returning();
    if (!install) throw new Error('install insert returned nothing');
    return install;
  }

  installs(orgId: string) {
    return this.db
      .select({ install: appInstalls, environment: environments.name })
      .from(appInstalls)
      .innerJoin(environments, eq(environments.id, appInstalls.environmentId))
      .where(and(eq(appInstalls.orgId, orgId), ne(appInstalls.status, 'removed')))
      .orderBy(asc(appInstalls.createdAt));
  }

  /** Slugs of many orgs in one query (an id without an org is absent). */
  async slugsOf(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db
      .select({ id: organizations.id, slug: organizations.slug })
      .from(organizations)
      .where(inArray(organizations.id, ids));
    return new Map(rows.map((r) => [r.id, r.slug]));
  }

  /** Every org, newest first (the BSS; owners' e-mails come from auth). */
  allOrgs(): Promise<OrgRow[]> {
    return this.db.select().from(organizations).orderBy(desc(organizations.createdAt));
  }
}
