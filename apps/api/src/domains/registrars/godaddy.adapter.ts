import type { CredentialField } from '@catalyst/contracts';
import { z } from 'zod';
import {
  type DelegationTarget,
  normalizeNameservers,
  type RegistrarAdapter,
  RegistrarError,
  type ValidationResult,
} from './registrar.js';
import { failureForStatus, type HttpResult, parseJson, registrarFetch } from './registrar-http.js';

// The base URL comes from config; its default, DEFAULT_GODADDY_API_URL (config/registrar-endpoints.ts), is:
// Production Domains API. OTE (`https://api.ote-godaddy.com`) needs its own key pair.

const NAME = 'GoDaddy';
/** GoDaddy's floor is 600 s; an hour lets a corrected delegation take over the same afternoon. */
const NS_TTL = 3600;
/** Every GoDaddy-hosted zone (free and Premium DNS) is served from `*.domaincontrol.com`. */
const GODADDY_DNS_SUFFIX = '.domaincontrol.com';
/** Relative record names GoDaddy can hold NS records at: one or more DNS labels, never `@` or `*`. */
const RELATIVE_NAME = /^[a-z0-9_]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9_]([a-z0-9-]*[a-z0-9])?)*$/;

const ENTITLEMENT_MESSAGE =
  'GoDaddy accepted the API key but refused access (ACCESS_DENIED): GoDaddy only opens its production ' +
  'Domains API to accounts it has entitled (at the time of writing, accounts with 10 or more domains or a ' +
  'Discount Domain Club plan). Ask GoDaddy to enable API access for this account, or add the NS records ' +
  'by hand in the GoDaddy DNS manager.';

const credentialValue = z.string().trim().min(1);
export const goDaddyCredentialsSchema = z.strictObject({
  apiKey: credentialValue,
  apiSecret: credentialValue,
});
export type GoDaddyCredentials = z.infer<typeof goDaddyCredentialsSchema>;

const errorBodySchema = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
  retryAfterSec: z.number().optional(),
});
const domainDetailSchema = z.object({
  status: z.string(),
  nameServers: z.array(z.string()).nullish(),
});
type DomainDetail = z.infer<typeof domainDetailSchema>;
const recordsSchema = z.array(z.object({ data: z.string() }));

/**
 * GoDaddy Domains API v1. A label is delegated with NS records written through the per-type/name
 * endpoint only (`PUT /records/NS/{label}` replaces just that set); `PUT /records` would replace the
 * customer's whole zone and is never called. The apex is delegated by changing the domain's nameservers.
 */
export class GoDaddyAdapter implements RegistrarAdapter<GoDaddyCredentials> {
  readonly id = 'godaddy' as const;
  readonly name = NAME;
  readonly credentialsSchema = goDaddyCredentialsSchema;
  readonly credentialFields: CredentialField[] = [
    {
      name: 'apiKey',
      label: 'API key',
      secret: true,
      optional: false,
      hint:
        'Create a Production key (not an OTE test key) at developer.godaddy.com/keys while signed in to the ' +
        'account that owns the domain. GoDaddy keys carry the full rights of that account; GoDaddy only ' +
        'allows production API access for entitled accounts (10+ domains or Discount Domain Club).',
    },
    {
      name: 'apiSecret',
      label: 'API secret',
      secret: true,
      optional: false,
      hint: 'Shown once, next to the key, when the key is created at developer.godaddy.com/keys.',
    },
  ];
  readonly subdomainDelegation = true;
  readonly apexDelegation = true;
  readonly propagationHint =
    'NS records below the domain are live on GoDaddy DNS within minutes; a whole-domain nameserver change ' +
    'goes through the registry and usually takes 1–4 hours, up to 48 hours.';

  private readonly baseUrl: string;

  constructor(options: { baseUrl: string }) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async validate(credentials: GoDaddyCredentials, domain: string): Promise<ValidationResult> {
    try {
      const detail = await this.getDomain(credentials, domain);
      if (detail.status !== 'ACTIVE') {
        return { status: 'not-in-account', message: inactiveMessage(domain, detail) };
      }
      return { status: 'valid', message: validMessage(domain, detail) };
    } catch (error) {
      if (error instanceof RegistrarError) return { status: error.status, message: error.message };
      throw error;
    }
  }

