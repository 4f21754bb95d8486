import type { CredentialField } from '@catalyst/contracts';
import { z } from 'zod';
import {
  type DelegationTarget,
  normalizeNameservers,
  type RegistrarAdapter,
  RegistrarError,
  targetName,
  type ValidationResult,
} from './registrar.js';
import { failureForStatus, type HttpResult, parseJson, registrarFetch } from './registrar-http.js';

// The base URL comes from config; its default, DEFAULT_CLOUDFLARE_API_URL (config/registrar-endpoints.ts), is:
// Production Cloudflare API v4.

const REGISTRAR = 'Cloudflare';
const NS_TTL = 3600;
const PAGE_SIZE = 100;
/** A name with more NS records than this is not a delegation we should be editing. */
const MAX_PAGES = 10;
/** 1000 "Invalid API Token"; 6003 "Invalid request headers" with 6111 "Invalid format for Authorization header". */
const INVALID_TOKEN_CODES = new Set([1000, 6003, 6111]);
const INVALID_API_TOKEN = 1000;
/** 81057 "record already exists", 81058 "identical record already exists". */
const DUPLICATE_RECORD_CODES = new Set([81057, 81058]);
const RECORD_DOES_NOT_EXIST = 81044;
const THROTTLED = 971;

export const cloudflareCredentialsSchema = z.strictObject({
  apiToken: z
    .string()
    .trim()
    .min(1, 'Enter the Cloudflare API token')
    // No length check: token formats differ between old user tokens and newer prefixed tokens.
    .regex(/^[\x21-\x7e]+$/, 'Paste the token alone, without "Bearer", spaces or line breaks'),
});
export type CloudflareCredentials = z.infer<typeof cloudflareCredentialsSchema>;

interface CloudflareErrorItem {
  code?: number;
  message?: string;
  error_chain?: CloudflareErrorItem[];
}

/** Cloudflare's envelope around every answer, success or not. */
interface Envelope<T> {
  success?: boolean;
  errors?: CloudflareErrorItem[];
  result?: T;
  result_info?: { page?: number; total_pages?: number };
}

interface Reply<T> {
  http: HttpResult;
  envelope?: Envelope<T>;
}

interface Zone {
  id: string;
  name: string;
  status?: string;
  type?: string;
}

interface DnsRecord {
  id: string;
  type: string;
  name: string;
  content: string;
}

/** What a call was for, so a refusal can say what failed and which token permission it needs. */
interface Action {
  doing: string;
  needs?: string;
}

export class CloudflareAdapter implements RegistrarAdapter<CloudflareCredentials> {
  readonly id = 'cloudflare' as const;
  readonly name = 'Cloudflare';
  readonly credentialsSchema = cloudflareCredentialsSchema;
  readonly credentialFields: CredentialField[] = [
    {
      name: 'apiToken',
      label: 'API token',
      secret: true,
      optional: false,
      hint:
        'Create it in the Cloudflare dashboard under My Profile → API Tokens → Create Token (an account API token ' +
        'works too). Give it Zone → Zone → Read and Zone → DNS → Edit for this domain’s zone. ' +
        'The Global API Key does not work here.',
    },
  ];
  readonly subdomainDelegation = true;
  // Cloudflare's API cannot change the nameservers a domain's registry points at (see apexUnsupported).
  readonly apexDelegation = false;
  readonly propagationHint =
    'Cloudflare publishes the NS records within a minute or two; resolvers that cached an earlier answer for ' +
    'the name follow once it expires, usually within an hour.';

  private readonly baseUrl: string;

  constructor(options: { baseUrl: string }) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async validate(credentials: CloudflareCredentials, domain: string): Promise<ValidationResult> {
    try {
      await this.verifyToken(credentials);
      const zone = await this.findZone(credentials, domain);
      const problem = zoneProblem(zone, domain);
      if (problem) throw problem;
      return {
        status: 'valid',
        message:
          `The token is active and can see the ${domain} zone. Cloudflare cannot confirm the DNS edit ` +
          'permission without making a change, so it is checked when the NS records are written.',
      };
    } catch (error) {
      if (error instanceof RegistrarError) return { status: error.status, message: error.message };
      throw error;
    }
  }

