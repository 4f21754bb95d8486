import { z } from 'zod';
import { DEFAULT_CLOUDFLARE_API_URL } from '../domains/registrars/cloudflare.adapter.js';
import { DEFAULT_DYNADOT_API_URL } from '../domains/registrars/dynadot.adapter.js';
import { DEFAULT_GODADDY_API_URL } from '../domains/registrars/godaddy.adapter.js';
import { DEFAULT_NAMECHEAP_API_URL } from '../domains/registrars/namecheap.adapter.js';
import { DEFAULT_OVH_API_URL } from '../domains/registrars/ovh.adapter.js';

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

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

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

const httpUrl = (fallback: string) =>
  optionalUrl(['http:', 'https:']).transform((value) => value ?? fallback);

/** Every environment variable the api reads, with its default. Documented in docs/configuration.md. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
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
  MAIL_FROM: optionalString,
  CATALYST_SECRET_KEY: optionalString.pipe(
    z
      .string()
      .min(32, { message: 'must be at least 32 characters (e.g. `openssl rand -base64 32`)' })
      .optional(),
  ),
  CATALYST_ADMIN_EMAILS: emailList,
  CATALYST_TRUST_PROXY: booleanFlag,
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
  CATALYST_GITOPS_REPO_URL: httpUrl('https://github.com/openova-io/openova'),
  CATALYST_GITOPS_BRANCH: z.string().trim().min(1).default('main'),
  CATALYST_KUBECONFIG_TIMEOUT: duration('30m'),
  CATALYST_PHASE1_FIRST_SEEN_TIMEOUT: duration('15m'),
  CATALYST_PHASE1_WATCH_TIMEOUT: duration('60m'),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;
