import { createHash } from 'node:crypto';
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

// The base URL comes from config (default DEFAULT_OVH_API_URL in config/registrar-endpoints.ts, OVHcloud
// Europe); Canada (`https://ca.api.ovh.com/1.0`) and US accounts set their own endpoint there.

const REGISTRAR = 'OVHcloud';
const NS_TTL = 3600;

const credentialValue = z.string().trim().min(1);

export const ovhCredentialsSchema = z.strictObject({
  applicationKey: credentialValue,
  applicationSecret: credentialValue,
  consumerKey: credentialValue,
});
export type OvhCredentials = z.infer<typeof ovhCredentialsSchema>;

const TOKEN_HINT =
  'Create all three at once at https://eu.api.ovh.com/createToken/ (ca.api.ovh.com for Canada)';
const RIGHTS_HINT = 'grant GET, POST and DELETE on /domain/*';

const credentialFields: CredentialField[] = [
  {
    name: 'applicationKey',
    label: 'Application key',
    secret: true,
    optional: false,
    hint: `${TOKEN_HINT}; the application key is the first value shown.`,
  },
  {
    name: 'applicationSecret',
    label: 'Application secret',
    secret: true,
    optional: false,
    hint: `${TOKEN_HINT}; the application secret is shown once, right after creation.`,
  },
  {
    name: 'consumerKey',
    label: 'Consumer key',
    secret: true,
    optional: false,
    hint: `${TOKEN_HINT}: ${RIGHTS_HINT} (validity "Unlimited"). A consumer key made with the API is only usable after you open its validation link.`,
  },
];

const idListSchema = z.array(z.number());
const credentialSchema = z.object({
  status: z.string(),
  rules: z.array(z.object({ method: z.string(), path: z.string() })),
});
const recordSchema = z.object({
  id: z.number(),
  fieldType: z.string(),
  subDomain: z.string().nullish(),
  target: z.string(),
});
const nameServerSchema = z.object({ id: z.number(), host: z.string(), toDelete: z.boolean().nullish() });
const errorSchema = z.object({ message: z.string().optional(), errorCode: z.string().optional() });

type OvhRecord = z.infer<typeof recordSchema>;
type Method = 'GET' | 'POST' | 'DELETE';

interface OvhCall {
  method: Method;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** What the call does, for messages: "create DNS records in bank.com". */
  action: string;
  /** A 404 means the domain is not in this account; the message to say so. */
  notFound?: string;
}

/** A grant validate insists on: everything delegate and readNameservers may call for a domain. */
interface RequiredGrant {
  method: Method;
  path: (domain: string) => string;
  what: string;
}

const REQUIRED_GRANTS: RequiredGrant[] = [
  { method: 'GET', path: (d) => `/domain/zone/${d}`, what: 'read the DNS zone' },
  { method: 'GET', path: (d) => `/domain/zone/${d}/record`, what: 'list DNS records' },
  { method: 'GET', path: (d) => `/domain/zone/${d}/record/1`, what: 'read DNS records' },
  { method: 'POST', path: (d) => `/domain/zone/${d}/record`, what: 'create DNS records' },
  { method: 'DELETE', path: (d) => `/domain/zone/${d}/record/1`, what: 'delete DNS records' },
  { method: 'POST', path: (d) => `/domain/zone/${d}/refresh`, what: 'publish the DNS zone' },
  { method: 'GET', path: (d) => `/domain/${d}/nameServer`, what: "read the domain's nameservers" },
  { method: 'GET', path: (d) => `/domain/${d}/nameServer/1`, what: "read the domain's nameservers" },
  { method: 'POST', path: (d) => `/domain/${d}/nameServers/update`, what: "change the domain's nameservers" },
];

/**
 * OVHcloud API 1.0. Every call is signed with the application secret and consumer key over the exact
 * URL, body and a timestamp taken from OVHcloud's own clock. Labels are delegated with NS records in the
 * OVHcloud-hosted zone (published by a zone refresh); whole domains through the registrar's
 * nameserver update task.
 */
