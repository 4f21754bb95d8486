import { isAbsolute, resolve } from 'node:path';
import { type CatalystMode, DEFAULT_RESERVED_SUBDOMAINS, type RegistrarId } from '@catalyst/contracts';
import { z } from 'zod';
import { envSchema } from './config.schema.js';

/** The typed configuration, built once at start-up and injected everywhere (never `process.env`). */
export interface Config {
  port: number;
  host: string;
  /** CATALYST_MODE: a mothership provisions Sovereigns; a Sovereign offers no wizard (POST /api/v1/deployments → 403). */
  mode: CatalystMode;
  publicUrl: string;
  marketplaceUrl: string;
  /** Unset → the api runs an embedded PostgreSQL under `dataDir`. */
  databaseUrl?: string;
  /** Absolute path of the directory for the embedded database and the generated secret key. */
  dataDir: string;
  /** Unset → events stay in-process. */
  natsUrl?: string;
  /** Unset → mail goes to the dev outbox. */
  smtpUrl?: string;
  /** Where the dev outbox writes each undelivered mail (0600 files) for a local operator to read. */
  mailOutboxDir: string;
  mailFrom: string;
  /** Unset → generated once and persisted under `dataDir` (see crypto/secret-key.ts). */
  secretKey?: string;
  adminEmails: string[];
  /** Proxies trusted to name the client in X-Forwarded-For: none, a hop count, or their addresses. */
  trustProxy: false | number | string[];
  logLevel: string;
  signIn: SignInConfig;
  http: HttpConfig;
  streams: StreamsConfig;
  retention: RetentionConfig;
  domains: DomainsConfig;
  deployments: DeploymentsConfig;
  /** Address of an installed tenant app, from `{app}`, `{env}` and `{orgFqdn}`. */
  appUrlPattern: string;
  apps: AppsConfig;
  /** CATALYST_SOVEREIGN_FILE: the Sovereign's facts, read once at start-up; unset → none. */
  sovereignFactsFile?: string;
  handover: HandoverConfig;
}

/** The Sovereign's side of the handover link (GET /auth/handover). */
export interface HandoverConfig {
  /** CATALYST_HANDOVER_PUBLIC_KEY (Ed25519, PEM); unset → the route answers 404 handover_not_configured. */
  publicKeyPem?: string;
  /** CATALYST_SOVEREIGN_FQDN: the audience tokens must name; unset → the facts file's fqdn. */
  audience?: string;
}

export interface SignInConfig {
  /** Wrong codes per e-mail (across all its codes) within the window that lock its sign-in. */
  maxFailures: number;
  failureWindowSeconds: number;
  /** How long a locked e-mail's codes are all refused. */
  lockoutSeconds: number;
}

export interface HttpConfig {
  /** Time to receive a whole request (headers and body); slow senders are cut off with 408. */
  requestTimeoutMs: number;
  /** A connection with no bytes either way for this long is closed (longer than the SSE ping). */
  idleTimeoutMs: number;
  bodyLimitBytes: number;
}

/** Limits on open SSE streams, per replica (each stream holds a socket and timers). */
export interface StreamsConfig {
  maxStreams: number;
  maxStreamsPerUser: number;
  /** Seconds a reader's full socket may stay undrained before the stream drops it (it resumes by Last-Event-ID). */
  stallSeconds: number;
}

/** Days rows are kept before the retention sweep deletes them; 0 keeps them forever. */
export interface RetentionConfig {
  /** Outbox events already dispatched (and published, when NATS is configured). */
  outboxDays: number;
  auditDays: number;
  /** Mail kept in the dev outbox. */
  mailDays: number;
  /** Run events of deployments that stopped (ready, failed, cancelled, wiped) this long ago. */
  eventsDays: number;
  sweepIntervalSeconds: number;
}

