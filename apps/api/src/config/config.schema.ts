import { createPublicKey } from 'node:crypto';
import { statSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute } from 'node:path';
import { catalystModes } from '@catalyst/contracts';
import { z } from 'zod';
import {
  DEFAULT_CLOUDFLARE_API_URL,
  DEFAULT_DYNADOT_API_URL,
  DEFAULT_GODADDY_API_URL,
  DEFAULT_NAMECHEAP_API_URL,
  DEFAULT_OVH_API_URL,
} from './registrar-endpoints.js';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const urlString = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
    );

const optionalUrl = (protocols: string[]) =>
  optionalString.pipe(urlString(protocols).optional()) as z.ZodType<string | undefined>;

const emailList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(/[\s,]+/)
      .map((email) => email.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.email({ message: 'must be a comma-separated list of e-mail addresses' })));

const hostList = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) =>
      [
        ...new Set(
          (value?.trim() ? value : fallback)
            .split(/[\s,]+/)
            .map((h) => h.trim().toLowerCase().replace(/\.$/, '')),
        ),
      ].filter(Boolean),
    )
    .pipe(
      z.array(
        z.string().regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/, {
          message: 'must be a comma-separated list of domain names',
        }),
      ),
    );

/** `90`, `90s`, `10m`, `2h`, `1d` → seconds. */
const duration = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : fallback))
    .pipe(z.string().regex(/^\d+(s|m|h|d)?$/, { message: 'must be a duration such as 90s, 10m, 2h or 1d' }))
    .transform((value) => {
      const amount = Number.parseInt(value, 10);
      const unit = value.replace(/^\d+/, '') || 's';
      return amount * { s: 1, m: 60, h: 3600, d: 86_400 }[unit as 's' | 'm' | 'h' | 'd'];
    })
    .pipe(z.number().int().positive({ message: 'must be longer than zero' }));

/** `1mb`, `512kb`, `1048576` → bytes. */
const byteSize = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim().toLowerCase() : fallback))
    .pipe(z.string().regex(/^\d+(kb|mb)?$/, { message: 'must be a size such as 1048576, 512kb or 1mb' }))
    .transform((value) => {
      const amount = Number.parseInt(value, 10);
      const unit = value.replace(/^\d+/, '');
      return amount * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
    })
    .pipe(z.number().int().positive({ message: 'must be larger than zero' }));