export class OvhAdapter implements RegistrarAdapter<OvhCredentials> {
  readonly id = 'ovh' as const;
  readonly name = 'OVHcloud';
  readonly credentialsSchema = ovhCredentialsSchema;
  readonly credentialFields = credentialFields;
  readonly subdomainDelegation = true;
  readonly apexDelegation = true;
  readonly propagationHint =
    'Label delegations are published as soon as the zone is refreshed and resolvers see them within the record TTL (about an hour). ' +
    "Whole-domain nameserver changes go through OVHcloud's task queue and the registry: usually 1–4 hours, up to 48 hours.";

  private readonly baseUrl: string;
  /** Seconds OVHcloud's clock is ahead of ours; asked once, asked again only if OVHcloud rejects the time. */
  private clockDelta: Promise<number> | undefined;

  constructor(options: { baseUrl: string }) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async validate(credentials: OvhCredentials, domain: string): Promise<ValidationResult> {
    try {
      const credential = parse(credentialSchema, await this.call(credentials, currentCredentialCall()));
      if (credential.status !== 'validated') {
        return { status: 'invalid', message: notValidatedMessage(credential.status) };
      }
      const missing = missingGrants(credential.rules, domain);
      if (missing.length > 0) {
        return { status: 'insufficient', message: insufficientMessage(missing, domain) };
      }
      await this.call(credentials, zoneCall(domain));
      return { status: 'valid', message: `The OVHcloud credentials can manage ${domain}.` };
    } catch (error) {
      if (error instanceof RegistrarError) return { status: error.status, message: error.message };
      throw error;
    }
  }

  async delegate(
    credentials: OvhCredentials,
    domain: string,
    target: DelegationTarget,
    nameservers: string[],
  ): Promise<void> {
    const wanted = wantedNameservers(domain, target, nameservers);
    if (target.kind === 'apex') return this.delegateApex(credentials, domain, wanted);
    return this.delegateLabel(credentials, domain, labelOf(target), wanted);
  }

  async readNameservers(
    credentials: OvhCredentials,
    domain: string,
    target: DelegationTarget,
  ): Promise<string[]> {
    if (target.kind === 'apex') return normalizeNameservers(await this.apexNameservers(credentials, domain));
    const records = await this.labelRecords(credentials, domain, labelOf(target));
    return normalizeNameservers(records.map((record) => absoluteTarget(record.target, domain)));
  }

  /** Adds the missing NS records, removes the label's other NS records, then publishes the zone. */
  private async delegateLabel(credentials: OvhCredentials, domain: string, label: string, wanted: string[]) {
    const { missing, extra } = diffRecords(
      await this.labelRecords(credentials, domain, label),
      wanted,
      domain,
    );
    // Add before deleting, so the label is never left without NS records if a call fails halfway.
    for (const host of missing) await this.call(credentials, createNsCall(domain, label, host));
    for (const record of extra) await this.call(credentials, deleteRecordCall(domain, record.id));
    // OVHcloud serves nothing written until the zone is refreshed. Refreshing even when nothing changed
    // publishes records an earlier, interrupted attempt wrote but never published; it changes no record.
    await this.call(credentials, refreshCall(domain));
  }

  private async delegateApex(credentials: OvhCredentials, domain: string, wanted: string[]) {
    const current = normalizeNameservers(await this.apexNameservers(credentials, domain));
    if (current.join(' ') === wanted.join(' ')) return;
    await this.call(credentials, {
      method: 'POST',
      path: `${domainPath(domain)}/nameServers/update`,
      body: { nameServers: wanted.map((host) => ({ host })) },
      action: `change the nameservers of ${domain}`,
      notFound: notRegisteredMessage(domain),
    });
  }

