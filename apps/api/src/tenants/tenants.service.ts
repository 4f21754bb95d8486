import {
  type AppInstall,
  type AppStatus,
  findMarketplaceApp,
  marketplaceApps,
  type Org,
  type OrgWallet,
  omr,
  orgSlugSchema,
} from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/roles.decorator.js';
import { AppError, NotFoundError } from '../common/app-error.js';
import { CONFIG, type Config } from '../config/config.js';
import { DomainsService } from '../domains/domains.service.js';
import { EventsService } from '../events/events.service.js';
import { LocalCluster } from '../helmwatch/local-cluster.js';
import { namespaceOf } from '../helmwatch/tenant-cluster.js';
import { insufficientCredit } from '../wallets/wallets.errors.js';
import { WalletsService } from '../wallets/wallets.service.js';
import { AppInstallsRepository, type InstallRow } from './app-installs.repository.js';
import { OrgAccess, orgAccess } from './org-access.js';
import { TenantsRepository } from './tenants.repository.js';

/** A tenant's workspace: organizations, environments and the apps installed in them. */
@Injectable()
export class TenantsService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly repo: TenantsRepository,
    private readonly wallets: WalletsService,
    private readonly domains: DomainsService,
    private readonly events: EventsService,
    private readonly cluster: LocalCluster,
    private readonly appInstalls: AppInstallsRepository,
    private readonly access: OrgAccess,
  ) {}

  async orgs(user: Principal): Promise<Org[]> {
    return (await this.repo.membershipsOf(user.userId)).map(({ org, role }) => ({
      slug: org.slug,
      name: org.name,
      fqdn: org.fqdn,
      role,
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

  /**
   * Deletes an organization its owner no longer wants: only once it has no environment left (their
   * apps and namespaces go with them), so nothing runs unpaid. Its name is freed and its DNS records
   * are removed (OrgDns, from the event); the owner's wallet stays theirs.
   */
  async deleteOrg(slug: string, user: Principal): Promise<void> {
    const { org } = await this.access.requireOrgRole(slug, user, orgAccess.own);
    if (await this.repo.environmentCount(org.id))
      throw new AppError(409, 'org_not_empty', `Delete the environments of ${org.slug} first`);
    await this.repo.db.transaction(async (tx) => {
      await this.domains.releaseTenantName(tx, org.fqdn);
      await this.repo.deleteOrg(tx, org.id);
      await this.events.record(tx, 'catalyst.tenant.deleted', {
        orgId: org.id,
        slug: org.slug,
        fqdn: org.fqdn,
        poolDomain: org.poolDomain,
      });
    });
  }

  async environments(slug: string, user: Principal) {
    const { org } = await this.access.requireOrgRole(slug, user, orgAccess.read);
    return (await this.repo.environments(org.id)).map((e) => ({
      name: e.name,
      createdAt: e.createdAt.toISOString(),
    }));
  }

  async createEnvironment(slug: string, name: string, user: Principal) {
    const { org } = await this.access.requireOrgRole(slug, user, orgAccess.manageApps);
    const created = await this.repo.createEnvironment(org.id, name);
    if (!created)
      throw new AppError(409, 'environment_exists', `${org.slug} already has an environment "${name}"`);
    return { name: created.name, createdAt: created.createdAt.toISOString() };
  }

  /**
   * Deletes the environment: its apps are uninstalled, then its namespace and the row go (done by
   * AppLifecycle from the event). From now on it is not listed and takes no installs.
   */
  async deleteEnvironment(slug: string, name: string, user: Principal): Promise<void> {
    const { org } = await this.access.requireOrgRole(slug, user, orgAccess.manageApps);
    const environment = await this.repo.environment(org.id, name);
    if (!environment) throw new NotFoundError(`No environment "${name}"`, 'environment_not_found');
    await this.repo.db.transaction(async (tx) => {
      if (!(await this.repo.markEnvironmentDeleting(tx, environment.id))) return;
      for (const app of await this.appInstalls.liveIn(environment.id, tx)) {
        await this.appInstalls.transition(
          tx,
          app.id,
          ['installing', 'running', 'failed', 'suspended', 'uninstalling'],
          'uninstalling',
        );
      }
      await this.events.record(tx, 'catalyst.environment.delete-requested', {
        environmentId: environment.id,
        orgId: org.id,
        namespace: namespaceOf(org.slug, environment.name),
      });
    });
  }

  /**
   * Asks for an app to be installed: the row (`installing`) and the request event in one transaction;
   * the cluster work and the first month's charge follow (AppLifecycle). Refused up front when there
   * is no cluster to deploy into, or the wallet could not pay the first month.
   */
  async install(slug: string, envName: string, appId: string, user: Principal): Promise<AppInstall> {
    const { org } = await this.access.requireOrgRole(slug, user, orgAccess.manageApps);
    const app = findMarketplaceApp(appId);
    if (!app) throw new AppError(422, 'unknown_app', `No app "${appId}" in the catalog`);
    const environment = await this.repo.environment(org.id, envName);
    if (!environment) throw new NotFoundError(`No environment "${envName}"`, 'environment_not_found');
    this.cluster.assertAvailable();
    const balance = await this.wallets.balance(org.ownerId);
    if (balance < app.monthlyPriceBaisa) throw insufficientCredit(app.monthlyPriceBaisa, balance);
    const url = this.config.appUrlPattern
      .replace('{app}', app.id)
      .replace('{env}', environment.name)
      .replace('{orgFqdn}', org.fqdn);
    try {
      const install = await this.repo.db.transaction(async (tx) => {
        const row = await this.repo.insertInstall(tx, {
          orgId: org.id,
          environmentId: environment.id,
          appId: app.id,
          namespace: namespaceOf(org.slug, environment.name),
          url,
          status: 'installing',
          monthlyPriceBaisa: app.monthlyPriceBaisa,
        });
        await this.events.record(tx, 'catalyst.app.install-requested', {
          installId: row.id,
          orgId: org.id,
          appId: app.id,
        });
        return row;
      });
      return { ...toInstall(install), environment: environment.name };
    } catch (error) {
      if (isUniqueViolation(error, 'app_installs_one_per_environment'))
        throw new AppError(
          409,
          'app_already_installed',
          `${app.name} is already installed in ${environment.name}`,
        );
      throw error;
    }
  }

  async installs(slug: string, user: Principal): Promise<AppInstall[]> {
    const { org } = await this.access.requireOrgRole(slug, user, orgAccess.read);
    return (await this.repo.installs(org.id)).map(({ install, environment }) => ({
      ...toInstall(install),
      environment,
    }));
  }

  /** One installed app of the org (any member), as the list shows it; 404 app_not_found when it has none such. */
  async installed(slug: string, id: string, user: Principal): Promise<AppInstall> {
    const app = (await this.installs(slug, user)).find((a) => a.id === id);
    if (!app) throw new NotFoundError('No such installed app', 'app_not_found');
    return app;
  }

  /** A failed app is tried again: `installing`, and Flux is asked to reconcile its release. */
  async retry(slug: string, id: string, user: Principal): Promise<AppInstall> {
    return this.request(
      slug,
      id,
      user,
      ['failed'],
      'installing',
      'catalyst.app.retry-requested',
      () => new AppError(409, 'app_not_failed', 'Only a failed app can be retried'),
    );
  }

  /** Stops the app and its charge: `uninstalling` until the cluster has removed it, then `removed`. */
  async uninstall(slug: string, id: string, user: Principal): Promise<AppInstall> {
    return this.request(
      slug,
      id,
      user,
      ['installing', 'running', 'failed', 'suspended'],
      'uninstalling',
      'catalyst.app.uninstall-requested',
      () => new NotFoundError('No such installed app', 'app_not_found'),
    );
  }

  private async request(
    slug: string,
    id: string,
    user: Principal,
    from: AppStatus[],
    to: AppStatus,
    event: 'catalyst.app.retry-requested' | 'catalyst.app.uninstall-requested',
    refusal: () => Error,
  ): Promise<AppInstall> {
    const { org } = await this.access.requireOrgRole(slug, user, orgAccess.manageApps);
    this.cluster.assertAvailable();
    const moved = await this.repo.db.transaction(async (tx) => {
      const current = await this.appInstalls.target(id, tx, true);
      if (!current || current.install.orgId !== org.id || current.install.status === 'removed')
        throw new NotFoundError('No such installed app', 'app_not_found');
      const row = await this.appInstalls.transition(tx, id, from, to, { message: null });
      if (!row) throw refusal();
      await this.events.record(tx, event, { installId: id });
      return { row, environment: current.environment };
    });
    return { ...toInstall(moved.row), environment: moved.environment };
  }

  poolDomains(): string[] {
    return this.config.domains.tenantPoolDomains;
  }

  catalogApps() {
    return marketplaceApps.map((a) => ({
      id: a.id,
      name: a.name,
      description: a.description,
      monthlyPriceBaisa: a.monthlyPriceBaisa,
      monthlyPriceOmr: omr(a.monthlyPriceBaisa),
      postgres: a.postgres,
    }));
  }

  /** What the org's installs are paid from (its owner's wallet): for those who install. */
  async wallet(slug: string, user: Principal): Promise<OrgWallet> {
    const { org } = await this.access.requireOrgRole(slug, user, orgAccess.manageApps);
    const balanceBaisa = await this.wallets.balance(org.ownerId);
    return { balanceBaisa, balanceOmr: omr(balanceBaisa) };
  }
}

function toInstall(row: InstallRow): Omit<AppInstall, 'environment'> {
  return {
    id: row.id,
    appId: row.appId,
    url: row.url,
    status: row.status as AppStatus,
    message: row.message,
    monthlyPriceBaisa: row.monthlyPriceBaisa,
    paidUntil: row.paidUntil?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const cause =
    (error as { cause?: { code?: string; constraint?: string } }).cause ??
    (error as { code?: string; constraint?: string });
  return cause?.code === '23505' && cause.constraint === constraint;
}
