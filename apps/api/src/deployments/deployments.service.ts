import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  type Deployment,
  installSet,
  type PhaseName,
  type ProvisionRequest,
  phaseNames,
  terminalStatuses,
} from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/roles.decorator.js';
import { AppError, NotFoundError, ValidationError } from '../common/app-error.js';
import { deriveRunSecret, SECRET_KEYS, type SecretKeys } from '../crypto/keys.js';
import { Sealer } from '../crypto/sealer.js';
import { DomainsService } from '../domains/domains.service.js';
import { RegistrarsService } from '../domains/registrars/registrars.service.js';
import { ComponentsService } from './components.service.js';
import { type DeploymentRow, DeploymentsRepository, type PhaseRow } from './deployments.repository.js';
import { fqdnOf, withoutSecrets } from './stored-request.js';

/** A deployment holds its name for as long as a run may take to reach DNS, retries included. */
const NAME_HOLD_SECONDS = 30 * 24 * 3600;
const MAX_KUBECONFIG_BYTES = 1024 * 1024;
/** Phases that run tofu, and so need the Hetzner token. */
const TOFU_PHASES: PhaseName[] = ['preflight', 'tofu-init', 'tofu-plan', 'tofu-apply', 'tofu-output'];

const notFound = () => new NotFoundError('No deployment has this id', 'deployment_not_found');

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Provision requests and what an operator does with a run: read it, retry, cancel, wipe, delete. */
@Injectable()
export class DeploymentsService {
  constructor(
    @Inject(SECRET_KEYS) private readonly keys: SecretKeys,
    private readonly repo: DeploymentsRepository,
    private readonly domains: DomainsService,
    private readonly registrars: RegistrarsService,
    private readonly sealer: Sealer,
    private readonly components: ComponentsService,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Accepts a provision request: holds the name (pool reservation or the customer's domain), seals
   * the secrets and queues the run. 409 when a live deployment or an allocation holds the name.
   */
  async create(request: ProvisionRequest, user: Principal): Promise<{ id: string; fqdn: string }> {
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
    const reservation = await this.holdName(request, user.userId);
    const row = await this.repo.db.transaction(async (tx) => {
      const created = await this.repo.create(
        tx,
        {
          id,
          fqdn,
          status: 'queued',
          request: withoutSecrets(request),
          installSet: installSet(request.components),
          hetznerProjectId: request.credentials.hetznerProjectId,
          reservationId: reservation.reservationId,
          sealedHetznerToken: this.sealer.seal(request.credentials.hetznerToken, id),
          sealedRegistrarCredentials: registrarCredentials
            ? this.sealer.seal(JSON.stringify(registrarCredentials), id)
            : null,
          kubeconfigTokenHash: sha256(deriveRunSecret(this.keys, 'kubeconfig-token', id)),
          createdBy: user.userId,
        },
        phaseNames,
      );
      if (created) await this.repo.appendEvent(id, { type: 'deployment', status: 'queued' }, tx);
      return created;
    });
    if (!row) {
      await this.domains.release(fqdn).catch(() => undefined);
      throw fqdnInUse(fqdn);
    }
    await this.repo.notifyControl(id);
    return { id, fqdn };
  }

  async list(): Promise<Deployment[]> {
    const rows = await this.repo.list();
    return Promise.all(rows.map((row) => this.snapshot(row)));
  }

  async get(id: string): Promise<Deployment> {
    const row = await this.repo.get(id);
    if (!row) throw notFound();
    return this.snapshot(row);
  }

  private async snapshot(row: DeploymentRow): Promise<Deployment> {
    const [phases, components] = await Promise.all([this.repo.phases(row.id), this.components.list(row.id)]);
    return toDeployment(row, phases, components);
  }

  /** Re-runs a stopped run from `phase` (and everything after it). */
  async retry(
    id: string,
    phase: string,
    hetznerToken: string | undefined,
    user: Principal,
  ): Promise<Deployment> {
    if (!phaseNames.includes(phase as PhaseName)) {
      throw new AppError(
        400,
        'unknown_phase',
        `No phase "${phase}"; the phases are ${phaseNames.join(', ')}`,
      );
    }
    await this.repo.db.transaction(async (tx) => {
      const row = await this.repo.lock(tx, id);
      if (!row) throw notFound();
      if (row.status !== 'failed' && row.status !== 'cancelled') {
        throw new AppError(
          409,
          'not_retryable',
          `The run is ${row.status}; only a failed or cancelled run can be retried`,
        );
      }
      const phases = await this.repo.phases(id, tx);
      const target = phases.find((p) => p.name === phase) as PhaseRow;
      const firstOpen = phases.find((p) => p.status !== 'succeeded' && p.status !== 'skipped');
      if (firstOpen && target.position > firstOpen.position) {
        throw new AppError(
          409,
          'phase_not_reached',
          `Retry from ${firstOpen.name} or earlier: ${phase} has not been reached`,
        );
      }
      const needsToken = phases.some(
        (p) => p.position >= target.position && TOFU_PHASES.includes(p.name as PhaseName),
      );
      if (needsToken && !hetznerToken && !row.sealedHetznerToken) {
        throw new AppError(
          422,
          'hetzner_token_required',
          'This retry runs OpenTofu: send the Hetzner token with it',
          {
            issues: [{ path: 'hetznerToken', message: 'Required to run OpenTofu again' }],
          },
        );
      }
      await this.repo.resetPhasesFrom(tx, id, target.position);
      await this.repo.update(
        id,
        {
          status: 'queued',
          kind: 'provision',
          error: null,
          cancelRequestedAt: null,
          ...(hetznerToken ? { sealedHetznerToken: this.sealer.seal(hetznerToken, id) } : {}),
        },
        tx,
      );
      await this.repo.appendEvent(
        id,
        { type: 'log', phase, stream: 'stdout', line: `Retry from ${phase} requested by ${user.email}` },
        tx,
      );
      await this.repo.appendEvent(id, { type: 'deployment', status: 'queued' }, tx);
    });
    await this.repo.notifyControl(id);
    return this.get(id);
  }

  /** Stops a run: a queued one at once, a running one through its owner (SIGINT to tofu first). */
  async cancel(id: string, user: Principal): Promise<Deployment> {
    await this.repo.db.transaction(async (tx) => {
      const row = await this.repo.lock(tx, id);
      if (!row) throw notFound();
      if (row.status === 'queued' && !row.leaseOwner) {
        await this.repo.update(
          id,
          { status: 'cancelled', error: 'Cancelled by the operator', sealedHetznerToken: null },
          tx,
        );
        await this.repo.appendEvent(
          id,
          { type: 'deployment', status: 'cancelled', error: 'Cancelled by the operator' },
          tx,
        );
        return;
      }
      if (row.status !== 'running' && row.status !== 'queued') {
        throw new AppError(
          409,
          'not_cancellable',
          `The run is ${row.status}; only a queued or running run can be cancelled`,
        );
      }
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
      if (!terminalStatuses.includes(row.status as never) || row.status === 'wiped') {
        throw new AppError(
          409,
          'not_wipeable',
          `The run is ${row.status}; cancel it or let it finish before wiping`,
        );
      }
      await this.repo.update(
        id,
        {
          status: 'wiping',
          kind: 'wipe',
          error: null,
          sealedHetznerToken: this.sealer.seal(hetznerToken, id),
        },
        tx,
      );
      await this.repo.appendEvent(
        id,
        { type: 'log', phase: 'wipe', stream: 'stdout', line: `Wipe requested by ${user.email}` },
        tx,
      );
      await this.repo.appendEvent(id, { type: 'deployment', status: 'wiping' }, tx);
    });
    await this.repo.notifyControl(id);
    return this.get(id);
  }

  /** Forgets a record with nothing left in the cloud. */
  async delete(id: string): Promise<void> {
    const fqdn = await this.repo.db.transaction(async (tx) => {
      const row = await this.repo.lock(tx, id);
      if (!row) throw notFound();
      if (row.hasCloudResources) {
        throw new AppError(409, 'wipe_first', `${row.fqdn} still has cloud resources; wipe it first`);
      }
      if (['queued', 'running', 'wiping'].includes(row.status)) {
        throw new AppError(409, 'run_in_progress', `The run is ${row.status}; cancel it first`);
      }
      await this.repo.delete(tx, id);
      return row.status === 'wiped' ? undefined : row.fqdn;
    });
    // A run that never reached the cloud still held its name.
    if (fqdn) await this.domains.release(fqdn).catch(() => undefined);
  }

  /** cloud-init's post-back: the one-time token authorises exactly one kubeconfig. */
  async acceptKubeconfig(id: string, bearer: string | undefined, body: unknown): Promise<void> {
    const row = await this.repo.get(id);
    if (!row) throw notFound();
    if (!bearer)
      throw new AppError(401, 'missing_bearer', 'Send the run token as Authorization: Bearer <token>');
    const expected = row.kubeconfigTokenHash;
    const actual = sha256(bearer);
    if (!expected || !timingSafeEqual(Buffer.from(expected), Buffer.from(actual))) {
      throw new AppError(
        403,
        'invalid_bearer',
        'This token does not authorise a kubeconfig for this deployment',
      );
    }
    const kubeconfig = typeof body === 'string' ? body : '';
    if (!kubeconfig.trim())
      throw new AppError(422, 'empty_kubeconfig', 'The body is empty: send the kubeconfig YAML');
    if (Buffer.byteLength(kubeconfig) > MAX_KUBECONFIG_BYTES) {
      throw new AppError(422, 'kubeconfig_too_large', 'A kubeconfig is at most 1 MiB');
    }
    if (!/^\s*clusters:/m.test(kubeconfig) || !/^\s*users:/m.test(kubeconfig)) {
      throw new AppError(422, 'not_a_kubeconfig', 'The body is not a kubeconfig (no clusters/users)');
    }
    await this.repo.db.transaction(async (tx) => {
      await this.repo.update(
        id,
        { sealedKubeconfig: this.sealer.seal(kubeconfig, id), kubeconfigTokenHash: null },
        tx,
      );
      await this.repo.appendEvent(
        id,
        {
          type: 'log',
          phase: 'flux-bootstrap',
          stream: 'stdout',
          line: 'cloud-init posted the kubeconfig back',
        },
        tx,
      );
    });
  }

  /** The Sovereign's kubeconfig for its admin; every download is audited. */
  async kubeconfig(id: string, user: Principal): Promise<{ fqdn: string; yaml: string }> {
    const row = await this.repo.get(id);
    if (!row) throw notFound();
    if (!row.sealedKubeconfig)
      throw new AppError(409, 'kubeconfig_not_ready', 'The cluster has not posted its kubeconfig yet');
    await this.audit.record({
      actorId: user.userId,
      actorEmail: user.email,
      action: 'kubeconfig.download',
      target: `deployment:${id}`,
    });
    return { fqdn: row.fqdn, yaml: this.sealer.unseal(row.sealedKubeconfig, id) };
  }

  private async holdName(request: ProvisionRequest, userId: string) {
    const { domain } = request;
    try {
      return domain.mode === 'pool'
        ? await this.domains.reservePool(domain.poolDomain, domain.subdomain, userId, NAME_HOLD_SECONDS)
        : await this.domains.reserveOwn(domain.domain, domain.mode, userId, NAME_HOLD_SECONDS);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.status === 409) throw fqdnInUse(fqdnOf(domain));
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

function fqdnInUse(fqdn: string): AppError {
  return new AppError(409, 'fqdn_in_use', `${fqdn} is already held by a live deployment or allocation`);
}

export function toDeployment(
  row: DeploymentRow,
  phases: PhaseRow[],
  components: Deployment['components'],
): Deployment {
  const request = row.request as { org: { name: string }; domain: { mode: Deployment['domainMode'] } };
  return {
    id: row.id,
    fqdn: row.fqdn,
    status: row.status as Deployment['status'],
    orgName: request.org.name,
    domainMode: request.domain.mode,
    phases: phases.map((p) => ({
      name: p.name as PhaseName,
      status: p.status as Deployment['phases'][number]['status'],
      ...(p.startedAt ? { startedAt: p.startedAt.toISOString() } : {}),
      ...(p.finishedAt ? { finishedAt: p.finishedAt.toISOString() } : {}),
      ...(p.error ? { error: p.error } : {}),
    })),
    components: components.map(({ id, state, message }) => ({ id, state, ...(message ? { message } : {}) })),
    ...(row.result ? { result: row.result as Deployment['result'] } : {}),
    ...(row.error ? { error: row.error } : {}),
    hasCloudResources: row.hasCloudResources,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