  /** The NS records at `label`, read one by one (OVHcloud lists ids only). */
  private async labelRecords(
    credentials: OvhCredentials,
    domain: string,
    label: string,
  ): Promise<OvhRecord[]> {
    const ids = parse(
      idListSchema,
      await this.call(credentials, {
        method: 'GET',
        path: `${zonePath(domain)}/record`,
        query: { fieldType: 'NS', subDomain: label },
        action: `list the DNS records of ${domain}`,
        notFound: noZoneMessage(domain),
      }),
    );
    const records: OvhRecord[] = [];
    for (const id of ids) {
      const record = parse(recordSchema, await this.call(credentials, readRecordCall(domain, id)));
      // The filter is OVHcloud's; checking again keeps a loose filter from ever putting other records in scope.
      if (record.fieldType === 'NS' && (record.subDomain ?? '').toLowerCase() === label) records.push(record);
    }
    return records;
  }

  private async apexNameservers(credentials: OvhCredentials, domain: string): Promise<string[]> {
    const path = `${domainPath(domain)}/nameServer`;
    const action = `read the nameservers of ${domain}`;
    const notFound = notRegisteredMessage(domain);
    const ids = parse(idListSchema, await this.call(credentials, { method: 'GET', path, action, notFound }));
    const hosts: string[] = [];
    for (const id of ids) {
      const entry = parse(
        nameServerSchema,
        await this.call(credentials, { method: 'GET', path: `${path}/${id}`, action }),
      );
      // Entries marked toDelete are on their way out in a pending task; they are not the domain's future.
      if (!entry.toDelete) hosts.push(entry.host);
    }
    return hosts;
  }

  /** One signed call; if OVHcloud says our time is off, its clock is read again and the call retried once. */
  private async call(credentials: OvhCredentials, call: OvhCall): Promise<unknown> {
    let result = await this.send(credentials, call);
    if (isQueryOutOfTime(result)) {
      this.clockDelta = undefined;
      result = await this.send(credentials, call);
    }
    if (result.status >= 200 && result.status < 300) return parseJson(result.text) ?? null;
    throw failureFor(result, call, credentials);
  }

