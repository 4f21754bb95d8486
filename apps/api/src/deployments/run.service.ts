import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  type ComponentState,
  type DeploymentEventInput,
  expectedKitReleases,
  type PhaseName,
} from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { execa } from 'execa';
import type { Logger } from 'pino';
import { AppError } from '../common/app-error.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { deriveRunSecret, SECRET_KEYS, type SecretKeys } from '../crypto/keys.js';
import { Sealer } from '../crypto/sealer.js';
import { DATABASE, type Database } from '../database/database.js';
import { DomainsService } from '../domains/domains.service.js';
import { type ComponentStatus, KitWatchFailed, watchKit } from '../helmwatch/kit-watch.js';
import { SovereignKube } from '../helmwatch/kube.client.js';
import { type DeploymentRow, DeploymentsRepository } from './deployments.repository.js';
import { passwordOf, Redactor } from './redactor.js';
import { fqdnOf, type StoredRequest } from './stored-request.js';
import { buildTfvars } from './tfvars.js';
import { runTofu, TofuNotFoundError } from './tofu.runner.js';
import { type Diagnostic, describeFailure, parseTofuLine } from './tofu-json.js';
import { removeSecretsFrom, removeWorkdir, stageWorkdir, workdirFor } from './workdir.js';

/** The OpenTofu module in the repository (the same relative path from src/ and dist/). */
export const TOFU_MODULE_DIR = fileURLToPath(new URL('../../../../infra/hetzner', import.meta.url));

/** A phase failed for a reason the operator can read. */
class PhaseFailed extends Error {}
/** The api is shutting down: leave the run as it is for another replica (or this one, restarted) to resume. */
export const SHUTDOWN = 'shutdown';

interface RunContext {
  row: DeploymentRow;
  request: StoredRequest;
  fqdn: string;
  hetznerToken?: string;
  redactor: Redactor;
  signal: AbortSignal;
  workdir: string;
  tofuEnv: Record<string, string>;
  prepared: boolean;
  planned: boolean;
  emit(event: DeploymentEventInput): Promise<void>;
}

/** State-encryption config for tofu, given through TF_ENCRYPTION so the passphrase never sits in a file. */
function encryptionConfig(passphrase: string): string {
  // `${…}` below is OpenTofu's reference syntax inside the config, not a JavaScript template.
  const ref = (path: string) => `\${${path}}`;
  return JSON.stringify({
    key_provider: { pbkdf2: { main: { passphrase } } },
    method: { aes_gcm: { main: { keys: ref('key_provider.pbkdf2.main') } } },
    state: { method: ref('method.aes_gcm.main'), enforced: true },
    plan: { method: ref('method.aes_gcm.main'), enforced: true },
  });
}

/**
 * Executes a deployment's phases (design.md §4) or its wipe. Each phase is idempotent, so a run can
 * start again from any phase: after a failure (retry), or after its api died (resume).
 */
