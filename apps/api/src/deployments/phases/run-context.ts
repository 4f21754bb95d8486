import type { DeploymentEventInput } from '@catalyst/contracts';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import { deriveRunSecret, type SecretKeys } from '../../crypto/keys.js';
import type { Sealer } from '../../crypto/sealer.js';
import type { Database } from '../../database/database.js';
import type { DomainsService } from '../../domains/domains.service.js';
import type { HelmwatchService } from '../../helmwatch/helmwatch.service.js';
import type { DeploymentRow, DeploymentsRepository } from '../deployments.repository.js';
import type { IngestBacklog } from '../ingest-backlog.js';
import { passwordOf, Redactor } from '../redactor.js';
import { FencedRunWrites, type RunLease } from '../run-lease.js';
import { k3sJoinToken, kubeconfigTokenOf } from '../run-secrets.js';
import { fqdnOf, type StoredRequest } from '../stored-request.js';
import { type TofuDbRole, tofuBackendEnv, tofuStateSchema } from '../tofu-state-access.js';
import { cliConfigPath, workdirFor } from '../workdir.js';

/** What the phases use of the rest of the api (RunService's injected services). */
export interface RunDeps {
  config: Config;
  keys: SecretKeys;
  database: Database;
  logger: Logger;
  repo: DeploymentsRepository;
  domains: DomainsService;
  sealer: Sealer;
  helm: HelmwatchService;
  /** Marks the run's output bursts, which readers' fan-out waits out (ingest-backlog.ts). */
  backlog: IngestBacklog;
}

/** One run as its phases see it: the deployment, its secrets' redactor, its fenced writes and workdir. */
export interface RunContext {
  deps: RunDeps;
  row: DeploymentRow;
  request: StoredRequest;
  fqdn: string;
  hetznerToken?: string;
  /** The Sovereign's SMTP password until the bootstrap-kit phase has handed it over (request.smtp). */
  smtpPassword?: string;
  /** The regions of the request in order (the first is the primary): each is one cluster. */
  regions: string[];
  /** Each region's kubeconfig post-back bearer (derived, so the same on every replica). */
  kubeconfigTokens: Record<string, string>;
  redactor: Redactor;
  lease: RunLease;
  signal: AbortSignal;
  /** Every write of the run goes through here: refused once another replica holds the lease. */
  writes: FencedRunWrites;
  workdir: string;
  /** The Postgres schema holding this deployment's tofu state. */
  stateSchema: string;
  tofuEnv: Record<string, string>;
  /** tofu's own database role, limited to the state schema; unset when it shares the api's. */
  tofuRole?: TofuDbRole;
  prepared: boolean;
  planned: boolean;
  /** Stores an event (redacted) and resolves once it is stored. */
  emit(event: DeploymentEventInput): Promise<void>;
  /**
   * Queues an event (redacted) to be stored with the others that arrive meanwhile, without waiting for it;
   * `onFailure` hears if it cannot be. Returns a promise to wait on only when the queue is long (backpressure).
   */
  queue(event: DeploymentEventInput, onFailure: (error: unknown) => void): Promise<void> | undefined;
  /** Emits one stdout line of `phase`. */
  log(phase: string, line: string): Promise<void>;
}

/** Queued events past which the producer waits for them to be stored. */
const QUEUED_EVENTS_WAIT_AT = 5_000;

/** One phase of the run (docs/architecture.md): idempotent, so a run may start again from it (retry, resume). */
export type Phase = (ctx: RunContext) => Promise<void>;

/** Reads the deployment and builds its run: secrets unsealed, and every one of them redacted from output. */
export async function createRunContext(lease: RunLease, deps: RunDeps): Promise<RunContext> {
  const { config, keys, sealer, repo } = deps;
  const { deploymentId: id, signal } = lease;
  const row = await repo.get(id);
  if (!row) throw new Error(`deployment ${id} vanished`);
  const hetznerToken = row.sealedHetznerToken ? sealer.unseal(row.sealedHetznerToken, id) : undefined;
  const registrarCredentials = row.sealedRegistrarCredentials
    ? Object.values(JSON.parse(sealer.unseal(row.sealedRegistrarCredentials, id)) as Record<string, string>)
    : [];
  const smtpPassword = row.sealedSmtpPassword ? sealer.unseal(row.sealedSmtpPassword, id) : undefined;
  const databaseUrl = connectionString(deps.database);
  const statePassphrase = deriveRunSecret(keys, 'tofu-state', id);
  const request = row.request as StoredRequest;
  const regions = request.topology.regions.map((r) => r.cloudRegion);
  const kubeconfigTokens = Object.fromEntries(regions.map((r) => [r, kubeconfigTokenOf(keys, id, r)]));
  const tofuRole = tofuRoleOf(id, deps);
  const redactor = new Redactor([
    hetznerToken,
    // The node join secret sits in the rendered user_data, so a plan or an error may quote it.
    hetznerToken ? k3sJoinToken(hetznerToken, row.fqdn) : undefined,
    ...Object.values(kubeconfigTokens),
    statePassphrase,
    passwordOf(databaseUrl),
    tofuRole?.password,
    ...registrarCredentials,
    // Also as it sits URL-encoded in the SMTP_URL handed to the Sovereign.
    smtpPassword,
    smtpPassword && encodeURIComponent(smtpPassword),
  ]);
  const writes = new FencedRunWrites(repo, lease, deps.backlog);
  const workdir = workdirFor(config.deployments.tofuWorkdir, row.fqdn);
  const stateSchema = tofuStateSchema(id);
  const emit = async (event: DeploymentEventInput) => {
    await writes.appendEvent(redactEvent(event, redactor));
  };
  return {
    deps,
    row,
    request,
    fqdn: fqdnOf(request.domain),
    hetznerToken,
    smtpPassword,
    regions,
    kubeconfigTokens,
    redactor,
    lease,
    signal,
    writes,
    workdir,
    stateSchema,
    tofuRole,
    tofuEnv: {
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      TF_DATA_DIR: `${workdir}/.tofu`,
      ...tofuBackendEnv(databaseUrl, stateSchema, tofuRole),
      ...(config.deployments.tofuPluginMirror ? { TF_CLI_CONFIG_FILE: cliConfigPath(workdir) } : {}),
      TF_ENCRYPTION: encryptionConfig(statePassphrase),
      HCLOUD_ENDPOINT: config.deployments.hcloudEndpoint,
    },
    prepared: false,
    planned: false,
    emit,
    queue: (event, onFailure) => {
      writes.appendEvent(redactEvent(event, redactor)).catch(onFailure);
      return writes.unstoredEvents >= QUEUED_EVENTS_WAIT_AT ? writes.eventsStored() : undefined;
    },
    log: (phase, line) => emit({ type: 'log', phase, stream: 'stdout', line }),
  };
}

/** An event with every secret of the run replaced, however deep in it the secret sits. */
export function redactEvent(event: DeploymentEventInput, redactor: Redactor): DeploymentEventInput {
  return JSON.parse(redactor.redact(JSON.stringify(event))) as DeploymentEventInput;
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

/** The role tofu's state backend logs in as; its password is derived, so never stored. */
function tofuRoleOf(id: string, { config, keys }: RunDeps): TofuDbRole | undefined {
  if (config.deployments.tofuDbRole === 'shared') return undefined;
  return { name: tofuStateSchema(id), password: deriveRunSecret(keys, 'tofu-db-password', id) };
}

function connectionString(database: Database): string {
  const options = database.pool.options as { connectionString?: string };
  if (!options.connectionString) throw new Error('the pool has no connection string');
  return options.connectionString;
}