  private async send(credentials: OvhCredentials, call: OvhCall): Promise<HttpResult> {
    const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
    const url = `${this.baseUrl}${call.path}${query}`;
    const body = call.body === undefined ? '' : JSON.stringify(call.body);
    const timestamp = String(await this.serverTime());
    return registrarFetch(REGISTRAR, url, {
      method: call.method,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-Ovh-Application': credentials.applicationKey,
        'X-Ovh-Consumer': credentials.consumerKey,
        'X-Ovh-Timestamp': timestamp,
        'X-Ovh-Signature': signature(credentials, call.method, url, body, timestamp),
      },
      body: body === '' ? undefined : body,
    });
  }

  /** Now on OVHcloud's clock: signatures carry it, and OVHcloud rejects times a few minutes off its own. */
  private async serverTime(): Promise<number> {
    this.clockDelta ??= this.readClockDelta().catch((error: unknown) => {
      this.clockDelta = undefined;
      throw error;
    });
    return nowSeconds() + (await this.clockDelta);
  }

  private async readClockDelta(): Promise<number> {
    const result = await registrarFetch(REGISTRAR, `${this.baseUrl}/auth/time`);
    if (result.status !== 200) {
      throw (
        failureForStatus(REGISTRAR, result.status) ??
        new RegistrarError('unavailable', `${REGISTRAR} did not tell its time (HTTP ${result.status}).`)
      );
    }
    const serverTime = parseJson(result.text);
    if (typeof serverTime !== 'number' || !Number.isInteger(serverTime)) {
      throw new RegistrarError(
        'unavailable',
        `${REGISTRAR} answered the time request with something unexpected.`,
      );
    }
    return serverTime - nowSeconds();
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** "$1$" + sha1(AS+CK+METHOD+URL+BODY+TIMESTAMP joined by "+"), lower-case hex: OVHcloud's v1 signature. */
function signature(
  credentials: OvhCredentials,
  method: string,
  url: string,
  body: string,
  timestamp: string,
) {
  const payload = [credentials.applicationSecret, credentials.consumerKey, method, url, body, timestamp].join(
    '+',
  );
  return `$1$${createHash('sha1').update(payload).digest('hex')}`;
}

function domainPath(domain: string): string {
  return `/domain/${encodeURIComponent(domain)}`;
}

function zonePath(domain: string): string {
  return `/domain/zone/${encodeURIComponent(domain)}`;
}

function currentCredentialCall(): OvhCall {
  return { method: 'GET', path: '/auth/currentCredential', action: 'read its own consumer key' };
}

function zoneCall(domain: string): OvhCall {
  return {
    method: 'GET',
    path: zonePath(domain),
    action: `read the DNS zone ${domain}`,
    notFound: noZoneMessage(domain),
  };
}

function readRecordCall(domain: string, id: number): OvhCall {
  return {
    method: 'GET',
    path: `${zonePath(domain)}/record/${id}`,
    action: `read the DNS records of ${domain}`,
  };
}

function createNsCall(domain: string, label: string, host: string): OvhCall {
  return {
    method: 'POST',
    path: `${zonePath(domain)}/record`,
    // The trailing dot makes the target absolute; without it OVHcloud reads it as a name inside the zone.
    body: { fieldType: 'NS', subDomain: label, target: `${host}.`, ttl: NS_TTL },
    action: `create DNS records in ${domain}`,
    notFound: noZoneMessage(domain),
  };
}

function deleteRecordCall(domain: string, id: number): OvhCall {
  return {
    method: 'DELETE',
    path: `${zonePath(domain)}/record/${id}`,
    action: `delete DNS records in ${domain}`,
  };
}

function refreshCall(domain: string): OvhCall {
  return {
    method: 'POST',
    path: `${zonePath(domain)}/refresh`,
    action: `publish (refresh) the DNS zone ${domain}`,
    notFound: noZoneMessage(domain),
  };
}

function noZoneMessage(domain: string): string {
  return `${domain} has no DNS zone in this OVHcloud account.`;
}

function notRegisteredMessage(domain: string): string {
  return `${domain} is not a domain registered in this OVHcloud account.`;
}

function notValidatedMessage(status: string): string {
  return `The OVHcloud consumer key is ${status}, not validated: open the validation link you got when creating it, or create a new one.`;
}

function insufficientMessage(missing: RequiredGrant[], domain: string): string {
  const rights = [...new Set(missing.map((grant) => `${grant.what} (${grant.method})`))].join(', ');
  return `The OVHcloud consumer key is valid but may not ${rights} for ${domain}. Create one that can: ${RIGHTS_HINT}.`;
}

/** The grants validate needs that no access rule of the consumer key covers. */
function missingGrants(rules: { method: string; path: string }[], domain: string): RequiredGrant[] {
  return REQUIRED_GRANTS.filter(
    (grant) =>
      !rules.some(
        (rule) => rule.method.toUpperCase() === grant.method && pathMatches(rule.path, grant.path(domain)),
      ),
  );
}

/** OVHcloud access rule paths are literal paths where `*` stands for anything, slashes included. */
function pathMatches(pattern: string, path: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(path);
}

function labelOf(target: { label: string }): string {
  return target.label.trim().toLowerCase().replace(/\.$/, '');
}

/** The normalized nameservers, refusing what OVHcloud cannot be asked to do with names alone. */
function wantedNameservers(domain: string, target: DelegationTarget, nameservers: string[]): string[] {
  const wanted = normalizeNameservers(nameservers);
  const name = targetName(domain, target);
  if (wanted.length === 0) {
    throw new RegistrarError(
      'unsupported',
      `Removing the delegation of ${name} is not supported: give at least one nameserver, or change it in the OVHcloud control panel.`,
    );
  }
  const inside = wanted.find((host) => host === name || host.endsWith(`.${name}`));
  if (inside) {
    throw new RegistrarError(
      'unsupported',
      `${inside} lies inside ${name}, so the delegation needs glue addresses, which Catalyst does not set at OVHcloud. ` +
        `Use nameservers outside ${name}, or set up this delegation with its glue in the OVHcloud control panel.`,
    );
  }
  return wanted;
}

/** OVHcloud targets without a trailing dot are names inside the zone, as in a zone file. */
function absoluteTarget(target: string, domain: string): string {
  const name = target.trim().toLowerCase();
  return name.endsWith('.') ? name.slice(0, -1) : `${name}.${domain}`;
}

/** Which wanted hosts have no record yet, and which records (other hosts, duplicates) must go. */
function diffRecords(records: OvhRecord[], wanted: string[], domain: string) {
  const kept = new Set<string>();
  const extra: OvhRecord[] = [];
  for (const record of records) {
    const host = absoluteTarget(record.target, domain);
    if (wanted.includes(host) && !kept.has(host)) kept.add(host);
    else extra.push(record);
  }
  return { missing: wanted.filter((host) => !kept.has(host)), extra };
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new RegistrarError(
      'unavailable',
      `${REGISTRAR} answered with something unexpected. Try again later.`,
    );
  }
  return result.data;
}