  async delegate(
    credentials: CloudflareCredentials,
    domain: string,
    target: DelegationTarget,
    nameservers: string[],
  ): Promise<void> {
    if (target.kind === 'apex') throw apexUnsupported(domain);
    const wanted = normalizeNameservers(nameservers);
    if (wanted.length === 0) throw new RangeError('A delegation needs at least one nameserver');
    const zone = await this.findZone(credentials, domain);
    const problem = zoneProblem(zone, domain);
    if (problem) throw problem;
    const name = targetName(domain, target).toLowerCase();
    const { add, remove } = planDelegation(await this.listNsRecords(credentials, zone.id, name), wanted);
    // Adding before removing means the name is never left without NS records halfway through.
    for (const nameserver of add) await this.createNsRecord(credentials, zone.id, name, nameserver);
    for (const record of remove) await this.deleteRecord(credentials, zone.id, record);
  }

  async readNameservers(
    credentials: CloudflareCredentials,
    domain: string,
    target: DelegationTarget,
  ): Promise<string[]> {
    if (target.kind === 'apex') throw apexUnsupported(domain);
    const zone = await this.findZone(credentials, domain);
    const records = await this.listNsRecords(credentials, zone.id, targetName(domain, target).toLowerCase());
    return normalizeNameservers(records.map((record) => record.content));
  }

  private async verifyToken(credentials: CloudflareCredentials): Promise<void> {
    const reply = await this.send<{ status?: string }>(credentials, 'GET', '/user/tokens/verify');
    if (succeeded(reply)) {
      const status = reply.envelope?.result?.status;
      if (status !== 'active') throw inactiveToken(status);
      return;
    }
    // Account-owned tokens are refused here with the same code as a wrong token. The zone lookup that
    // follows accepts both kinds of token and refuses a wrong one with that code again, so it decides.
    if (reply.http.status === 401 && errorCodes(reply.envelope).includes(INVALID_API_TOKEN)) return;
    throw this.failure(credentials, reply, { doing: 'verify the API token' });
  }

  private async findZone(credentials: CloudflareCredentials, domain: string): Promise<Zone> {
    const wanted = domain.toLowerCase();
    const zones = await this.call<unknown>(
      credentials,
      'GET',
      `/zones?${new URLSearchParams({ name: wanted })}`,
      {
        doing: `look up the ${domain} zone`,
        needs: 'Zone → Zone → Read',
      },
    );
    const matching = (Array.isArray(zones) ? zones : []).filter(
      (zone): zone is Zone => isZone(zone) && zone.name.toLowerCase() === wanted,
    );
    const zone = matching.find((candidate) => candidate.status === 'active') ?? matching[0];
    if (!zone) {
      throw new RegistrarError(
        'not-in-account',
        `${domain} is not a zone this Cloudflare API token can see. Add the domain to the Cloudflare account, ` +
          'or give the token access to its zone (Zone → Zone → Read and Zone → DNS → Edit).',
      );
    }
    return zone;
  }

  private async listNsRecords(
    credentials: CloudflareCredentials,
    zoneId: string,
    name: string,
  ): Promise<DnsRecord[]> {
    const action = { doing: `read the NS records of ${name}`, needs: 'Zone → DNS → Read' };
    const found: unknown[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const query = new URLSearchParams({
        type: 'NS',
        name,
        per_page: String(PAGE_SIZE),
        page: String(page),
      });
      const envelope = await this.callEnvelope<unknown>(
        credentials,
        'GET',
        `${recordsPath(zoneId)}?${query}`,
        action,
      );
      if (Array.isArray(envelope.result)) found.push(...envelope.result);
      if (page >= (envelope.result_info?.total_pages ?? 1)) break;
    }
    // Cloudflare filters by type and name already; checking again here means a filter Cloudflare
    // ignored or widened can never lead to deleting a record at some other name.
    return found.filter(
      (record): record is DnsRecord =>
        isRecord(record) && record.type === 'NS' && record.name.toLowerCase() === name,
    );
  }

  private async createNsRecord(
    credentials: CloudflareCredentials,
    zoneId: string,
    name: string,
    nameserver: string,
  ) {
    const body = { type: 'NS', name, content: nameserver, ttl: NS_TTL };
    const reply = await this.send(credentials, 'POST', recordsPath(zoneId), body);
    if (succeeded(reply)) return;
    // Someone added the same record since we read the name: it is there, which is all we wanted.
    if (errorCodes(reply.envelope).some((code) => DUPLICATE_RECORD_CODES.has(code))) return;
    throw this.failure(credentials, reply, {
      doing: `add the NS record ${nameserver} at ${name}`,
      needs: 'Zone → DNS → Edit',
    });
  }

