import type { DomainEvent } from '@catalyst/contracts';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { EventsService } from '../events/events.service.js';
import { HelmReleaseWatcher } from '../helmwatch/helmrelease.watcher.js';
import { deriveState, type HelmRelease } from '../helmwatch/helmrelease-state.js';
import { type ClusterClients, LocalCluster } from '../helmwatch/local-cluster.js';
import {
  APP_RELEASES,
  deleteEnvironment,
  deleteKeptSecrets,
  installApp,
  LABELS,
  reconcileApp,
  releaseExists,
  suspendApp,
  uninstallApp,
} from '../helmwatch/tenant-cluster.js';
import { AppBilling, nextMonthly } from './app-billing.service.js';
import {
  AppInstallsRepository,
  appOf,
  type InstallRow,
  type InstallTarget,
} from './app-installs.repository.js';

/**
 * Tenants' apps on the cluster this Catalyst runs on. The HTTP side only records requests as events
 * (in the transaction of the change); this service consumes them (at least once: every step converges,
 * so a replay creates nothing twice) and follows the apps' HelmReleases with one list + watch per
 * replica, turning what Flux reports into `running` / `failed` / `removed`. Every transition is a
 * conditional update, so replicas that both see a change record it once.
 */
@Injectable()
export class AppLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private watcher?: HelmReleaseWatcher;
  /** Reports from the watch, handled one after another in arrival order. */
  private chain = Promise.resolve();
  /** Installs whose release the watch has seen since its last full list. */
  private readonly seen = new Set<string>();

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly cluster: LocalCluster,
    private readonly repo: AppInstallsRepository,
    private readonly events: EventsService,
    private readonly billing: AppBilling,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.cluster.available) return;
    this.watcher = new HelmReleaseWatcher(
      this.cluster.clients().releases(APP_RELEASES),
      this.logger.child({ component: 'app-watch' }),
      (release) => {
        const installId = release.metadata.labels?.[LABELS.install];
        if (installId) this.seen.add(installId);
        this.enqueue(() => this.onRelease(release));
      },
      (name, namespace) => this.enqueue(() => this.onReleaseGone(namespace, name)),
      () => this.enqueue(() => this.recover()),
    );
    this.watcher.start();
  }

  onApplicationShutdown(): void {
    this.watcher?.stop();
  }

  private clients(): ClusterClients {
    return this.cluster.clients();
  }

  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain
      .then(work)
      .catch((err) => this.logger.warn({ err }, 'app watch report not handled'));
  }

  @OnEvent('catalyst.app.install-requested')
  async onInstallRequested(event: DomainEvent<'catalyst.app.install-requested'>): Promise<void> {
    const target = await this.repo.target(event.payload.installId);
    if (target?.install.status !== 'installing') return;
    await installApp(this.clients(), toAppTarget(target), this.config.apps);
  }

  @OnEvent('catalyst.app.retry-requested')
  async onRetryRequested(event: DomainEvent<'catalyst.app.retry-requested'>): Promise<void> {
    const target = await this.repo.target(event.payload.installId);
    if (target?.install.status !== 'installing') return;
    // Applied again first: a release that never reached the cluster is created, one that did is left as it is.
    await installApp(this.clients(), toAppTarget(target), this.config.apps);
    await reconcileApp(this.clients(), target.install.namespace, target.install.appId);
  }

  @OnEvent('catalyst.app.resume-requested')
  async onResumeRequested(event: DomainEvent<'catalyst.app.resume-requested'>): Promise<void> {
    const target = await this.repo.target(event.payload.installId);
    if (target?.install.status !== 'installing') return;
    await installApp(this.clients(), toAppTarget(target), this.config.apps);
    await reconcileApp(this.clients(), target.install.namespace, target.install.appId, { resume: true });
  }

  @OnEvent('catalyst.app.suspended')
  async onSuspended(event: DomainEvent<'catalyst.app.suspended'>): Promise<void> {
    const target = await this.repo.target(event.payload.installId);
    if (target?.install.status !== 'suspended') return;
    if (await releaseExists(this.clients(), target.install.namespace, target.install.appId))
      await suspendApp(this.clients(), target.install.namespace, target.install.appId);
  }

  @OnEvent('catalyst.app.uninstall-requested')
  async onUninstallRequested(event: DomainEvent<'catalyst.app.uninstall-requested'>): Promise<void> {
    const target = await this.repo.target(event.payload.installId);
    if (target?.install.status !== 'uninstalling') return;
    const { namespace, appId } = target.install;
    await uninstallApp(this.clients(), namespace, appId);
    // Gone at once (no finalizer to wait for): the watch may have reported it before this row was read.
    if (!(await releaseExists(this.clients(), namespace, appId))) await this.removed(target.install);
  }

  /** Its apps first (each release uninstalled by Flux), then the namespace, then the row. */
  @OnEvent('catalyst.environment.delete-requested')
  async onEnvironmentDeleteRequested(
    event: DomainEvent<'catalyst.environment.delete-requested'>,
  ): Promise<void> {
    const { environmentId, namespace } = event.payload;
    const apps = await this.repo.liveIn(environmentId);
    // Without a cluster nothing was ever deployed for an environment without apps: only its row goes.
    if (apps.length || this.cluster.available) {
      for (const app of apps) await uninstallApp(this.clients(), namespace, app.appId);
      await deleteEnvironment(this.clients(), namespace);
    }
    await this.repo.db.transaction(async (tx) => {
      for (const app of await this.repo.liveIn(environmentId, tx)) {
        if (await this.repo.transition(tx, app.id, ['uninstalling'], 'removed'))
          await this.events.record(tx, 'catalyst.app.removed', appOf(app));
      }
      await this.repo.deleteEnvironmentRow(tx, environmentId);
    });
  }

  /** What Flux reports: Ready → running (the first month is charged then), a failure → failed with its message. */
  private async onRelease(release: HelmRelease): Promise<void> {
    const installId = release.metadata.labels?.[LABELS.install];
    if (!installId) return;
    const { state, message } = deriveState(release);
    if (state === 'installed') await this.running(installId);
    else if (state === 'failed') await this.failed(installId, message ?? 'The release failed');
  }

  private async running(installId: string): Promise<void> {
    let unpaid: InstallTarget | undefined;
    await this.repo.db.transaction(async (tx) => {
      const target = await this.repo.target(installId, tx, true);
      if (!target || !['installing', 'failed'].includes(target.install.status)) return;
      let paidUntil: Date | undefined;
      if (!target.install.paidUntil) {
        const now = new Date();
        if (!(await this.billing.payMonth(tx, target, now))) {
          if (await this.billing.suspendUnpaid(tx, target, ['installing', 'failed'])) unpaid = target;
          return;
        }
        paidUntil = nextMonthly(now);
      }
      const moved = await this.repo.transition(tx, installId, ['installing', 'failed'], 'running', {
        message: null,
        paidUntil,
      });
      if (moved) await this.events.record(tx, 'catalyst.app.running', appOf(moved));
    });
    if (unpaid) await this.billing.mailSuspended(unpaid);
  }

  private async failed(installId: string, message: string): Promise<void> {
    await this.repo.db.transaction(async (tx) => {
      const moved = await this.repo.transition(tx, installId, ['installing', 'running'], 'failed', {
        message,
      });
      if (moved) await this.events.record(tx, 'catalyst.app.failed', { ...appOf(moved), message });
    });
  }

  private async onReleaseGone(namespace: string, appId: string): Promise<void> {
    const install = await this.repo.byRelease(namespace, appId);
    if (install?.status === 'uninstalling') await this.removed(install);
  }

  /** The release is gone: the Secrets its chart kept go too, then the app is `removed`. */
  private async removed(install: InstallRow): Promise<void> {
    await deleteKeptSecrets(this.clients(), install.namespace, install.appId);
    await this.repo.db.transaction(async (tx) => {
      const moved = await this.repo.transition(tx, install.id, ['uninstalling'], 'removed');
      if (moved) await this.events.record(tx, 'catalyst.app.removed', appOf(moved));
    });
  }

  /**
   * After each full list: an app still installing whose release the cluster does not have (it was never
   * applied, or was deleted behind Catalyst's back) is applied again; one uninstalling whose release is
   * gone is removed. So nothing is left `installing` without a release the watch follows.
   */
  private async recover(): Promise<void> {
    const seen = new Set(this.seen);
    this.seen.clear();
    for (const target of await this.repo.targetsIn(['installing', 'uninstalling'])) {
      if (seen.has(target.install.id)) continue;
      if (target.install.status === 'uninstalling') await this.removed(target.install);
      else await installApp(this.clients(), toAppTarget(target), this.config.apps);
    }
  }
}

function toAppTarget(target: InstallTarget) {
  return {
    namespace: target.install.namespace,
    orgId: target.install.orgId,
    orgSlug: target.orgSlug,
    environment: target.environment,
    planId: target.planId,
    installId: target.install.id,
    appId: target.install.appId,
    url: target.install.url,
  };
}