@Injectable()
export class RunService {
  private readonly phaseHandlers: Record<PhaseName, (ctx: RunContext) => Promise<void>> = {
    preflight: (ctx) => this.preflight(ctx),
    'tofu-init': (ctx) => this.prepare(ctx, 'tofu-init'),
    'tofu-plan': (ctx) => this.plan(ctx, 'tofu-plan'),
    'tofu-apply': (ctx) => this.apply(ctx),
    'tofu-output': (ctx) => this.output(ctx),
    dns: (ctx) => this.dns(ctx),
    'flux-bootstrap': (ctx) => this.fluxBootstrap(ctx),
    'bootstrap-kit': (ctx) => this.bootstrapKit(ctx),
    handover: (ctx) => this.handover(ctx),
  };

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SECRET_KEYS) private readonly keys: SecretKeys,
    private readonly repo: DeploymentsRepository,
    private readonly domains: DomainsService,
    private readonly sealer: Sealer,
  ) {}

  /** Runs the provision phases from the first one not yet succeeded, until the run stops. */
  async provision(id: string, signal: AbortSignal, resumed: boolean): Promise<void> {
    const ctx = await this.context(id, signal);
    const phases = await this.repo.phases(id);
    const start = phases.find((p) => p.status !== 'succeeded' && p.status !== 'skipped');
    if (!start) return this.finish(ctx, 'ready');
    await this.repo.update(id, { status: 'running' });
    if (resumed) {
      await ctx.emit({
        type: 'log',
        phase: start.name,
        stream: 'stdout',
        line: `Resumed by this api instance after the previous one stopped; ${start.name} runs again.`,
      });
    }
    for (const phase of phases.slice(phases.indexOf(start))) {
      const name = phase.name as PhaseName;
      if (signal.aborted) return this.stopped(ctx, name);
      await this.repo.setPhase(id, name, {
        status: 'running',
        startedAt: new Date(),
        finishedAt: null,
        error: null,
      });
      await ctx.emit({ type: 'phase', phase: name, status: 'running' });
      try {
        await this.phaseHandlers[name](ctx);
      } catch (error) {
        if (signal.aborted) return this.stopped(ctx, name);
        const message = ctx.redactor.redact(this.describe(error));
        await this.repo.setPhase(id, name, { status: 'failed', finishedAt: new Date(), error: message });
        await ctx.emit({ type: 'phase', phase: name, status: 'failed', error: message });
        return this.finish(ctx, 'failed', `${name}: ${message}`);
      }
      await this.repo.setPhase(id, name, { status: 'succeeded', finishedAt: new Date() });
      await ctx.emit({ type: 'phase', phase: name, status: 'succeeded' });
    }
    return this.finish(ctx, 'ready');
  }

  /** Destroys everything the run created, releases the name and forgets the state. */
  async wipe(id: string, signal: AbortSignal): Promise<void> {
    const ctx = await this.context(id, signal);
    const log = (line: string) => ctx.emit({ type: 'log', phase: 'wipe', stream: 'stdout', line });
    try {
      if (!ctx.hetznerToken)
        throw new PhaseFailed('The wipe needs the Hetzner token; start it again with the token');
      await log(`Wiping ${ctx.fqdn}: destroying every cloud resource of this Sovereign`);
      await this.prepareWorkdir(ctx, 'wipe');
      await this.tofu(ctx, 'wipe', 'destroy', [
        'destroy',
        '-auto-approve',
        '-input=false',
        '-no-color',
        '-json',
        '-lock-timeout=10m',
      ]);
      await log('Cloud resources destroyed; releasing the DNS name');
      await this.domains.release(ctx.fqdn).catch((error: unknown) => {
        if (!(error instanceof AppError && error.status === 404)) throw error;
      });
      await this.database.pool.query(`drop schema if exists ${this.stateSchema(id)} cascade`);
      await removeWorkdir(ctx.workdir);
      await this.repo.update(id, { hasCloudResources: false, result: null, reservationId: null });
      await this.finish(ctx, 'wiped');
    } catch (error) {
      if (signal.reason === SHUTDOWN) return;
      await this.finish(ctx, 'failed', ctx.redactor.redact(`wipe: ${this.describe(error)}`));
    }
  }

  private async context(id: string, signal: AbortSignal): Promise<RunContext> {
    const row = await this.repo.get(id);
    if (!row) throw new Error(`deployment ${id} vanished`);
    const hetznerToken = row.sealedHetznerToken ? this.sealer.unseal(row.sealedHetznerToken, id) : undefined;
    const registrarCredentials = row.sealedRegistrarCredentials
      ? Object.values(
          JSON.parse(this.sealer.unseal(row.sealedRegistrarCredentials, id)) as Record<string, string>,
        )
      : [];
    const databaseUrl = this.databaseUrl();
    const statePassphrase = deriveRunSecret(this.keys, 'tofu-state', id);
    const redactor = new Redactor([
      hetznerToken,
      deriveRunSecret(this.keys, 'kubeconfig-token', id),
      statePassphrase,
      passwordOf(databaseUrl),
      ...registrarCredentials,
    ]);
    const request = row.request as StoredRequest;
    return {
      row,
      request,
      fqdn: fqdnOf(request.domain),
      hetznerToken,
      redactor,
      signal,
      workdir: workdirFor(this.config.deployments.tofuWorkdir, row.fqdn),
      tofuEnv: {
        TF_IN_AUTOMATION: '1',
        TF_INPUT: '0',
        TF_DATA_DIR: `${workdirFor(this.config.deployments.tofuWorkdir, row.fqdn)}/.tofu`,
        PG_CONN_STR: databaseUrl,
        PG_SCHEMA_NAME: this.stateSchema(id),
        TF_ENCRYPTION: encryptionConfig(statePassphrase),
        HCLOUD_ENDPOINT: this.config.deployments.hcloudEndpoint,
      },
      prepared: false,
      planned: false,
      emit: async (event) => {
        await this.repo.appendEvent(id, redactEvent(event, redactor));
      },
    };
  }

  private async preflight(ctx: RunContext): Promise<void> {
    if (!ctx.hetznerToken) {
      throw new PhaseFailed(
        'The Hetzner token is no longer stored (it is deleted when a run stops); retry with the token',
      );
    }
    const version = await execa(this.config.deployments.tofuBin, ['version'], {
      reject: false,
      timeout: 30_000,
    });
    if (version.failed || version.exitCode !== 0) {
      throw new PhaseFailed(
        `OpenTofu was not found at "${this.config.deployments.tofuBin}". Install OpenTofu 1.10 or newer ` +
          '(https://opentofu.org/docs/intro/install/) or point CATALYST_TOFU_BIN at it.',
      );
    }
    await ctx.emit({
      type: 'log',
      phase: 'preflight',
      stream: 'stdout',
      line: String(version.stdout).split('\n')[0] ?? '',
    });
    await this.stage(ctx);
    await ctx.emit({
      type: 'log',
      phase: 'preflight',
      stream: 'stdout',
      line: `Workdir ${ctx.workdir} staged`,
    });
  }

  private async stage(ctx: RunContext): Promise<void> {
    const { request } = ctx;
    const tfvars = buildTfvars({
      deploymentId: ctx.row.id,
      fqdn: ctx.fqdn,
      orgName: request.org.name,
      adminEmail: request.adminEmail,
      hetznerToken: ctx.hetznerToken ?? '',
      hetznerProjectId: request.credentials.hetznerProjectId,
      regions: request.topology.regions,
      haEnabled: request.topology.haEnabled,
      sshPublicKey: request.credentials.sshPublicKey,
      domainMode: request.domain.mode,
      kubeconfigToken: deriveRunSecret(this.keys, 'kubeconfig-token', ctx.row.id),
      apiUrl: this.config.publicUrl,
      gitopsRepoUrl: this.config.deployments.gitopsRepoUrl,
      gitopsBranch: this.config.deployments.gitopsBranch,
      components: ctx.row.installSet,
    });
    await stageWorkdir(TOFU_MODULE_DIR, ctx.workdir, tfvars);
  }

  /** Stages the workdir and runs `tofu init` once per run (a resumed run may be on a new replica). */
  private async prepare(ctx: RunContext, phase: string): Promise<void> {
    if (ctx.prepared) return;
    await this.prepareWorkdir(ctx, phase);
  }

  private async prepareWorkdir(ctx: RunContext, phase: string): Promise<void> {
    await this.stage(ctx);
    await this.tofu(ctx, phase, 'init', ['init', '-input=false', '-no-color']);
    ctx.prepared = true;
  }

  private async plan(ctx: RunContext, phase: string): Promise<void> {
    await this.prepare(ctx, phase);
    await this.tofu(ctx, phase, 'plan', [
      'plan',
      '-input=false',
      '-no-color',
      '-out=tfplan',
      '-json',
      '-detailed-exitcode',
      '-lock-timeout=10m',
    ]);
    ctx.planned = true;
  }

  private async apply(ctx: RunContext): Promise<void> {
    if (!ctx.planned) await this.plan(ctx, 'tofu-apply');
    await this.repo.update(ctx.row.id, { hasCloudResources: true });
    await this.tofu(ctx, 'tofu-apply', 'apply', [
      'apply',
      '-input=false',
      '-no-color',
      '-json',
      '-auto-approve',
      '-lock-timeout=10m',
      'tfplan',
    ]);
  }

  private async output(ctx: RunContext): Promise<void> {
    await this.prepare(ctx, 'tofu-output');
    const chunks: string[] = [];
    await this.tofu(ctx, 'tofu-output', 'output', ['output', '-json'], (line) => chunks.push(line));
    const outputs = JSON.parse(chunks.join('\n') || '{}') as Record<string, { value?: unknown }>;
    const controlPlaneIP = String(outputs.control_plane_ip?.value ?? '');
    const loadBalancerIP = String(outputs.load_balancer_ip?.value ?? '');
    if (!controlPlaneIP || !loadBalancerIP) {
      throw new PhaseFailed(
        'tofu output has no control_plane_ip or load_balancer_ip: the module did not finish',
      );
    }
    const result = { controlPlaneIP, loadBalancerIP, consoleURL: `https://console.${ctx.fqdn}` };
    await this.repo.update(ctx.row.id, { result });
    ctx.row.result = result;
    await ctx.emit({
      type: 'log',
      phase: 'tofu-output',
      stream: 'stdout',
      line: `Control plane ${controlPlaneIP}, load balancer ${loadBalancerIP}`,
    });
  }

  private async dns(ctx: RunContext): Promise<void> {
    const result = (await this.repo.get(ctx.row.id))?.result as { loadBalancerIP?: string } | null;
    if (!result?.loadBalancerIP) throw new PhaseFailed('No load balancer address yet: run tofu-output first');
    const { domain } = ctx.request;
    const access =
      domain.mode === 'byo-api' && ctx.row.sealedRegistrarCredentials
        ? {
            registrar: domain.registrar,
            credentials: JSON.parse(this.sealer.unseal(ctx.row.sealedRegistrarCredentials, ctx.row.id)),
          }
        : undefined;
    const log = (line: string) => ctx.emit({ type: 'log', phase: 'dns', stream: 'stdout', line });
    const reservationId = await this.currentReservation(ctx);
    await log(`Publishing ${ctx.fqdn} → ${result.loadBalancerIP} (${domain.mode})`);
    await this.domains.commit(reservationId, result.loadBalancerIP, access);
    await log(`Zone ${ctx.fqdn} published with its records and DNSSEC`);
    if (domain.mode !== 'byo-manual') return;
    const { nameservers, delegationTimeoutSeconds, delegationPollSeconds } = this.config.domains;
    await log(`Waiting for ${ctx.fqdn} to be delegated to ${nameservers.join(', ')} at your registrar`);
    let lastSeen = '';
    await this.domains.delegation.waitFor(ctx.fqdn, {
      timeoutSeconds: delegationTimeoutSeconds,
      pollSeconds: delegationPollSeconds,
      signal: ctx.signal,
      onProgress: (status) => {
        const seen = status.found.join(', ') || 'no NS records yet';
        if (seen !== lastSeen) {
          lastSeen = seen;
          void log(status.delegated ? `Delegation visible: ${seen}` : `Resolver sees ${seen}`);
        }
      },
    });
  }

  /** The run's reservation; taken anew if it lapsed (a deployment can outlive a reservation's TTL). */
  private async currentReservation(ctx: RunContext): Promise<string> {
    const row = await this.repo.get(ctx.row.id);
    const live = await this.domains.findLive(ctx.fqdn);
    if (row?.reservationId && live?.id === row.reservationId) return row.reservationId;
    const { domain } = ctx.request;
    const reservation =
      domain.mode === 'pool'
        ? await this.domains.reservePool(domain.poolDomain, domain.subdomain)
        : await this.domains.reserveOwn(domain.domain, domain.mode);
    await this.repo.update(ctx.row.id, { reservationId: reservation.reservationId });
    return reservation.reservationId;
  }

  private async fluxBootstrap(ctx: RunContext): Promise<void> {
    const timeoutMs = this.config.deployments.kubeconfigTimeoutSeconds * 1000;
    const started = Date.now();
    let lastNote = started;
    await ctx.emit({
      type: 'log',
      phase: 'flux-bootstrap',
      stream: 'stdout',
      line: 'Waiting for the new control plane to post its kubeconfig back (cloud-init installs k3s, Cilium and Flux first)',
    });
    for (;;) {
      const row = await this.repo.get(ctx.row.id);
      if (row?.sealedKubeconfig) break;
      if (Date.now() - started > timeoutMs) {
        throw new PhaseFailed(
          `No kubeconfig arrived within ${Math.round(timeoutMs / 60_000)} min. SSH to the control plane ` +
            `(${(row?.result as { controlPlaneIP?: string } | null)?.controlPlaneIP ?? 'see tofu-output'}) and read ` +
            '/var/log/cloud-init-output.log, then retry this phase.',
        );
      }
      if (Date.now() - lastNote >= 60_000) {
        lastNote = Date.now();
        await ctx.emit({
          type: 'log',
          phase: 'flux-bootstrap',
          stream: 'stdout',
          line: `Still waiting for the kubeconfig (${Math.round((lastNote - started) / 60_000)} min)`,
        });
      }
      await sleep(1_000, undefined, { signal: ctx.signal });
    }
    await ctx.emit({
      type: 'log',
      phase: 'flux-bootstrap',
      stream: 'stdout',
      line: 'Kubeconfig received; Flux reconciles the bootstrap kit',
    });
  }

  /** Follows every expected bootstrap-kit HelmRelease to Ready; each state change is a `component` event. */
  private async bootstrapKit(ctx: RunContext): Promise<void> {
    const row = await this.repo.get(ctx.row.id);
    if (!row?.sealedKubeconfig)
      throw new PhaseFailed('No kubeconfig: the flux-bootstrap phase has not completed');
    const expected = expectedKitReleases(row.installSet);
    await this.repo.seedComponents(ctx.row.id, expected);
    const known = new Map<string, ComponentStatus>(
      (await this.repo.components(ctx.row.id)).map((c) => [
        c.componentId,
        { state: c.state as ComponentState, ...(c.message ? { message: c.message } : {}) },
      ]),
    );
    await ctx.emit({
      type: 'log',
      phase: 'bootstrap-kit',
      stream: 'stdout',
      line: `Watching ${expected.length} bootstrap-kit HelmReleases: ${expected.join(', ')}`,
    });
    const { firstSeenTimeoutSeconds, watchTimeoutSeconds } = this.config.deployments;
    try {
      await watchKit(new SovereignKube(this.sealer.unseal(row.sealedKubeconfig, ctx.row.id)), {
        expected,
        known,
        firstSeenTimeoutMs: firstSeenTimeoutSeconds * 1000,
        watchTimeoutMs: watchTimeoutSeconds * 1000,
        signal: ctx.signal,
        logger: this.logger.child({ deploymentId: ctx.row.id }),
        onChange: async (component, status) => {
          await this.repo.setComponent(ctx.row.id, component, status.state, status.message ?? null);
          await ctx.emit({
            type: 'component',
            component,
            state: status.state,
            ...(status.message ? { message: status.message } : {}),
          });
        },
      });
    } catch (error) {
      if (error instanceof KitWatchFailed) throw new PhaseFailed(error.message);
      throw error;
    }
  }

  private async handover(ctx: RunContext): Promise<void> {
    await ctx.emit({
      type: 'log',
      phase: 'handover',
      stream: 'stdout',
      line: `${ctx.fqdn} is ready: https://console.${ctx.fqdn} (first sovereign-admin ${ctx.request.adminEmail})`,
    });
  }

  /** Runs one tofu command, streaming its output; throws a readable error when it fails. */
  private async tofu(
    ctx: RunContext,
    phase: string,
    command: string,
    args: string[],
    collect?: (line: string) => void,
  ): Promise<void> {
    const diagnostics: Diagnostic[] = [];
    let result: Awaited<ReturnType<typeof runTofu>>;
    try {
      result = await runTofu(args, {
        bin: this.config.deployments.tofuBin,
        cwd: ctx.workdir,
        env: ctx.tofuEnv,
        signal: ctx.signal,
        graceSeconds: this.config.deployments.cancelGraceSeconds,
        onLine: async (stream, raw) => {
          const line = ctx.redactor.redact(raw);
          if (collect && stream === 'stdout') return collect(line);
          if (stream === 'stderr') return ctx.emit({ type: 'log', phase, stream, line });
          const parsed = parseTofuLine(phase, line);
          if (parsed.diagnostic) diagnostics.push(parsed.diagnostic);
          for (const event of parsed.events) await ctx.emit(event);
        },
      });
    } catch (error) {
      if (error instanceof TofuNotFoundError)
        throw new PhaseFailed(`OpenTofu could not be started from "${error.message}"`);
      throw error;
    }
    if (result.cancelled) throw new PhaseFailed('Stopped on request');
    const ok = result.exitCode === 0 || (command === 'plan' && result.exitCode === 2);
    if (!ok) throw new PhaseFailed(describeFailure(command, diagnostics, result.exitCode));
  }

  /** A run stopped between or during phases: cancelled by the operator, or paused by a shutdown. */
  private async stopped(ctx: RunContext, phase: PhaseName): Promise<void> {
    if (ctx.signal.reason === SHUTDOWN) return;
    await this.repo.setPhase(ctx.row.id, phase, {
      status: 'failed',
      finishedAt: new Date(),
      error: 'Cancelled by the operator',
    });
    await ctx.emit({ type: 'phase', phase, status: 'failed', error: 'Cancelled by the operator' });
    await this.finish(ctx, 'cancelled', 'Cancelled by the operator');
  }

  /** Moves the deployment to a terminal status and forgets what it no longer needs. */
  private async finish(
    ctx: RunContext,
    status: 'ready' | 'failed' | 'cancelled' | 'wiped',
    error?: string,
  ): Promise<void> {
    await removeSecretsFrom(ctx.workdir).catch(() => undefined);
    // One transaction: a stream reader that sees the terminal status must also see the final event
    // (it ends the stream once it has caught up with a stopped run).
    await this.repo.db.transaction(async (tx) => {
      await this.repo.update(
        ctx.row.id,
        {
          status,
          error: error ?? null,
          sealedHetznerToken: null,
          cancelRequestedAt: null,
          ...(status === 'ready' || status === 'wiped' ? { sealedRegistrarCredentials: null } : {}),
        },
        tx,
      );
      const event = { type: 'deployment' as const, status, ...(error ? { error } : {}) };
      await this.repo.appendEvent(ctx.row.id, redactEvent(event, ctx.redactor), tx);
    });
    this.logger.info({ deploymentId: ctx.row.id, fqdn: ctx.fqdn, status }, 'deployment run stopped');
  }

  private describe(error: unknown): string {
    if (error instanceof PhaseFailed || error instanceof AppError) return error.message;
    this.logger.error({ err: error }, 'deployment phase crashed');
    return 'An unexpected error stopped this phase; see the api log';
  }

  private stateSchema(id: string): string {
    return `tofu_${id.replace(/-/g, '')}`;
  }

  private databaseUrl(): string {
    const options = this.database.pool.options as { connectionString?: string };
    if (!options.connectionString) throw new Error('the pool has no connection string');
    return options.connectionString;
  }
}

function redactEvent(event: DeploymentEventInput, redactor: Redactor): DeploymentEventInput {
  return JSON.parse(redactor.redact(JSON.stringify(event))) as DeploymentEventInput;
}
