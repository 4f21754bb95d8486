import { Injectable } from '@nestjs/common';
import type { Executor, Tx } from '../database/database.js';
import { type OrgRow, TenantsRepository } from './tenants.repository.js';

export type { OrgRow };

/**
 * Organizations as other features see them: checkout finds or creates the customer's organization
 * inside its own transaction (passed in as `tx`), the BSS lists them all.
 */
@Injectable()
export class OrgsService {
  constructor(private readonly repo: TenantsRepository) {}

  /** The organization the user joined first, if any. */
  async firstOf(userId: string, ex?: Executor): Promise<OrgRow | undefined> {
    const [membership] = await this.repo.membershipsOf(userId, ex);
    return membership?.org;
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

  /** Every organization, newest first. */
  all(): Promise<OrgRow[]> {
    return this.repo.allOrgs();
  }
}