function isQueryOutOfTime(result: HttpResult): boolean {
  if (result.status !== 400) return false;
  const error = errorSchema.safeParse(parseJson(result.text));
  return (
    error.success &&
    (error.data.errorCode === 'QUERY_TIME_OUT' || /out of time/i.test(error.data.message ?? ''))
  );
}

/** What an OVHcloud error answer means; the error code decides, the message is the fallback. */
function failureFor(result: HttpResult, call: OvhCall, credentials: OvhCredentials): RegistrarError {
  const parsed = errorSchema.safeParse(parseJson(result.text));
  const code = parsed.success ? (parsed.data.errorCode ?? '') : '';
  const message = parsed.success ? (parsed.data.message ?? '') : '';
  if (code === 'INVALID_SIGNATURE' || /invalid signature/i.test(message)) {
    return new RegistrarError(
      'invalid',
      'OVHcloud rejected the request signature: the application secret does not belong to this application key.',
    );
  }
  if (code === 'INVALID_KEY' || /application key/i.test(message)) {
    return new RegistrarError('invalid', 'OVHcloud does not know this application key.');
  }
  if (code === 'NOT_GRANTED_CALL' || /not been granted/i.test(message)) {
    return new RegistrarError(
      'insufficient',
      `The OVHcloud consumer key is valid but not allowed to ${call.action}. Create one that can: ${RIGHTS_HINT}.`,
    );
  }
  if (isCredentialRejection(code, message, result.status)) {
    return new RegistrarError(
      'invalid',
      'OVHcloud does not accept the consumer key: it is unknown, expired, revoked or was never validated.',
    );
  }
  if (code === 'QUERY_TIME_OUT' || /out of time/i.test(message)) {
    return new RegistrarError('unavailable', 'OVHcloud keeps rejecting the request time. Try again shortly.');
  }
  if (result.status === 404 && call.notFound) return new RegistrarError('not-in-account', call.notFound);
  if (result.status === 403) {
    return new RegistrarError(
      'insufficient',
      `The OVHcloud credentials are valid but not allowed to ${call.action}.`,
    );
  }
  const generic = failureForStatus(REGISTRAR, result.status);
  if (generic) return generic;
  const detail = message ? `: ${redact(message, credentials)}` : '';
  return new RegistrarError(
    'unsupported',
    `OVHcloud refused to ${call.action} (HTTP ${result.status}${detail}).`,
  );
}

/** OVHcloud's own words help people, but must never carry a credential back to them. */
function redact(text: string, credentials: OvhCredentials): string {
  let safe = text;
  for (const value of Object.values(credentials)) {
    if (value) safe = safe.split(value).join('[redacted]');
  }
  return safe.slice(0, 300);
}

/** Unknown, expired, revoked or unvalidated consumer key, or none at all. */
function isCredentialRejection(code: string, message: string, status: number): boolean {
  if (code === 'INVALID_CREDENTIAL' || code === 'NOT_CREDENTIAL' || status === 401) return true;
  return status === 403 && /credential/i.test(message);
}
