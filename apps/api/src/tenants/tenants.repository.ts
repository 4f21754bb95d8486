import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { appInstalls, environments, organizations, orgMembers } from './tenants.schema.js';

export type OrgRow = typeof organizations.$inferSelect;

@Injectable()
export class TenantsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get db() {
    return this.database.db;
  }

  /** The orgs a user belongs to, with their role in each. */
  membershipsOf(userId: string, ex: Executor = this.db) {
    return ex
      .select({ org: organizations, role: orgMembers.role })
      .from(orgMembers)
      .innerJoin(organizations, eq(organizations.id, orgMembers.orgId))
      .where(eq(orgMembers.userId, userId))
      .orderBy(asc(organizations.createdAt));
  }

  /** The org with `slug` if `userId` belongs to it (otherwise it does not exist for them). */
  async membership(slug: string, userId: string): Promise<{ org: OrgRow; role: string } | undefined> {
    const [row] = await this.db
      .select({ org: organizations, role: orgMembers.role })
      .from(orgMembers)
      .innerJoin(organizations, eq(organizations.id, orgMembers.orgId))
      .where(and(eq(organizations.slug, slug), eq(orgMembers.userId, userId)));
    return row;
  }

  async slugTaken(slug: string, ex: Executor = this.db): Promise<boolean> {
    const rows = await ex
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.slug, slug));
    return rows.length > 0;
  }

  async createOrg(tx: Executor, row: typeof organizations.$inferInsert): Promise<OrgRow> {
    const [org] = await tx.insert(organizations).values(row).returning();
    if (!org) throw new Error('org insert returned nothing');
    await tx.insert(orgMembers).values({ orgId: org.id, userId: row.ownerId, role: 'owner' });
    return org;
  }

  environments(orgId: string) {
    return this.db
      .select()
      .from(environments)
      .where(eq(environments.orgId, orgId))
      .orderBy(asc(environments.createdAt));
  }

  async environment(orgId: string, name: string) {
    const [row] = await this.db
      .select()
      .from(environments)
      .where(and(eq(environments.orgId, orgId), eq(environments.name, name)));
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

  async deleteEnvironment(orgId: string, name: string): Promise<boolean> {
    const rows = await this.db
      .delete(environments)
      .where(and(eq(environments.orgId, orgId), eq(environments.name, name)))
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
      .where(and(eq(appInstalls.orgId, orgId), isNull(appInstalls.uninstalledAt)))
      .orderBy(asc(appInstalls.createdAt));
  }

  async uninstall(orgId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .update(appInstalls)
      .set({ status: 'uninstalled', uninstalledAt: sql`now()` })
      .where(and(eq(appInstalls.id, id), eq(appInstalls.orgId, orgId), isNull(appInstalls.uninstalledAt)))
      .returning({ id: appInstalls.id });
    return rows.length > 0;
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
