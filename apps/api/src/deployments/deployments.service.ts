import { randomUUID, timingSafeEqual } from 'node:crypto';
import {
  type Deployment,
  type DeploymentEventInput,
  type DeploymentStatus,
  installSet,
  type LogTail,
  type PhaseName,
  type ProvisionRequest,
  phaseNames,
  retryRunsTofu,
  unavailableRegions,
} from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/roles.decorator.js';
import { AppError, ValidationError } from '../common/app-error.js';
import { CONFIG, type Config } from '../config/config.js';
import { SECRET_KEYS, type SecretKeys } from '../crypto/keys.js';
import { Sealer } from '../crypto/sealer.js';
import { DATABASE, type Database, type Executor, type Tx } from '../database/database.js';
import { DomainsService } from '../domains/domains.service.js';
import { RegistrarsService } from '../domains/registrars/registrars.service.js';
import { parseSovereignKubeconfig, serializeKubeconfig } from '../helmwatch/kubeconfig.js';
import { ComponentsService } from './components.service.js';
import {
  CoalescedReads,
  type DeploymentSnapshotParts,
  readDeploymentSnapshot,
} from './deployment-snapshot.query.js';
import {
  kubeconfigAlreadyPosted as alreadyPosted,
  emptyKubeconfig,
  expiredBearer,
  fqdnInUse,
  hetznerTokenRequired,
  invalidBearer,
  kubeconfigTooLarge,
  missingBearer,
  notCancellable,
  deploymentNotFound as notFound,
  notOnASovereign,
  notReadyForHandover,
  notRetryable,
  notWipeable,
  phaseNotReached,
  providerNotAvailable,
  regionOnlyForComponents,
  runInProgress,
  unknownRegion,
  wipeFirst,
} from './deployments.errors.js';
import {
  type DeploymentPatch,
  type DeploymentRow,
  DeploymentsRepository,
  type PhaseRow,
  RUNNABLE,
} from './deployments.repository.js';
import { mintHandoverLink, sovereignConsoleUrl } from './handover-link.js';
import { kitComponents, type RegionState, toRegionSnapshot } from './region-snapshot.js';
import { RunScheduler } from './run.scheduler.js';
import { CANCELLED } from './run-lease.js';
import { kubeconfigTokenOf, tokenHash } from './run-secrets.js';
import { canTransition, initialDeploymentStatus, transition, transitionPhase } from './run-state.js';
import { kubeApiEndpointOf, loadStoredKubeconfig } from './stored-kubeconfig.js';
import { fqdnOf, withoutSecrets } from './stored-request.js';

/** A deployment holds its name for as long as a run may take to reach DNS, retries included. */
const NAME_HOLD_SECONDS = 30 * 24 * 3600;
const MAX_KUBECONFIG_BYTES = 1024 * 1024;