  async delegate(
    credentials: GoDaddyCredentials,
    domain: string,
    target: DelegationTarget,
    nameservers: string[],
  ): Promise<void> {
    const wanted = normalizeNameservers(nameservers);
    if (wanted.length === 0) {
      throw new RegistrarError(
        'unsupported',
        'No nameservers were given, so there is nothing to delegate to.',
      );
    }
    if (target.kind === 'apex') return this.delegateApex(credentials, domain, wanted);
    return this.delegateLabel(credentials, domain, relativeName(domain, target.label), wanted);
  }

  async readNameservers(
    credentials: GoDaddyCredentials,
    domain: string,
    target: DelegationTarget,
  ): Promise<string[]> {
    if (target.kind === 'apex') {
      const detail = await this.getDomain(credentials, domain);
      return normalizeNameservers(detail.nameServers ?? []);
    }
    return this.readLabel(credentials, domain, relativeName(domain, target.label));
  }

  /** The registry's nameservers for the domain; GoDaddy's DNS zone stops being served once they change. */
  private async delegateApex(credentials: GoDaddyCredentials, domain: string, wanted: string[]) {
    const detail = requireActive(domain, await this.getDomain(credentials, domain));
    if (sameSet(normalizeNameservers(detail.nameServers ?? []), wanted)) return;
    await this.call(credentials, domain, 'PATCH', '', { nameServers: wanted });
  }

  /** Replaces only the NS set at `label`; every other record of the zone is left as it is. */
  private async delegateLabel(
    credentials: GoDaddyCredentials,
    domain: string,
    label: string,
    wanted: string[],
  ) {
    const detail = requireActive(domain, await this.getDomain(credentials, domain));
    requireGoDaddyDns(domain, label, detail);
    if (sameSet(await this.readLabel(credentials, domain, label), wanted)) return;
    const records = wanted.map((data) => ({ data, ttl: NS_TTL }));
    await this.call(credentials, domain, 'PUT', `/records/NS/${encodeURIComponent(label)}`, records);
  }

  private async getDomain(credentials: GoDaddyCredentials, domain: string): Promise<DomainDetail> {
    const result = await this.call(credentials, domain, 'GET', '');
    return readBody(domainDetailSchema, result);
  }

  private async readLabel(credentials: GoDaddyCredentials, domain: string, label: string): Promise<string[]> {
    const result = await this.call(credentials, domain, 'GET', `/records/NS/${encodeURIComponent(label)}`);
    return normalizeNameservers(readBody(recordsSchema, result).map((record) => record.data));
  }