export interface DeploymentsConfig {
  /** Hetzner Cloud API base, with /v1 (the tofu provider reads the same value as HCLOUD_ENDPOINT). */
  hcloudEndpoint: string;
  tofuBin: string;
  /** Absolute; one directory per Sovereign below it. */
  tofuWorkdir: string;
  /** A provider mirror directory: tofu installs providers from it only (offline installs). */
  tofuPluginMirror?: string;
  /** Whose database rights tofu's state backend uses: its own role per deployment, or the api's. */
  tofuDbRole: 'per-deployment' | 'shared';
  gitopsRepoUrl: string;
  gitopsBranch: string;
  kubeconfigTimeoutSeconds: number;
  /**
   * The post-back bearer lives for the kubeconfig timeout plus this margin from the moment a run
   * issues it (tofu-apply, flux-bootstrap), then is refused even if never used.
   */
  kubeconfigTokenGraceSeconds: number;
  /** The port every Sovereign's kube-apiserver answers on; a kubeconfig naming another is refused. */
  kubeApiPort: number;
  firstSeenTimeoutSeconds: number;
  watchTimeoutSeconds: number;
  /** The new Sovereign's console URL, `{fqdn}` standing for its FQDN (no trailing slash). */
  sovereignConsoleUrl: string;
  /** How long the handover phase waits for the new console's /healthz to answer. */
  handoverTimeoutSeconds: number;
  /** Life of a handover link (POST /api/v1/deployments/:id/handover). */
  handoverTokenTtlSeconds: number;
  /** After SIGINT, how long tofu gets to stop cleanly before SIGTERM. */
  cancelGraceSeconds: number;
  /** A run whose owner has not renewed its lease for this long is taken over by another replica. */
  leaseTtlSeconds: number;
  /** Hetzner rate budget: runs at once against one project. */
  maxRunsPerProject: number;
}

/** Tenants' marketplace apps, deployed into the cluster this Catalyst runs on. */
export interface AppsConfig {
  /**
   * How to reach that cluster: in-cluster (its service account) when the pod runs there, else the
   * kubeconfig file named by KUBECONFIG; neither → installs are refused with 503 cluster_unavailable.
   */
  cluster: { inCluster: true } | { inCluster: false; kubeconfigPath?: string };
  /** Where tenant orgs' names point (`<slug>.<pool>` and `*.<slug>.<pool>`); unset → no records are written. */
  ingressIp?: string;
  /** The ingress controller's namespace: the only one a tenant namespace admits traffic from. */
  ingressNamespace: string;
  ingressClass: string;
  clusterIssuer: string;
  /** The Helm repository serving charts/app-* (a HelmRepository in every tenant namespace points at it). */
  chartRepository: string;
  /** How often running apps whose month is up are charged again. */
  billingIntervalSeconds: number;
}

export interface DomainsConfig {
  /** Pool domains a Sovereign can take a subdomain of. */
  poolDomains: string[];
  /** Pool domains for tenant organizations' subdomains. */
  tenantPoolDomains: string[];
  /** Catalyst's authoritative nameservers (no trailing dot). */
  nameservers: string[];
  reservedSubdomains: string[];
  reservationTtlSeconds: number;
  recordTtlSeconds: number;
  delegationTtlSeconds: number;
  /** The TCP port whose reachability keeps a region's load balancer in a multi-region Sovereign's answers. */
  failoverPort: number;
  /** Unset → PowerDNS is not configured: names can be checked and reserved, not committed. */
  powerDns?: { url: string; apiKey: string; serverId: string };
  /** `host[:port]` of the resolver that checks a customer's delegation; unset → the system's. */
  resolver?: string;
  delegationTimeoutSeconds: number;
  delegationPollSeconds: number;
  registrarUrls: Record<RegistrarId, string>;
}

