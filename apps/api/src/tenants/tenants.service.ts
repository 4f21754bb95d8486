import {
  type AppInstall,
  findMarketplaceApp,
  marketplaceApps,
  type Org,
  omr,
  orgSlugSchema,
} from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/roles.decorator.js';
import { AppError, NotFoundError } from '../common/app-error.js';
import { CONFIG, type Config } from '../config/config.js';
import { DomainsService } from '../domains/domains.service.js';
import { WalletsService } from '../wallets/wallets.service.js';
import { type OrgRow, TenantsRepository } from './tenants.repository.js';

const orgNotFound = () => new NotFoundError('No such organization', 'org_not_found');

/** A tenant's workspace: organizations, environments and the apps installed in them. */
@Injectable()
export class TenantsService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly repo: TenantsRepository,
    private readonly wallets: WalletsService,
    private readonly domains: DomainsService,
  ) {}

  async orgs(user: Principal): Promise<Org[]> {
    return (await this.repo.membershipsOf(user.userId)).map(({ org, role }) => ({
      slug: org.slug,
      name: org.name,
      fqdn: org.fqdn,
      role: role as Org['role'],
      createdAt: org.createdAt.toISOString(),
    }));
  }

  async slugCheck(slug: string): Promise<{ available: boolean; reason?: string }> {
    const parsed = orgSlugSchema.safeParse(slug);
    if (!parsed.success) return { available: false, reason: parsed.error.issues[0]?.message ?? 'invalid' };
    if (this.domains.isReservedLabel(parsed.data)) return { available: false, reason: 'reserved' };
    return (await this.repo.slugTaken(parsed.data))
      ? { available: false, reason: 'taken' }
      : { available: true };
  }

  async environments(slug: string, user: Principal) {
    const { org } = await this.member(slug, user);
    return (await this.repo.environments(org.id)).map((e) => ({
      name: e.name,
      createdAt: e.createdAt.toISOString(),
    }));
  }

  async createEnvironment(slug: string, name: string, user: Principal) {
    const { org } = await this.member(slug, user);
    const created = await this.repo.createEnvironment(org.id, name);
    if (!created)
      throw new AppError(409, 'environment_exists', `${org.slug} already has an environment "${name}"`);
    return { name: created.name, createdAt: created.createdAt.toISOString() };
  }

  async deleteEnvironment(slug: string, name: string, user: Principal): Promise<void> {
    const { org } = await this.member(slug, user);
    if (!(await this.repo.deleteEnvironment(org.id, name)))
      throw new NotFoundError(`No environment "${name}"`, 'environment_not_found');
  }

  /** Installs an app: the first month is drawn from the org owner's wallet in the same transaction. */
  async install(slug: string, envName: string, appId: string, user: Principal): Promise<AppInstall> {
    const { org } = await this.member(slug, user);
    const app = findMarketplaceApp(appId);
    if (!app) throw new AppError(422, 'unknown_app', `No app "${appId}" in the catalog`);
    const environment = await this.repo.environment(org.id, envName);
    if (!environment) throw new NotFoundError(`No environment "${envName}"`, 'environment_not_found');
    const url = this.config.appUrlPattern
      .replace('{app}', app.id)
      .replace('{env}', environment.name)
      .replace('{orgFqdn}', org.fqdn);
    const install = await this.repo.db.transaction(async (tx) => {
      await this.wallets.debit(tx, {
        userId: org.ownerId,
        amountBaisa: app.monthlyPriceBaisa,
        reason: `app:${app.id}:${environment.name}`,
      });
      return this.repo.insertInstall(tx, {
        orgId: org.id,
        environmentId: environment.id,
        appId: app.id,
        url,
        status: 'installing',
        monthlyPriceBaisa: app.monthlyPriceBaisa,
      });
    });
    return { ...toInstall(install), environment: environment.name };
  }

  async installs(slug: string, user: Principal): Promise<AppInstall[]> {
    const { org } = await this.member(slug, user);
    return (await this.repo.installs(org.id)).map(({ install, environment }) => ({
      ...toInstall(install),
      environment,
    }));
  }

  /** Stops the charge: no further months are drawn for an uninstalled app. */
  async uninstall(slug: string, id: string, user: Principal): Promise<void> {
    const { org } = await this.member(slug, user);
    if (!(await this.repo.uninstall(org.id, id)))
      throw new NotFoundError('No such installed app', 'app_not_found');
  }

  catalogApps() {
    return marketplaceApps.map((a) => ({ ...a, monthlyPriceOmr: omr(a.monthlyPriceBaisa) }));
  }

  /** Another org's workspace does not exist for a non-member: 404, not 403, so nothing leaks. */
  private async member(slug: string, user: Principal): Promise<{ org: OrgRow; role: string }> {
    const membership = await this.repo.membership(slug, user.userId);
    if (!membership) throw orgNotFound();
    return membership;
  }
}

function toInstall(row: {
  id: string;
  appId: string;
  url: string;
  status: string;
  monthlyPriceBaisa: number;
  createdAt: Date;
}): Omit<AppInstall, 'environment'> {
  return {
    id: row.id,
    appId: row.appId,
    url: row.url,
    status: row.status as AppInstall['status'],
    monthlyPriceBaisa: row.monthlyPriceBaisa,
    createdAt: row.createdAt.toISOString(),
  };
}