/** True for `a.b.c.d`, an IPv6 address, or either with a `/prefix` in range. */
function isAddressOrCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which proxies in front of the api may name the client in X-Forwarded-For: a hop count (the
 * right-most entries are the trusted proxies' own) or the proxies' addresses/CIDRs. Unset trusts
 * none (the socket address). `true` is refused: it takes the left-most entry, which any client forges.
 */
const trustProxy = z
  .string()
  .optional()
  .transform((value, ctx): false | number | string[] => {
    const text = value?.trim() ?? '';
    if (text === '') return false;
    if (/^\d+$/.test(text)) return Number(text) === 0 ? false : Number(text);
    const entries = text.split(',').map((entry) => entry.trim());
    if (entries.every(isAddressOrCidr)) return entries;
    ctx.addIssue({
      code: 'custom',
      message:
        'must be the number of proxy hops in front of the api (e.g. 1) or a comma-separated list of proxy ' +
        'addresses or CIDRs (e.g. 10.0.0.0/8,fd00::/8); `true` is refused because it trusts a forged X-Forwarded-For',
    });
    return z.NEVER;
  });

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Only a public key's PEM: Node would also derive a public key from a private one, which must not sit here. */
function isEd25519PublicKey(pem: string): boolean {
  if (!/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----$/.test(pem.trim())) return false;
  try {
    return createPublicKey(pem).asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}

/** Days a table's rows are kept (at most a hundred years); 0 keeps them forever. */
const retentionDays = (fallback: number) => z.coerce.number().int().min(0).max(36_500).default(fallback);

const httpUrl = (fallback: string) =>
  optionalUrl(['http:', 'https:']).transform((value) => value ?? fallback);

/** Every environment variable the api reads, with its default. Documented in docs/configuration.md. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  /** Which role of the product this process plays: a mothership provisions Sovereigns, a Sovereign runs itself. */
  CATALYST_MODE: optionalString
    .pipe(z.enum(catalystModes, { message: 'must be mothership or sovereign' }).optional())
    .transform((value) => value ?? 'mothership'),
  PUBLIC_URL: optionalUrl(['http:', 'https:']),
  MARKETPLACE_URL: optionalUrl(['http:', 'https:']),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  CATALYST_DATA_DIR: z.string().trim().min(1).default('.data'),
  NATS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^(nats|tls|wss?):\/\/[^\s,]+(,(nats|tls|wss?):\/\/[^\s,]+)*$/, {
        message: 'must be one or more nats:// URLs separated by commas',
      })
      .optional(),
  ),
  SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
  /** `on`: keep mail undelivered in the dev outbox even outside a development run (see config.ts). */
  CATALYST_MAIL_OUTBOX: z.enum(['on', 'off', '']).optional(),
  MAIL_FROM: optionalString,
  CATALYST_SECRET_KEY: optionalString.pipe(
    z
      .string()
      .min(32, { message: 'must be at least 32 characters (e.g. `openssl rand -base64 32`)' })
      .optional(),
  ),
  CATALYST_ADMIN_EMAILS: emailList,
  CATALYST_TRUST_PROXY: trustProxy,
  CATALYST_PIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  CATALYST_PIN_FAILURE_WINDOW: duration('15m'),
  CATALYST_PIN_LOCKOUT: duration('30m'),
  CATALYST_REQUEST_TIMEOUT: duration('30s'),
  CATALYST_IDLE_TIMEOUT: duration('120s'),
  CATALYST_BODY_LIMIT: byteSize('1mb'),
  CATALYST_SSE_MAX_STREAMS: z.coerce.number().int().min(1).max(100_000).default(500),
  CATALYST_SSE_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(10),
  CATALYST_SSE_STALL_TIMEOUT: duration('30s'),
  CATALYST_RETENTION_OUTBOX_DAYS: retentionDays(7),
  CATALYST_RETENTION_AUDIT_DAYS: retentionDays(365),
  CATALYST_RETENTION_MAIL_DAYS: retentionDays(7),
  CATALYST_RETENTION_EVENTS_DAYS: retentionDays(90),
  CATALYST_RETENTION_SWEEP_INTERVAL: duration('1h'),
  CATALYST_POOL_DOMAINS: hostList('omani.works,omantel.biz'),
  CATALYST_TENANT_POOL_DOMAINS: hostList('omani.homes,omani.rest,omani.trade'),
  CATALYST_NAMESERVERS: z
    .string()
    .optional()
    .transform((value) => value?.trim() || undefined),
  CATALYST_RESERVED_SUBDOMAINS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(/[\s,]+/)
        .map((n) => n.trim().toLowerCase())
        .filter(Boolean),
    ),
  CATALYST_RESERVATION_TTL: duration('10m'),
  CATALYST_RECORD_TTL: duration('300'),
  CATALYST_DELEGATION_TTL: duration('3600'),
  CATALYST_DNS_FAILOVER_PORT: z.coerce.number().int().min(1).max(65535).default(443),
  CATALYST_DNS_RESOLVER: optionalString.pipe(
    z
      .string()
      .regex(/^[0-9a-f.:[\]]+(:\d+)?$/i, { message: 'must be an IP address, optionally with :port' })
      .optional(),
  ),
  CATALYST_DELEGATION_TIMEOUT: duration('24h'),
  CATALYST_DELEGATION_POLL_INTERVAL: duration('30s'),
  PDNS_API_URL: optionalUrl(['http:', 'https:']),
  PDNS_API_KEY: optionalString,
  PDNS_SERVER_ID: z.string().trim().min(1).default('localhost'),
  CLOUDFLARE_API_URL: httpUrl(DEFAULT_CLOUDFLARE_API_URL),
  NAMECHEAP_API_URL: httpUrl(DEFAULT_NAMECHEAP_API_URL),
  GODADDY_API_URL: httpUrl(DEFAULT_GODADDY_API_URL),
  OVH_API_URL: httpUrl(DEFAULT_OVH_API_URL),
  DYNADOT_API_URL: httpUrl(DEFAULT_DYNADOT_API_URL),
  HCLOUD_ENDPOINT: httpUrl('https://api.hetzner.cloud/v1'),
  CATALYST_TOFU_BIN: z.string().trim().min(1).default('tofu'),
  CATALYST_TOFU_WORKDIR: optionalString,
  CATALYST_TOFU_PLUGIN_MIRROR: optionalString.pipe(
    z
      .string()
      .refine((path) => isAbsolute(path) && isDirectory(path), {
        message: 'must be the absolute path of an existing directory',
      })
      .optional(),
  ),
  CATALYST_TOFU_DB_ROLE: optionalString.pipe(z.enum(['per-deployment', 'shared']).optional()),
  CATALYST_GITOPS_REPO_URL: httpUrl('https://github.com/openova-io/openova'),
  CATALYST_GITOPS_BRANCH: z.string().trim().min(1).default('main'),
  CATALYST_KUBECONFIG_TIMEOUT: duration('30m'),
  CATALYST_KUBECONFIG_TOKEN_GRACE: duration('15m'),
  CATALYST_KUBE_API_PORT: z.coerce.number().int().min(1).max(65535).default(6443),
  CATALYST_PHASE1_FIRST_SEEN_TIMEOUT: duration('15m'),
  CATALYST_PHASE1_WATCH_TIMEOUT: duration('60m'),
  /** A new Sovereign's console, which the handover phase checks and its link opens; `{fqdn}` is the Sovereign's. */
  CATALYST_SOVEREIGN_CONSOLE_URL: z
    .string()
    .optional()
    .transform((value) => (value?.trim() || 'https://console.{fqdn}').replace(/\/+$/, ''))
    .refine(
      (value) => {
        try {
          const url = new URL(value.replaceAll('{fqdn}', 'sovereign.example.org'));
          return ['http:', 'https:'].includes(url.protocol) && !url.search && !url.hash;
        } catch {
          return false;
        }
      },
      { message: 'must be an http(s) URL without query or fragment, e.g. https://console.{fqdn}' },
    ),
  CATALYST_HANDOVER_TIMEOUT: duration('15m'),
  /** A handover link's life; the Sovereign refuses a token that claims more than an hour. */
  CATALYST_HANDOVER_TOKEN_TTL: duration('10m').pipe(
    z.number().max(3600, { message: 'must be at most 1h (the Sovereign refuses longer-lived links)' }),
  ),
  CATALYST_CANCEL_GRACE: duration('60s'),
  CATALYST_RUN_LEASE_TTL: duration('30s'),
  CATALYST_MAX_RUNS_PER_PROJECT: z.coerce.number().int().min(1).max(20).default(1),
  CATALYST_APP_URL_PATTERN: z
    .string()
    .trim()
    .default('https://{app}.{env}.{orgFqdn}')
    .refine((v) => v.includes('{app}') && v.includes('{env}') && v.includes('{orgFqdn}'), {
      message: 'must contain {app}, {env} and {orgFqdn}',
    }),
  CATALYST_INGRESS_IP: optionalString.pipe(
    z
      .string()
      .refine((value) => isIP(value) !== 0, { message: 'must be an IPv4 or IPv6 address' })
      .optional(),
  ),
  CATALYST_INGRESS_NAMESPACE: z.string().trim().min(1).default('kube-system'),
  CATALYST_APPS_INGRESS_CLASS: z.string().trim().min(1).default('cilium'),
  CATALYST_APPS_CLUSTER_ISSUER: z.string().trim().min(1).default('letsencrypt'),
  CATALYST_APPS_CHART_REPOSITORY: z
    .string()
    .trim()
    .default('oci://ghcr.io/openova-io/charts')
    .pipe(urlString(['oci:', 'https:', 'http:'])),
  CATALYST_APPS_BILLING_INTERVAL: duration('1h'),
  /** The Sovereign's facts file (JSON or YAML, see sovereign/); unset on a mothership. */
  CATALYST_SOVEREIGN_FILE: optionalString.pipe(
    z.string().refine(isAbsolute, { message: 'must be an absolute path' }).optional(),
  ),
  /** The public half of the key the mothership signs this Sovereign's handover tokens with (PEM); unset → no handover. */
  CATALYST_HANDOVER_PUBLIC_KEY: optionalString
    .transform((value) => value?.replace(/\\n/g, '\n'))
    .pipe(
      z
        .string()
        .refine(isEd25519PublicKey, {
          message: 'must be an Ed25519 public key in PEM (-----BEGIN PUBLIC KEY-----)',
        })
        .optional(),
    ),
  /** This Sovereign's FQDN: the audience its handover tokens must name; unset → the facts file's fqdn. */
  CATALYST_SOVEREIGN_FQDN: optionalString
    .transform((value) => value?.toLowerCase().replace(/\.$/, ''))
    .pipe(
      z
        .string()
        .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/, { message: 'must be a domain name' })
        .optional(),
    ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;