/** Refusals of a customer's own domain that are not format mistakes (see DomainsService.reserveOwn). */
const OWN_DOMAIN_REFUSALS = ['domain_not_allowed', 'zone_exists'];

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Provision requests and what an operator does with a run: read it, retry, cancel, wipe, delete. */
@Injectable()
export class DeploymentsService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(SECRET_KEYS) private readonly keys: SecretKeys,
    private readonly repo: DeploymentsRepository,
    private readonly domains: DomainsService,
    private readonly registrars: RegistrarsService,
    private readonly sealer: Sealer,
    private readonly components: ComponentsService,
    private readonly audit: AuditService,
    private readonly scheduler: RunScheduler,
    @Inject(DATABASE) private readonly database: Database,
  ) {}

  /** Only a mothership provisions Sovereigns: on a Sovereign this refuses with 403 not_on_a_sovereign. */
  assertProvisioningOffered(): void {
    if (this.config.mode === 'sovereign') throw notOnASovereign();
  }

  /**
   * Accepts a provision request: holds the name (pool reservation or the customer's domain), seals
   * the secrets and queues the run. 409 when a live deployment or an allocation holds the name. The
   * name is reserved in the same transaction as the deployment row, so a request that fails anywhere
   * leaves nothing held. Answers where to watch the run.
   */
  async create(
    request: ProvisionRequest,
    user: Principal,
  ): Promise<{ id: string; status: DeploymentStatus; fqdn: string; streamURL: string }> {
    this.assertProvisioningOffered();
    const unavailable = unavailableRegions(request);
    if (unavailable.length) {
      throw providerNotAvailable(
        unavailable.map(({ index, message }) => ({ path: `topology.regions.${index}.provider`, message })),
      );
    }
    const id = randomUUID();
    const fqdn = fqdnOf(request.domain);
    const registrarCredentials =
      request.domain.mode === 'byo-api'
        ? this.registrars.parseCredentials(
            request.domain.registrar,
            request.domain.credentials,
            'domain.credentials',
          )
        : undefined;
    await this.repo.db.transaction(async (tx) => {
      const reservation = await this.holdName(request, user.userId, tx);
      const created = await this.repo.create(
        tx,
        {
          id,
          fqdn,
          request: withoutSecrets(request),
          installSet: installSet(request.components),
          hetznerProjectId: request.credentials.hetznerProjectId,
          reservationId: reservation.reservationId,
          sealedHetznerToken: this.sealer.seal(request.credentials.hetznerToken, id),
          sealedRegistrarCredentials: registrarCredentials
            ? this.sealer.seal(JSON.stringify(registrarCredentials), id)
            : null,
          sealedSmtpPassword: request.smtp?.password ? this.sealer.seal(request.smtp.password, id) : null,
          createdBy: user.userId,
        },
        phaseNames,
        request.topology.regions.map((r) => ({ region: r.cloudRegion, provider: r.provider })),
      );
      if (!created) throw fqdnInUse(fqdn);
      await this.repo.appendEvent(id, { type: 'deployment', status: created.status }, tx);
    });
    await this.wake(id);
    return { id, status: initialDeploymentStatus, fqdn, streamURL: `/api/v1/deployments/${id}/logs` };
  }

  async list(): Promise<Deployment[]> {
    const rows = await this.repo.list();
    const parts = await this.repo.partsOf(rows.map((row) => row.id));
    return rows.map((row) => {
      const regions = parts.regions.get(row.id) ?? [];
      const components = kitComponents(
        row.installSet,
        regions.map((r) => r.region),
        parts.components.get(row.id) ?? [],
      );
      return toDeployment(row, parts.phases.get(row.id) ?? [], components, regions);
    });
  }

  /**
   * The last `lines` events of a run, each as the SSE stream's `data` (`{seq, type, time, …}`): what an agent reads
   * instead of the live stream (GET …/logs), from the same stored rows the stream replays.
   */
  async tail(id: string, lines: number): Promise<LogTail> {
    const row = await this.repo.get(id);
    if (!row) throw notFound();
    const rows = await this.repo.eventsAfter(id, Math.max(0, row.eventSeq - lines), lines);
    return {
      deploymentId: id,
      lastSeq: row.eventSeq,
      events: rows.map((event) => ({
        seq: event.seq,
        time: event.createdAt.toISOString(),
        ...(event.payload as object),
        type: event.type,
      })),
    };
  }

  /** Snapshot reads of one deployment asked for together share one query (see CoalescedReads). */
  private readonly snapshotReads = new CoalescedReads<DeploymentSnapshotParts | undefined>();

  /** The snapshot of one deployment: the row, its phases and its components in one query (a hot read). */
  async get(id: string): Promise<Deployment> {
    const parts = await this.snapshotReads.read(id, () => readDeploymentSnapshot(this.database.pool, id));
    if (!parts) throw notFound();
    return toDeployment(parts.row, parts.phases, parts.components, parts.regions);
  }

  /**
   * Retries a stopped run. A phase name re-runs it from that phase (and everything after it); a
   * bootstrap-kit component asks Flux to try that release again, and a run that stopped at the kit
   * watches again.
   */
  async retry(
    id: string,
    name: string,
    { hetznerToken, region }: { hetznerToken?: string | undefined; region?: string | undefined },
    user: Principal,
  ): Promise<Deployment> {
    if (phaseNames.includes(name as PhaseName)) {
      // A phase runs for the whole Sovereign: every region takes part in it.
      if (region !== undefined) throw regionOnlyForComponents(name);
      await this.retryPhase(id, name, hetznerToken, user);
    } else await this.retryComponent(id, name, user, region);
    return this.get(id);
  }

  private async retryPhase(
    id: string,
    phase: string,
    hetznerToken: string | undefined,
    user: Principal,
  ): Promise<void> {
    await this.repo.db.transaction(async (tx) => {
      const row = await this.repo.lock(tx, id);
      if (!row) throw notFound();
      if (!canTransition(row.status, 'queued')) throw notRetryable(row.status);
      const phases = await this.repo.phases(id, tx);
      const target = phases.find((p) => p.name === phase) as PhaseRow;
      const firstOpen = phases.find((p) => p.status !== 'succeeded' && p.status !== 'skipped');
      if (firstOpen && target.position > firstOpen.position) throw phaseNotReached(phase, firstOpen.name);
      // The SPA asks for the token by the same rule (libs/contracts), so it never meets this 422.
      if (retryRunsTofu(target.name) && !hetznerToken && !row.sealedHetznerToken)
        throw hetznerTokenRequired();
      await this.requeueFrom(
        tx,
        row,
        phases,
        target,
        hetznerToken ? { sealedHetznerToken: this.sealer.seal(hetznerToken, id) } : {},
        { type: 'log', phase, stream: 'stdout', line: `Retry from ${phase} requested by ${user.email}` },
      );
    });
    await this.wake(id);
  }

  private async retryComponent(id: string, name: string, user: Principal, region?: string): Promise<void> {
    await this.components.retry(id, name, user, region);
    if (await this.requeueKitWatch(id)) await this.wake(id);
  }

  /** A run that stopped at the kit watches again (from the bootstrap-kit phase), so it follows the retry. */
  private requeueKitWatch(id: string): Promise<boolean> {
    return this.repo.db.transaction(async (tx) => {
      const row = await this.repo.lock(tx, id);
      const phases = await this.repo.phases(id, tx);
      const kit = phases.find((p) => p.name === 'bootstrap-kit');
      if (!row || !kit || !canTransition(row.status, 'queued') || kit.status !== 'failed') return false;
      await this.requeueFrom(tx, row, phases, kit, {});
      return true;
    });
  }

  /**
   * Queues a stopped run (row locked by the caller) to run again from `from`: that phase and every
   * later one move back to pending, and `note` says why in the stream before the status does.
   */
  private async requeueFrom(
    tx: Executor,
    row: DeploymentRow,
    phases: PhaseRow[],
    from: PhaseRow,
    patch: DeploymentPatch,
    note?: DeploymentEventInput,
  ): Promise<void> {
    for (const phase of phases) {
      if (phase.position < from.position || phase.status === 'pending') continue;
      await this.repo.movePhase(tx, row.id, phase.name, transitionPhase(phase.status, 'pending'), {
        startedAt: null,
        finishedAt: null,
        error: null,
      });
    }
    const move = transition(row.status, 'queued');
    await this.repo.moveTo(tx, row.id, move, {
      kind: 'provision',
      error: null,
      cancelRequestedAt: null,
      ...patch,
    });
    if (note) await this.repo.appendEvent(row.id, note, tx);
    await this.repo.appendEvent(row.id, { type: 'deployment', status: move.to }, tx);
  }

  /** Tells every replica (through the database) that the run has work, and looks at once on this one. */
  private async wake(id: string): Promise<void> {
    await this.repo.notifyControl(id);
    void this.scheduler.tick();
  }

  /** Stops a run: a queued one at once, a running one through its owner (SIGINT to tofu first). */
  async cancel(id: string, user: Principal): Promise<Deployment> {
    await this.repo.db.transaction(async (tx) => {
      const row = await this.repo.lock(tx, id);
      if (!row) throw notFound();
      if (row.status === 'queued' && !row.leaseOwner) {
        const move = transition(row.status, 'cancelled');
        await this.repo.moveTo(tx, id, move, { error: CANCELLED, sealedHetznerToken: null });
        await this.repo.appendEvent(id, { type: 'deployment', status: move.to, error: CANCELLED }, tx);
        return;
      }
      // A run with an owner is cancelled by that owner (it stops its tofu first).
      if (!canTransition(row.status, 'cancelled')) throw notCancellable(row.status);
      await this.repo.update(id, { cancelRequestedAt: new Date() }, tx);
      await this.repo.appendEvent(
        id,
        { type: 'log', phase: 'cancel', stream: 'stdout', line: `Cancel requested by ${user.email}` },
        tx,
      );
    });
    await this.repo.notifyControl(id);
    return this.get(id);
  }

  /** Destroys a stopped Sovereign's cloud resources and frees its name (status wiping → wiped). */
  async wipe(id: string, hetznerToken: string, user: Principal): Promise<Deployment> {
    await this.repo.db.transaction(async (tx) => {
      const row = await this.repo.lock(tx, id);
      if (!row) throw notFound();
      if (!canTransition(row.status, 'wiping')) throw notWipeable(row.status);
      const move = transition(row.status, 'wiping');
      await this.repo.moveTo(tx, id, move, {
        kind: 'wipe',
        error: null,
        sealedHetznerToken: this.sealer.seal(hetznerToken, id),
      });
      await this.repo.appendEvent(
        id,
        { type: 'log', phase: 'wipe', stream: 'stdout', line: `Wipe requested by ${user.email}` },
        tx,
      );
      await this.repo.appendEvent(id, { type: 'deployment', status: move.to }, tx);
    });
    await this.wake(id);
    return this.get(id);
  }

  /** Forgets a record with nothing left in the cloud. */
  async delete(id: string): Promise<void> {
    const fqdn = await this.repo.db.transaction(async (tx) => {
      const row = await this.repo.lock(tx, id);
      if (!row) throw notFound();
      if (row.hasCloudResources) throw wipeFirst(row.fqdn);
      if (RUNNABLE.includes(row.status)) throw runInProgress(row.status);
      await this.repo.delete(tx, id);
      return row.status === 'wiped' ? undefined : row.fqdn;
    });
    // A run that never reached the cloud still held its name.
    if (fqdn) await this.domains.release(fqdn).catch(() => undefined);
  }

  /**
   * cloud-init's post-back. Each region's bearer (one-time, time-bound) authorises exactly one kubeconfig, that
   * region's, and only one that passes the strict rules (helmwatch/kubeconfig.ts, its server one of that region's
   * addresses): it is checked before the token is spent, then stored in its canonical form while the token is
   * spent in one statement. 401: no, wrong or expired bearer; 409: a bearer of this deployment, already spent
   * (a racing post lost).
   */
  async acceptKubeconfig(id: string, bearer: string | undefined, body: unknown): Promise<void> {
    if (!bearer) throw missingBearer();
    const [row, regions] = await Promise.all([this.repo.get(id), this.repo.regionsWithTokenLiveness(id)]);
    if (!row) throw notFound();
    const presented = tokenHash(bearer);
    const region = regions.find((r) => r.kubeconfigTokenHash && sameHash(r.kubeconfigTokenHash, presented));
    if (!region) {
      const spent = regions.find((r) => this.isRunToken(id, r.region, presented));
      if (spent?.sealedKubeconfig) throw alreadyPosted();
      throw invalidBearer();
    }
    if (!region.tokenLive) throw expiredBearer();
    const kubeconfig = typeof body === 'string' ? body : '';
    if (!kubeconfig.trim()) throw emptyKubeconfig();
    if (Buffer.byteLength(kubeconfig) > MAX_KUBECONFIG_BYTES) throw kubeconfigTooLarge();
    const parsed = parseSovereignKubeconfig(
      kubeconfig,
      kubeApiEndpointOf({ ...region, fqdn: row.fqdn }, this.config.deployments.kubeApiPort),
    );
    const sealed = this.sealer.seal(serializeKubeconfig(parsed), id);
    const where = regions.length > 1 ? ` from ${region.region}` : '';
    const accepted = await this.repo.db.transaction(async (tx) => {
      // The deployment row first, then the region's: the order the run's own writes lock them in (a region's
      // phase moving while another region posts must not deadlock).
      await this.repo.lock(tx, id);
      if (!(await this.repo.consumeKubeconfigToken(tx, id, region.region, presented, sealed))) return false;
      await this.repo.appendEvent(
        id,
        {
          type: 'log',
          phase: 'flux-bootstrap',
          stream: 'stdout',
          line: `cloud-init posted the kubeconfig back${where}`,
        },
        tx,
      );
      return true;
    });
    if (accepted) return;
    // Spent or expired between the check above and the update.
    const now = await this.repo.region(id, region.region);
    if (now?.sealedKubeconfig) throw alreadyPosted();
    throw expiredBearer('This token has expired');
  }

  /** Whether a presented bearer is this deployment's (derived) post-back token of `region`, spent or not. */
  private isRunToken(id: string, region: string, presentedHash: string): boolean {
    return sameHash(tokenHash(kubeconfigTokenOf(this.keys, id, region)), presentedHash);
  }

  /**
   * A region's kubeconfig (the primary's when none is named) for the Sovereign's admin, checked again before it
   * leaves; every download is audited.
   */
  async kubeconfig(
    id: string,
    user: Principal,
    regionName?: string,
  ): Promise<{ name: string; yaml: string }> {
    const row = await this.repo.get(id);
    if (!row) throw notFound();
    const regions = await this.repo.regions(id);
    const region = regionName === undefined ? regions[0] : regions.find((r) => r.region === regionName);
    if (!region) throw unknownRegion(regionName ?? '');
    const kubeconfig = loadStoredKubeconfig(
      { ...region, id, fqdn: row.fqdn },
      this.sealer,
      this.config.deployments.kubeApiPort,
    );
    await this.audit.record({
      actorId: user.userId,
      actorEmail: user.email,
      action: 'kubeconfig.download',
      target: `deployment:${id}`,
      ...(regions.length > 1 ? { details: { region: region.region } } : {}),
    });
    const name = regions.length > 1 ? `${region.region}.${row.fqdn}` : row.fqdn;
    return { name, yaml: serializeKubeconfig(kubeconfig) };
  }

  /**
   * A one-time link that signs the Sovereign's first sovereign-admin (the request's admin e-mail) in to its
   * console; only for a ready run. Minted on demand and never stored or logged: the audit entry names the
   * token's id, not the token.
   */
  async handoverLink(id: string, user: Principal): Promise<{ url: string; expiresAt: string }> {
    const row = await this.repo.get(id);
    if (!row) throw notFound();
    if (row.status !== 'ready') throw notReadyForHandover(row.status);
    const { sovereignConsoleUrl: pattern, handoverTokenTtlSeconds } = this.config.deployments;
    const link = mintHandoverLink({
      keys: this.keys,
      deploymentId: id,
      fqdn: row.fqdn,
      adminEmail: (row.request as { adminEmail: string }).adminEmail,
      consoleUrl: sovereignConsoleUrl(pattern, row.fqdn),
      ttlSeconds: handoverTokenTtlSeconds,
    });
    await this.audit.record({
      actorId: user.userId,
      actorEmail: user.email,
      action: 'handover.link',
      target: `deployment:${id}`,
      details: { jti: link.jti, expiresAt: link.expiresAt.toISOString() },
    });
    return { url: link.url, expiresAt: link.expiresAt.toISOString() };
  }

  private async holdName(request: ProvisionRequest, userId: string, tx: Tx) {
    const { domain } = request;
    try {
      return domain.mode === 'pool'
        ? await this.domains.reservePool(domain.poolDomain, domain.subdomain, userId, NAME_HOLD_SECONDS, tx)
        : await this.domains.reserveOwn(domain.domain, domain.mode, userId, NAME_HOLD_SECONDS, tx);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.status === 409) throw fqdnInUse(fqdnOf(domain));
      // A name that is well-formed but not the customer's to use: 422 with its code, pointing at the field.
      if (OWN_DOMAIN_REFUSALS.includes(error.code)) {
        throw new AppError(422, error.code, error.message, {
          ...error.details,
          issues: [{ path: 'domain.domain', message: error.message }],
        });
      }
      if (error.status === 422) {
        const path =
          domain.mode === 'pool'
            ? error.code === 'unsupported-pool'
              ? 'domain.poolDomain'
              : 'domain.subdomain'
            : 'domain.domain';
        throw new ValidationError([{ path, message: error.message }]);
      }
      throw error;
    }
  }
}

export function toDeployment(
  row: DeploymentRow | DeploymentSnapshotParts['row'],
  phases: (PhaseRow | DeploymentSnapshotParts['phases'][number])[],
  components: Deployment['components'],
  regions: RegionState[],
): Deployment {
  const request = row.request as { org: { name: string }; domain: { mode: Deployment['domainMode'] } };
  return {
    id: row.id,
    fqdn: row.fqdn,
    status: row.status,
    orgName: request.org.name,
    domainMode: request.domain.mode,
    phases: phases.map((p) => ({
      name: p.name as PhaseName,
      status: p.status,
      ...(p.startedAt ? { startedAt: p.startedAt.toISOString() } : {}),
      ...(p.finishedAt ? { finishedAt: p.finishedAt.toISOString() } : {}),
      ...(p.error ? { error: p.error } : {}),
    })),
    regions: regions.map(toRegionSnapshot),
    components: components.map(({ id, region, state, message }) => ({
      id,
      region,
      state,
      ...(message ? { message } : {}),
    })),
    ...(row.result ? { result: row.result as Deployment['result'] } : {}),
    ...(row.error ? { error: row.error } : {}),
    hasCloudResources: row.hasCloudResources,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