  private async deleteRecord(credentials: CloudflareCredentials, zoneId: string, record: DnsRecord) {
    const reply = await this.send(
      credentials,
      'DELETE',
      `${recordsPath(zoneId)}/${encodeURIComponent(record.id)}`,
    );
    if (succeeded(reply)) return;
    // Already gone (a concurrent change): the outcome we wanted.
    if (errorCodes(reply.envelope).includes(RECORD_DOES_NOT_EXIST)) return;
    throw this.failure(credentials, reply, {
      doing: `remove the old NS record ${record.content} at ${record.name}`,
      needs: 'Zone → DNS → Edit',
    });
  }

  /** A call that must succeed; answers its `result`. */
  private async call<T>(credentials: CloudflareCredentials, method: string, path: string, action: Action) {
    return (await this.callEnvelope<T>(credentials, method, path, action)).result;
  }

  private async callEnvelope<T>(
    credentials: CloudflareCredentials,
    method: string,
    path: string,
    action: Action,
  ): Promise<Envelope<T>> {
    const reply = await this.send<T>(credentials, method, path);
    if (succeeded(reply) && reply.envelope) return reply.envelope;
    throw this.failure(credentials, reply, action);
  }

  private async send<T>(credentials: CloudflareCredentials, method: string, path: string, body?: unknown) {
    const headers: Record<string, string> = {
      authorization: `Bearer ${credentials.apiToken}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const http = await registrarFetch(REGISTRAR, `${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const reply: Reply<T> = { http, envelope: asEnvelope<T>(parseJson(http.text)) };
    return reply;
  }

  /** The RegistrarError a refused call means; branches on Cloudflare's codes, never on its wording. */
  private failure(credentials: CloudflareCredentials, reply: Reply<unknown>, action: Action): RegistrarError {
    const { status } = reply.http;
    const codes = errorCodes(reply.envelope);
    if (status === 429 || codes.includes(THROTTLED))
      return rateLimited(reply.http.headers.get('retry-after'));
    if (status === 401 || codes.some((code) => INVALID_TOKEN_CODES.has(code))) return invalidToken();
    if (status === 403) {
      const fix = action.needs ? ` Give it ${action.needs} on the zone.` : '';
      return new RegistrarError(
        'insufficient',
        `The Cloudflare API token is valid but not allowed to ${action.doing}.${fix}`,
      );
    }
    const unavailable = failureForStatus(REGISTRAR, status);
    if (unavailable) return unavailable;
    if (status === 404) {
      return new RegistrarError(
        'not-in-account',
        `Cloudflare could not find what it needed to ${action.doing}; the zone may have left the account. Try again.`,
      );
    }
    if (status < 400) {
      return new RegistrarError(
        'unavailable',
        `Cloudflare gave an unexpected answer when asked to ${action.doing}.`,
      );
    }
    const said = describeErrors(reply.envelope, credentials.apiToken);
    return new RegistrarError(
      'unsupported',
      `Cloudflare refused to ${action.doing}${said ? `: ${said}` : ''}.`,
    );
  }
}

function recordsPath(zoneId: string): string {
  return `/zones/${encodeURIComponent(zoneId)}/dns_records`;
}

/** Keeps one record per wanted nameserver; everything else at the name goes. */
function planDelegation(existing: DnsRecord[], wanted: string[]): { add: string[]; remove: DnsRecord[] } {
  const kept = new Set<string>();
  const remove: DnsRecord[] = [];
  for (const record of existing) {
    const content = normalizeNameservers([record.content])[0] ?? '';
    if (wanted.includes(content) && !kept.has(content)) kept.add(content);
    else remove.push(record);
  }
  return { add: wanted.filter((nameserver) => !kept.has(nameserver)), remove };
}

/** Why records written in this zone would not delegate anything, if they would not. */
function zoneProblem(zone: Zone, domain: string): RegistrarError | undefined {
  if (zone.type === 'partial') {
    return new RegistrarError(
      'unsupported',
      `${domain} uses a partial (CNAME) setup at Cloudflare, so Cloudflare does not answer DNS for it and NS ` +
        'records added there would never be served. Delegate at the provider that hosts the domain’s DNS, or ' +
        'switch the zone to a full setup at Cloudflare.',
    );
  }
  if (zone.type === 'secondary') {
    return new RegistrarError(
      'unsupported',
      `${domain} is a secondary zone at Cloudflare: its records are copied from the primary DNS provider and ` +
        'cannot be changed at Cloudflare. Delegate at the primary DNS provider instead.',
    );
  }
  if (zone.status === 'active') return undefined;
  if (zone.status === 'pending') {
    return new RegistrarError(
      'insufficient',
      `${domain} is in the Cloudflare account, but the zone is not active at Cloudflare yet (pending): Cloudflare ` +
        'does not answer for it until the domain’s nameservers point at Cloudflare. Finish that change at your ' +
        'registrar, wait until Cloudflare shows the zone as active, then try again.',
    );
  }
  return new RegistrarError(
    'insufficient',
    `The ${domain} zone at Cloudflare is not active (${zone.status ?? 'status unknown'}), so records written ` +
      'there would not be served. Make the zone active in the Cloudflare dashboard, then try again.',
  );
}

function apexUnsupported(domain: string): RegistrarError {
  return new RegistrarError(
    'unsupported',
    `Cloudflare cannot point the whole domain ${domain} at other nameservers through its API: a domain ` +
      'registered with Cloudflare must keep Cloudflare’s nameservers, and for a domain registered elsewhere ' +
      'they are set at that registrar. Change the nameservers at the domain’s registrar yourself, or delegate ' +
      `a subdomain (such as cloud.${domain}) instead.`,
  );
}

function invalidToken(): RegistrarError {
  return new RegistrarError(
    'invalid',
    'Cloudflare rejected the API token. Check that it was copied completely and has not been deleted or ' +
      'expired. A Global API Key does not work here: create an API token.',
  );
}

function inactiveToken(status: string | undefined): RegistrarError {
  const state = status === 'disabled' ? 'disabled' : status === 'expired' ? 'expired' : 'not active';
  return new RegistrarError(
    'invalid',
    `The Cloudflare API token is ${state}. Re-enable it or create a new one in the Cloudflare dashboard.`,
  );
}

function rateLimited(retryAfter: string | null): RegistrarError {
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
  const when = seconds === undefined ? 'later' : `in ${seconds} second${seconds === 1 ? '' : 's'}`;
  return new RegistrarError('rate-limited', `Cloudflare is rate-limiting requests. Try again ${when}.`);
}

function succeeded(reply: Reply<unknown>): boolean {
  // Cloudflare pairs success:false with a 4xx, but both are checked: either alone means failure.
  return reply.http.status >= 200 && reply.http.status < 300 && reply.envelope?.success === true;
}

/** Every error code in the envelope, the chained causes included (6003 carries 6111 that way). */
function errorCodes(envelope: Envelope<unknown> | undefined): number[] {
  const codes: number[] = [];
  const collect = (items: CloudflareErrorItem[] | undefined) => {
    for (const item of Array.isArray(items) ? items : []) {
      if (typeof item?.code === 'number') codes.push(item.code);
      collect(item?.error_chain);
    }
  };
  collect(envelope?.errors);
  return codes;
}

/** Cloudflare's own words, for a refusal only a person can resolve. Redacted before being cut short. */
function describeErrors(envelope: Envelope<unknown> | undefined, secret: string): string {
  const errors = Array.isArray(envelope?.errors) ? envelope.errors : [];
  const text = errors
    .filter((error) => typeof error?.message === 'string')
    .map(
      (error) =>
        `${error.message?.replace(/\.$/, '')}${typeof error.code === 'number' ? ` (code ${error.code})` : ''}`,
    )
    .join('; ');
  // Cloudflare's messages do not echo tokens, but one that did must not reach a person.
  return (secret ? text.split(secret).join('[token]') : text).slice(0, 300);
}

function asEnvelope<T>(value: unknown): Envelope<T> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Envelope<T>)
    : undefined;
}

function isZone(value: unknown): value is Zone {
  const zone = value as Partial<Zone> | null;
  return (
    typeof zone === 'object' && zone !== null && typeof zone.id === 'string' && typeof zone.name === 'string'
  );
}

function isRecord(value: unknown): value is DnsRecord {
  const record = value as Partial<DnsRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.id === 'string' &&
    typeof record.type === 'string' &&
    typeof record.name === 'string' &&
    typeof record.content === 'string'
  );
}