  /** One call below `/v1/domains/{domain}`; any non-2xx answer becomes a RegistrarError. */
  private async call(
    credentials: GoDaddyCredentials,
    domain: string,
    method: 'GET' | 'PUT' | 'PATCH',
    subPath: string,
    body?: unknown,
  ): Promise<HttpResult> {
    const headers: Record<string, string> = {
      authorization: `sso-key ${credentials.apiKey}:${credentials.apiSecret}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const url = `${this.baseUrl}/v1/domains/${encodeURIComponent(domain)}${subPath}`;
    const result = await registrarFetch(NAME, url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (result.status >= 200 && result.status < 300) return result;
    throw failureFor(result, domain, credentials);
  }
}

/** Reads GoDaddy's `{code, message, retryAfterSec?}` envelope; the code decides, never the text. */
function failureFor(result: HttpResult, domain: string, credentials: GoDaddyCredentials): RegistrarError {
  const parsed = errorBodySchema.safeParse(parseJson(result.text));
  const body = parsed.success ? parsed.data : {};
  switch (result.status) {
    case 401:
      return new RegistrarError(
        'invalid',
        'GoDaddy rejected the API key and secret. Check that both belong to the same Production key ' +
          '(OTE test keys do not work against the production API).',
      );
    case 403:
      if (body.code === 'ACCESS_DENIED') return new RegistrarError('insufficient', ENTITLEMENT_MESSAGE);
      break;
    case 404:
      return new RegistrarError(
        'not-in-account',
        `${domain} is not in the GoDaddy account these keys belong to.`,
      );
    case 429:
      return new RegistrarError('rate-limited', rateLimitMessage(body.retryAfterSec));
    case 400:
    case 409:
    case 422:
      return new RegistrarError('unsupported', refusalMessage(domain, body, credentials));
  }
  return (
    failureForStatus(NAME, result.status) ??
    new RegistrarError('unavailable', `${NAME} gave an unexpected answer (HTTP ${result.status}).`)
  );
}

function rateLimitMessage(retryAfterSec: number | undefined): string {
  const when = retryAfterSec === undefined ? 'later' : `in ${Math.ceil(retryAfterSec)} seconds`;
  return `GoDaddy is rate-limiting requests (about 60 a minute per endpoint). Try again ${when}.`;
}

/** GoDaddy's own words explain a refused change; credential values are cut out in case they were echoed. */
function refusalMessage(
  domain: string,
  body: z.infer<typeof errorBodySchema>,
  credentials: GoDaddyCredentials,
): string {
  const reason = redact(body.message ?? 'no reason given', credentials).slice(0, 300);
  return `GoDaddy refused the change for ${domain} (${body.code ?? 'no code'}): ${reason}`;
}

function redact(text: string, credentials: GoDaddyCredentials): string {
  return [credentials.apiKey, credentials.apiSecret].reduce(
    (result, value) => result.split(value).join('[redacted]'),
    text,
  );
}

function readBody<T>(schema: z.ZodType<T>, result: HttpResult): T {
  const parsed = schema.safeParse(parseJson(result.text));
  if (!parsed.success)
    throw new RegistrarError('unavailable', `${NAME} sent an answer Catalyst could not read.`);
  return parsed.data;
}

/** The name as GoDaddy's record endpoints want it: relative to the domain, lower-case, no trailing dot. */
function relativeName(domain: string, label: string): string {
  const name = label.trim().toLowerCase().replace(/\.$/, '');
  if (name.length > 0 && name.length <= 253 && RELATIVE_NAME.test(name)) return name;
  throw new RegistrarError(
    'unsupported',
    `"${label}" is not a name below ${domain} that can be delegated. Use a DNS label such as "acme"; ` +
      'the whole domain is delegated with the apex target instead.',
  );
}

function requireActive(domain: string, detail: DomainDetail): DomainDetail {
  if (detail.status !== 'ACTIVE') throw new RegistrarError('not-in-account', inactiveMessage(domain, detail));
  return detail;
}

/**
 * NS records written to GoDaddy's zone only matter while GoDaddy serves it; otherwise the write would
 * succeed and change nothing anyone can resolve.
 */
function requireGoDaddyDns(domain: string, label: string, detail: DomainDetail) {
  if (servedByGoDaddy(detail)) return;
  throw new RegistrarError(
    'unsupported',
    `${domain} uses the nameservers ${normalizeNameservers(detail.nameServers ?? []).join(', ')}, not GoDaddy DNS, ` +
      `so NS records for ${label} at GoDaddy would never be seen. Add the NS records for ${label} at the DNS ` +
      `provider that serves ${domain}.`,
  );
}

/** An empty list tells nothing either way, so it does not block the write. */
function servedByGoDaddy(detail: DomainDetail): boolean {
  const nameservers = normalizeNameservers(detail.nameServers ?? []);
  return nameservers.every((ns) => ns.endsWith(GODADDY_DNS_SUFFIX));
}

function inactiveMessage(domain: string, detail: DomainDetail): string {
  return `${domain} is in this GoDaddy account but its status is ${detail.status}; only an active domain can be delegated.`;
}

function validMessage(domain: string, detail: DomainDetail): string {
  if (servedByGoDaddy(detail)) return `The GoDaddy keys work and ${domain} is active in the account.`;
  return (
    `The GoDaddy keys work and ${domain} is active in the account. Its DNS is not served by GoDaddy, so only ` +
    'the whole domain can be delegated through GoDaddy.'
  );
}

function sameSet(current: string[], wanted: string[]): boolean {
  return current.length === wanted.length && current.every((ns, index) => ns === wanted[index]);
}