export const CONFIG = Symbol('CONFIG');

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}\n` +
        'See docs/configuration.md for every variable and its default.',
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue: z.core.$ZodIssue) => ({
        variable: String(issue.path[0] ?? 'environment'),
        message: issue.message,
      })),
    );
  }
  const e = parsed.data;
  if (e.PDNS_API_URL && !e.PDNS_API_KEY) {
    throw new ConfigError([{ variable: 'PDNS_API_KEY', message: 'is required when PDNS_API_URL is set' }]);
  }
  // Outside a development run, undelivered mail (sign-in codes) must be an explicit choice.
  const developmentRun = env.NODE_ENV !== 'production' && !env.KUBERNETES_SERVICE_HOST;
  if (!developmentRun && !e.SMTP_URL && e.CATALYST_MAIL_OUTBOX !== 'on') {
    throw new ConfigError([
      {
        variable: 'SMTP_URL',
        message:
          'is required outside a development run (NODE_ENV=production or in Kubernetes); ' +
          'to run without sending mail, set CATALYST_MAIL_OUTBOX=on explicitly (mail then waits in the dev outbox)',
      },
    ]);
  }
  const poolDomains = e.CATALYST_POOL_DOMAINS;
  const dataDir = isAbsolute(e.CATALYST_DATA_DIR) ? e.CATALYST_DATA_DIR : resolve(cwd, e.CATALYST_DATA_DIR);
  const nameservers = parseNameservers(e.CATALYST_NAMESERVERS, poolDomains[0]);
  const publicUrl = stripTrailingSlash(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  return {
    port: e.PORT,
    host: e.HOST,
    mode: e.CATALYST_MODE,
    publicUrl,
    marketplaceUrl: stripTrailingSlash(e.MARKETPLACE_URL ?? publicUrl),
    databaseUrl: e.DATABASE_URL,
    dataDir,
    natsUrl: e.NATS_URL,
    smtpUrl: e.SMTP_URL,
    mailOutboxDir: resolve(dataDir, 'mail'),
    mailFrom: e.MAIL_FROM ?? `Catalyst <no-reply@${new URL(publicUrl).hostname}>`,
    secretKey: e.CATALYST_SECRET_KEY,
    adminEmails: e.CATALYST_ADMIN_EMAILS,
    trustProxy: e.CATALYST_TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    signIn: {
      maxFailures: e.CATALYST_PIN_MAX_FAILURES,
      failureWindowSeconds: e.CATALYST_PIN_FAILURE_WINDOW,
      lockoutSeconds: e.CATALYST_PIN_LOCKOUT,
    },
    http: {
      requestTimeoutMs: e.CATALYST_REQUEST_TIMEOUT * 1000,
      idleTimeoutMs: e.CATALYST_IDLE_TIMEOUT * 1000,
      bodyLimitBytes: e.CATALYST_BODY_LIMIT,
    },
    streams: {
      maxStreams: e.CATALYST_SSE_MAX_STREAMS,
      maxStreamsPerUser: e.CATALYST_SSE_MAX_STREAMS_PER_USER,
      stallSeconds: e.CATALYST_SSE_STALL_TIMEOUT,
    },
    retention: {
      outboxDays: e.CATALYST_RETENTION_OUTBOX_DAYS,
      auditDays: e.CATALYST_RETENTION_AUDIT_DAYS,
      mailDays: e.CATALYST_RETENTION_MAIL_DAYS,
      eventsDays: e.CATALYST_RETENTION_EVENTS_DAYS,
      sweepIntervalSeconds: e.CATALYST_RETENTION_SWEEP_INTERVAL,
    },
    domains: {
      poolDomains,
      tenantPoolDomains: e.CATALYST_TENANT_POOL_DOMAINS,
      nameservers,
      reservedSubdomains: [
        ...new Set([...DEFAULT_RESERVED_SUBDOMAINS, ...e.CATALYST_RESERVED_SUBDOMAINS]),
      ].sort(),
      reservationTtlSeconds: e.CATALYST_RESERVATION_TTL,
      recordTtlSeconds: e.CATALYST_RECORD_TTL,
      delegationTtlSeconds: e.CATALYST_DELEGATION_TTL,
      failoverPort: e.CATALYST_DNS_FAILOVER_PORT,
      powerDns:
        e.PDNS_API_URL && e.PDNS_API_KEY
          ? { url: stripTrailingSlash(e.PDNS_API_URL), apiKey: e.PDNS_API_KEY, serverId: e.PDNS_SERVER_ID }
          : undefined,
      resolver: e.CATALYST_DNS_RESOLVER,
      delegationTimeoutSeconds: e.CATALYST_DELEGATION_TIMEOUT,
      delegationPollSeconds: e.CATALYST_DELEGATION_POLL_INTERVAL,
      registrarUrls: {
        cloudflare: stripTrailingSlash(e.CLOUDFLARE_API_URL),
        namecheap: e.NAMECHEAP_API_URL,
        godaddy: stripTrailingSlash(e.GODADDY_API_URL),
        ovh: stripTrailingSlash(e.OVH_API_URL),
        dynadot: e.DYNADOT_API_URL,
      },
    },
    appUrlPattern: e.CATALYST_APP_URL_PATTERN,
    sovereignFactsFile: e.CATALYST_SOVEREIGN_FILE,
    handover: { publicKeyPem: e.CATALYST_HANDOVER_PUBLIC_KEY, audience: e.CATALYST_SOVEREIGN_FQDN },
    apps: {
      // The two standard variables any Kubernetes client reads: kubelet sets the first in every pod.
      cluster: env.KUBERNETES_SERVICE_HOST
        ? { inCluster: true }
        : {
            inCluster: false,
            kubeconfigPath: env.KUBECONFIG?.trim() ? resolve(cwd, env.KUBECONFIG.trim()) : undefined,
          },
      ingressIp: e.CATALYST_INGRESS_IP,
      ingressNamespace: e.CATALYST_INGRESS_NAMESPACE,
      ingressClass: e.CATALYST_APPS_INGRESS_CLASS,
      clusterIssuer: e.CATALYST_APPS_CLUSTER_ISSUER,
      chartRepository: e.CATALYST_APPS_CHART_REPOSITORY,
      billingIntervalSeconds: e.CATALYST_APPS_BILLING_INTERVAL,
    },
    deployments: {
      hcloudEndpoint: stripTrailingSlash(e.HCLOUD_ENDPOINT),
      tofuBin: e.CATALYST_TOFU_BIN,
      tofuWorkdir: e.CATALYST_TOFU_WORKDIR ? resolve(cwd, e.CATALYST_TOFU_WORKDIR) : resolve(dataDir, 'tofu'),
      tofuPluginMirror: e.CATALYST_TOFU_PLUGIN_MIRROR,
      tofuDbRole: e.CATALYST_TOFU_DB_ROLE ?? 'per-deployment',
      gitopsRepoUrl: e.CATALYST_GITOPS_REPO_URL,
      gitopsBranch: e.CATALYST_GITOPS_BRANCH,
      kubeconfigTimeoutSeconds: e.CATALYST_KUBECONFIG_TIMEOUT,
      kubeconfigTokenGraceSeconds: e.CATALYST_KUBECONFIG_TOKEN_GRACE,
      kubeApiPort: e.CATALYST_KUBE_API_PORT,
      firstSeenTimeoutSeconds: e.CATALYST_PHASE1_FIRST_SEEN_TIMEOUT,
      watchTimeoutSeconds: e.CATALYST_PHASE1_WATCH_TIMEOUT,
      sovereignConsoleUrl: e.CATALYST_SOVEREIGN_CONSOLE_URL,
      handoverTimeoutSeconds: e.CATALYST_HANDOVER_TIMEOUT,
      handoverTokenTtlSeconds: e.CATALYST_HANDOVER_TOKEN_TTL,
      cancelGraceSeconds: e.CATALYST_CANCEL_GRACE,
      leaseTtlSeconds: e.CATALYST_RUN_LEASE_TTL,
      maxRunsPerProject: e.CATALYST_MAX_RUNS_PER_PROJECT,
    },
  };
}

/** CATALYST_NAMESERVERS, or ns1/ns2 under the first pool domain. */
function parseNameservers(value: string | undefined, firstPool: string | undefined): string[] {
  const list = value
    ? value.split(/[\s,]+/).map((ns) => ns.trim().toLowerCase().replace(/\.$/, ''))
    : firstPool
      ? [`ns1.${firstPool}`, `ns2.${firstPool}`]
      : [];
  const valid = list.filter((ns) => /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/.test(ns));
  if (valid.length === 0 || valid.length !== list.length) {
    throw new ConfigError([
      {
        variable: 'CATALYST_NAMESERVERS',
        message: 'must be a comma-separated list of at least one host name',
      },
    ]);
  }
  return [...new Set(valid)];
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
