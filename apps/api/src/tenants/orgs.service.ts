import { Injectable } from '@nestjs/common';
import type { Executor, Tx } from '../database/database.js';
import { AppInstallsRepository } from './app-installs.repository.js';
import { type OrgRow, TenantsRepository } from './tenants.repository.js';

export type { OrgRow };

/**
 * Organizations as other features see them: checkout finds or creates the customer's organization
 * inside its own transaction (passed in as `tx`), the BSS lists them all.
 */
@Injectable()
export class OrgsService {
  constructor(
    private readonly repo: TenantsRepository,
    private readonly apps: AppInstallsRepository,
  ) {}

  /**
   * The organization the user owns (the first, if ever more than one), if any: an org they were only invited
   * into is not theirs to check out for.
   */
  async firstOf(userId: string, ex?: Executor): Promise<OrgRow | undefined> {
    return (await this.repo.membershipsOf(userId, ex)).find(({ role }) => role === 'owner')?.org;
  }

  /** The plan of the org's latest order (its environments' quota), in the caller's transaction. */
  setPlan(tx: Tx, orgId: string, planId: string): Promise<void> {
    return this.repo.setPlan(tx, orgId, planId);
  }

  slugTaken(slug: string, ex?: Executor): Promise<boolean> {
    return this.repo.slugTaken(slug, ex);
  }

  /** Creates the organization with its owner as first member, in the caller's transaction. */
  create(tx: Tx, row: Pick<OrgRow, 'slug' | 'name' | 'fqdn' | 'poolDomain' | 'ownerId'>): Promise<OrgRow> {
    return this.repo.createOrg(tx, row);
  }

  /** Slugs of many organizations at once; an id without an organization is absent. */
  slugsOf(ids: string[]): Promise<Map<string, string>> {
    return this.repo.slugsOf(ids);
  }

  /** The running and suspended apps of every organization, with their monthly price (the BSS run-rate). */
  billedApps() {
    return this.apps.runRates();
  }

  async byId(id: string): Promise<OrgRow | undefined> {
    return this.repo.orgById(id);
  }

  /** Every organization, newest first. */
  all(): Promise<OrgRow[]> {
    return this.repo.allOrgs();
  }
}
