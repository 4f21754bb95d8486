import type { CredentialField } from '@catalyst/contracts';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import {
  type DelegationTarget,
  normalizeNameservers,
  type RegistrarAdapter,
  RegistrarError,
  type ValidationResult,
} from './registrar.js';
import { failureForStatus, registrarFetch } from './registrar-http.js';

// The base URL comes from config; its default, DEFAULT_NAMECHEAP_API_URL (config/registrar-endpoints.ts), is:
// Production endpoint; the sandbox is https://api.sandbox.namecheap.com/xml.response (separate account and key).

const REGISTRAR = 'Namecheap';
/** getList accepts 10–100 per page; the largest page keeps big accounts to few calls. */
const PAGE_SIZE = 100;
/** A guard against a paging answer that never ends; 100 000 domains is beyond any account we expect. */
const MAX_PAGES = 1000;
/** Namecheap's own default TTL for host records. */
const DEFAULT_TTL = '1800';
/** setCustom accepts at most 12 nameservers. */
const MAX_CUSTOM_NAMESERVERS = 12;

const requiredText = z.string().trim().min(1);

export const namecheapCredentialsSchema = z.strictObject({
  apiUser: requiredText,
  apiKey: requiredText,
  userName: requiredText.optional(),
  clientIp: z
    .string()
    .trim()
    .pipe(z.ipv4({ message: 'Enter the IPv4 address whitelisted for API access' })),
});
export type NamecheapCredentials = z.infer<typeof namecheapCredentialsSchema>;

// Namecheap answers every call with HTTP 200; what went wrong is only in <Error Number="…">.
const INVALID_CREDENTIAL_ERRORS = new Set([
  '1010101', // ApiUser missing
  '1010102', // ApiKey missing
  '1011102', // ApiKey invalid, or API access not enabled on the account
  '1010105', // ClientIp missing
  '1011105', // ClientIp invalid
  '1017101', // ApiUser disabled or locked
  '1017105', // ClientIp disabled or locked
  '1019103', // UserName not available
  '1017103', // UserName disabled or locked
]);
const IP_NOT_WHITELISTED_ERRORS = new Set(['1011150', '1017150']);
const USERNAME_UNAUTHORIZED_ERROR = '1016103';
const NOT_IN_ACCOUNT_ERRORS = new Set(['2019166', '2016166']);
const NOT_USING_NAMECHEAP_DNS_ERROR = '2030288';
const EDIT_NOT_SUPPORTED_ERROR = '2030166';
const RATE_LIMIT_ERROR = '500000';
const RATE_LIMIT_TEXT = /\brate\b|rate[- ]?limit|too many/i;

type XmlNode = Record<string, unknown>;

interface NamecheapErrorEntry {
  number: string;
  text: string;
}

/** One row of getHosts, kept as the strings Namecheap gave so it can be re-sent unchanged. */
interface HostRecord {
  name: string;
  type: string;
  address: string;
  mxPref?: string;
  ttl?: string;
}

interface HostsZone {
  emailType?: string;
  hosts: HostRecord[];
}

interface DomainParts {
  sld: string;
  tld: string;
}

// Element names whose count varies: forced to arrays so one element and many read the same way.
// The live API spells host rows <host>, the docs <Host>; both are lists.
const LIST_ELEMENTS = new Set(['error', 'host', 'domain', 'nameserver']);

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Values stay strings: TTLs, MX preferences and error numbers are re-sent or compared as text.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && LIST_ELEMENTS.has(name.toLowerCase()),
});

export class NamecheapAdapter implements RegistrarAdapter<NamecheapCredentials> {
  readonly id = 'namecheap' as const;
  readonly name = 'Namecheap';
  readonly credentialsSchema = namecheapCredentialsSchema;
  readonly credentialFields: CredentialField[] = [
    {
      name: 'apiUser',
      label: 'API user',
      secret: false,
      optional: false,
      hint: 'Your Namecheap account user name. API access must be enabled under Profile → Tools → Namecheap API Access.',
    },
    {
      name: 'apiKey',
      label: 'API key',
      secret: true,
      optional: false,
      hint: 'Shown on Profile → Tools → Namecheap API Access once API access is turned on (Namecheap only enables it for accounts with enough domains, balance or spend). The key has full account access; there are no narrower scopes.',
    },
    {
      name: 'userName',
      label: 'User name to act for',
      secret: false,
      optional: true,
      hint: 'Only for resellers acting for a sub-account; leave empty to use the API user.',
    },
    {
      name: 'clientIp',
      label: 'Whitelisted IPv4 address',
      secret: false,
      optional: false,
      hint: 'The public IPv4 address this platform calls Namecheap from. Add it under Profile → Tools → Namecheap API Access → Whitelisted IPs; Namecheap refuses calls from any other address.',
    },
  ];
  // Label delegation writes NS host rows; that only works while the domain uses Namecheap DNS.
  readonly subdomainDelegation = true;
  readonly apexDelegation = true;
  readonly propagationHint =
    'Usually 1–2 hours at Namecheap; allow up to 48 hours for resolvers to pick it up.';

  private readonly baseUrl: string;
  /** setHosts replaces the whole host list, so two writes to one domain must never interleave. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(options: { baseUrl: string }) {
    this.baseUrl = options.baseUrl;
  }

  async validate(credentials: NamecheapCredentials, domain: string): Promise<ValidationResult> {
    const name = normalizeDomain(domain);
    try {
      const found = await this.findDomain(credentials, name);
      if (!found) {
        return {
          status: 'not-in-account',
          message: `${name} is not in this Namecheap account. Check the domain, or the user name the API acts for.`,
        };
      }
      const dnsNote = found.usesNamecheapDns
        ? ''
        : ' It does not use Namecheap DNS, so only the whole domain can be pointed at other nameservers.';
      return {
        status: 'valid',
        message: `Namecheap accepted the credentials and ${name} is in the account.${dnsNote}`,
      };
    } catch (error) {
      if (error instanceof RegistrarError) return { status: error.status, message: error.message };
      throw error;
    }
  }

  async delegate(
    credentials: NamecheapCredentials,
    domain: string,
    target: DelegationTarget,
    nameservers: string[],
  ): Promise<void> {
    const name = normalizeDomain(domain);
    const wanted = normalizeNameservers(nameservers);
    if (wanted.length === 0) {
      throw new RegistrarError('unsupported', 'Namecheap needs at least one nameserver to delegate to.');
    }
    await this.serialized(name, () =>
      target.kind === 'apex'
        ? this.delegateApex(credentials, name, wanted)
        : this.delegateLabel(credentials, name, normalizeLabel(target.label), wanted),
    );
  }

  async readNameservers(
    credentials: NamecheapCredentials,
    domain: string,
    target: DelegationTarget,
  ): Promise<string[]> {
    const name = normalizeDomain(domain);
    if (target.kind === 'apex') return (await this.readDomainNameservers(credentials, name)).nameservers;
    const label = normalizeLabel(target.label);
    const zone = await this.readHosts(credentials, name, label);
    return normalizeNameservers(zone.hosts.filter((host) => isNsAt(host, label)).map((host) => host.address));
  }

  private async delegateApex(
    credentials: NamecheapCredentials,
    domain: string,
    wanted: string[],
  ): Promise<void> {
    if (wanted.length > MAX_CUSTOM_NAMESERVERS) {
      throw new RegistrarError(
        'unsupported',
        `Namecheap accepts at most ${MAX_CUSTOM_NAMESERVERS} nameservers for a domain; ${wanted.length} were given.`,
      );
    }
    const current = await this.readDomainNameservers(credentials, domain);
    if (!current.usesNamecheapDns && sameList(current.nameservers, wanted)) return;
    const { sld, tld } = splitDomain(domain);
    const response = await this.call(
      credentials,
      'namecheap.domains.dns.setCustom',
      { SLD: sld, TLD: tld, Nameservers: wanted.join(',') },
      'POST',
    );
    const result = child(response, 'DomainDNSSetCustomResult');
    // The docs name the flag Update=, live answers Updated=.
    const updated = attribute(result, 'Updated') ?? attribute(result, 'Update');
    if (updated?.toLowerCase() !== 'true') {
      throw new RegistrarError(
        'unavailable',
        `Namecheap did not confirm the nameserver change for ${domain}.`,
      );
    }
  }

  /**
   * setHosts replaces every host row of the domain, so the full list read from getHosts is sent back with
   * only this label's NS rows swapped. EmailType is re-sent too: without it Namecheap drops MX routing.
   */
  private async delegateLabel(
    credentials: NamecheapCredentials,
    domain: string,
    label: string,
    wanted: string[],
  ): Promise<void> {
    const zone = await this.readHosts(credentials, domain, label);
    const currentNs = zone.hosts.filter((host) => isNsAt(host, label));
    if (sameList(normalizeNameservers(currentNs.map((host) => host.address)), wanted)) return;
    refuseOccupiedLabel(zone.hosts, domain, label);

    const ttl = currentNs[0]?.ttl ?? DEFAULT_TTL;
    const hosts = [
      ...zone.hosts.filter((host) => !isNsAt(host, label)),
      ...wanted.map((address) => ({ name: label, type: 'NS', address, ttl })),
    ];
    const { sld, tld } = splitDomain(domain);
    const response = await this.call(
      credentials,
      'namecheap.domains.dns.setHosts',
      setHostsParams(sld, tld, emailTypeFor(zone), hosts),
      'POST',
    );
    const success = attribute(child(response, 'DomainDNSSetHostsResult'), 'IsSuccess');
    if (success?.toLowerCase() !== 'true') {
      throw new RegistrarError(
        'unavailable',
        `Namecheap did not confirm the NS records for ${label}.${domain}.`,
      );
    }
  }

  private async findDomain(
    credentials: NamecheapCredentials,
    domain: string,
  ): Promise<{ usesNamecheapDns: boolean } | undefined> {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const response = await this.call(credentials, 'namecheap.domains.getList', {
        Page: String(page),
        PageSize: String(PAGE_SIZE),
      });
      const domains = children(child(response, 'DomainGetListResult'), 'Domain');
      const match = domains.find((entry) => attribute(entry, 'Name')?.toLowerCase() === domain);
      if (match) return { usesNamecheapDns: attribute(match, 'IsOurDNS')?.toLowerCase() === 'true' };
      // A short page is the last one; TotalItems, when given, ends a listing that divides evenly.
      const total = Number(text(child(child(response, 'Paging'), 'TotalItems')));
      const pastTotal = Number.isFinite(total) && total > 0 && page * PAGE_SIZE >= total;
      if (domains.length < PAGE_SIZE || pastTotal) return undefined;
    }
    return undefined;
  }

  private async readHosts(
    credentials: NamecheapCredentials,
    domain: string,
    label: string,
  ): Promise<HostsZone> {
    const { sld, tld } = splitDomain(domain);
    const response = await this.call(credentials, 'namecheap.domains.dns.getHosts', { SLD: sld, TLD: tld });
    const result = child(response, 'DomainDNSGetHostsResult');
    if (attribute(result, 'IsUsingOurDNS')?.toLowerCase() !== 'true')
      throw notUsingNamecheapDns(domain, label);
    return { emailType: attribute(result, 'EmailType'), hosts: children(result, 'host').map(toHostRecord) };
  }

  private async readDomainNameservers(
    credentials: NamecheapCredentials,
    domain: string,
  ): Promise<{ usesNamecheapDns: boolean; nameservers: string[] }> {
    const { sld, tld } = splitDomain(domain);
    const response = await this.call(credentials, 'namecheap.domains.dns.getList', { SLD: sld, TLD: tld });
    const result = child(response, 'DomainDNSGetListResult');
    return {
      usesNamecheapDns: attribute(result, 'IsUsingOurDNS')?.toLowerCase() === 'true',
      nameservers: normalizeNameservers(children(result, 'Nameserver').map(text)),
    };
  }

  /** One API call. Reads go as GET; writes as a POST form, because setHosts carries the whole zone. */
  private async call(
    credentials: NamecheapCredentials,
    command: string,
    params: Record<string, string>,
    method: 'GET' | 'POST' = 'GET',
  ): Promise<XmlNode> {
    const form = new URLSearchParams({
      ApiUser: credentials.apiUser,
      ApiKey: credentials.apiKey,
      UserName: credentials.userName ?? credentials.apiUser,
      ClientIp: credentials.clientIp,
      Command: command,
      ...params,
    });
    const result =
      method === 'GET'
        ? await registrarFetch(REGISTRAR, `${this.baseUrl}?${form}`)
        : await registrarFetch(REGISTRAR, this.baseUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form.toString(),
          });
    if (result.status !== 200) {
      throw (
        failureForStatus(REGISTRAR, result.status) ??
        new RegistrarError('unavailable', `Namecheap answered with unexpected HTTP status ${result.status}.`)
      );
    }
    return commandResponse(result.text, credentials);
  }

  /** Runs writes to one domain one after another, whether the previous one failed or not. */
  private async serialized(domain: string, work: () => Promise<void>): Promise<void> {
    const previous = this.writes.get(domain) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(work);
    this.writes.set(domain, run);
    try {
      await run;
    } finally {
      if (this.writes.get(domain) === run) this.writes.delete(domain);
    }
  }
}

/** The <CommandResponse> of an OK answer; an ERROR answer becomes the RegistrarError its number means. */
function commandResponse(body: string, credentials: NamecheapCredentials): XmlNode {
  const root = child(parseXml(body), 'ApiResponse');
  const status = attribute(root, 'Status')?.toUpperCase();
  if (status === 'ERROR') throw failureForErrors(children(child(root, 'Errors'), 'Error'), credentials);
  if (status !== 'OK') {
    throw new RegistrarError('unavailable', 'Namecheap answered with something that is not an API response.');
  }
  return child(root, 'CommandResponse') ?? {};
}

function parseXml(body: string): XmlNode | undefined {
  try {
    const parsed: unknown = xmlParser.parse(body);
    return isNode(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function failureForErrors(nodes: unknown[], credentials: NamecheapCredentials): RegistrarError {
  const errors: NamecheapErrorEntry[] = nodes.map((node) => ({
    number: attribute(node, 'Number') ?? '',
    text: text(node),
  }));
  for (const error of errors) {
    const failure = failureForError(error);
    if (failure) return failure;
  }
  const first = errors[0];
  const detail = first ? ` (error ${first.number}: ${redact(first.text, credentials)})` : '';
  return new RegistrarError('unavailable', `Namecheap refused the request${detail}.`);
}

function failureForError({ number, text: message }: NamecheapErrorEntry): RegistrarError | undefined {
  if (number === RATE_LIMIT_ERROR) return rateLimited();
  if (INVALID_CREDENTIAL_ERRORS.has(number)) {
    return new RegistrarError(
      'invalid',
      'Namecheap rejected the API user or API key, or API access is not enabled for the account.',
    );
  }
  if (IP_NOT_WHITELISTED_ERRORS.has(number)) {
    return new RegistrarError(
      'invalid',
      'Namecheap refused the request IP: the client IP is not whitelisted for API access. Add the address this platform calls from under Profile → Tools → Namecheap API Access → Whitelisted IPs, and enter that same address as the client IP.',
    );
  }
  if (number === USERNAME_UNAUTHORIZED_ERROR) {
    return new RegistrarError(
      'insufficient',
      'The Namecheap API user is not allowed to act for that user name. Leave the user name empty unless you manage a sub-account.',
    );
  }
  if (NOT_IN_ACCOUNT_ERRORS.has(number)) {
    return new RegistrarError('not-in-account', 'The domain is not in this Namecheap account.');
  }
  if (number === NOT_USING_NAMECHEAP_DNS_ERROR) {
    return new RegistrarError(
      'unsupported',
      'The domain does not use Namecheap DNS, so Namecheap cannot hold records for it. Delegate the whole domain, or add the NS records at the DNS provider the domain points to.',
    );
  }
  if (number === EDIT_NOT_SUPPORTED_ERROR) {
    return new RegistrarError(
      'unsupported',
      "Namecheap does not allow editing this domain's DNS through the API.",
    );
  }
  if (RATE_LIMIT_TEXT.test(message)) return rateLimited();
  return undefined;
}

function rateLimited(): RegistrarError {
  return new RegistrarError('rate-limited', 'Namecheap is rate-limiting requests. Try again later.');
}

function notUsingNamecheapDns(domain: string, label: string): RegistrarError {
  return new RegistrarError(
    'unsupported',
    `${domain} does not use Namecheap DNS (BasicDNS or PremiumDNS), so Namecheap cannot hold NS records for ${label}.${domain}. Add the NS records at the DNS provider ${domain} points to, switch ${domain} to Namecheap BasicDNS first, or delegate the whole domain instead.`,
  );
}

/** Delegating a name hides any other record at it, and NS beside CNAME is not allowed at all. */
function refuseOccupiedLabel(hosts: HostRecord[], domain: string, label: string): void {
  const occupying = hosts.filter(
    (host) => host.name.toLowerCase() === label && host.type.toUpperCase() !== 'NS',
  );
  if (occupying.length === 0) return;
  const types = [...new Set(occupying.map((host) => host.type.toUpperCase()))].join(', ');
  throw new RegistrarError(
    'unsupported',
    `${label}.${domain} already has ${types} records at Namecheap; NS records cannot sit beside them. Remove those records in Namecheap's Advanced DNS page, then try again.`,
  );
}

function setHostsParams(sld: string, tld: string, emailType: string | undefined, hosts: HostRecord[]) {
  const params: Record<string, string> = { SLD: sld, TLD: tld };
  if (emailType) params.EmailType = emailType;
  hosts.forEach((host, index) => {
    const n = index + 1;
    params[`HostName${n}`] = host.name;
    params[`RecordType${n}`] = host.type;
    params[`Address${n}`] = host.address;
    if (host.type.toUpperCase() === 'MX') params[`MXPref${n}`] = host.mxPref ?? '10';
    if (host.ttl) params[`TTL${n}`] = host.ttl;
  });
  return params;
}

/** MX rows only survive setHosts with EmailType=MX, so a zone with MX rows but no EmailType gets MX. */
function emailTypeFor(zone: HostsZone): string | undefined {
  if (zone.emailType) return zone.emailType;
  return zone.hosts.some((host) => host.type.toUpperCase() === 'MX') ? 'MX' : undefined;
}

function toHostRecord(node: unknown): HostRecord {
  return {
    name: attribute(node, 'Name') ?? '@',
    type: attribute(node, 'Type') ?? '',
    address: attribute(node, 'Address') ?? '',
    mxPref: attribute(node, 'MXPref'),
    ttl: attribute(node, 'TTL'),
  };
}

function isNsAt(host: HostRecord, label: string): boolean {
  return host.type.toUpperCase() === 'NS' && host.name.toLowerCase() === label;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

function normalizeLabel(label: string): string {
  return label.trim().toLowerCase().replace(/\.$/, '');
}

/** SLD is the first label; everything after it is the TLD, so bank.co.uk → bank + co.uk. */
function splitDomain(domain: string): DomainParts {
  const dot = domain.indexOf('.');
  if (dot <= 0 || dot === domain.length - 1) {
    throw new RegistrarError('not-in-account', `${domain} is not a registered domain name.`);
  }
  return { sld: domain.slice(0, dot), tld: domain.slice(dot + 1) };
}

function redact(message: string, credentials: NamecheapCredentials): string {
  return message.split(credentials.apiKey).join('[redacted]').slice(0, 300);
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A child element, matched without regard to case (the API and its docs disagree on spelling). */
function child(node: unknown, name: string): XmlNode | undefined {
  const value = lookup(node, name);
  const first = Array.isArray(value) ? value[0] : value;
  return isNode(first) ? first : undefined;
}

function children(node: unknown, name: string): unknown[] {
  if (!isNode(node)) return [];
  const wanted = name.toLowerCase();
  return Object.entries(node)
    .filter(([key]) => key.toLowerCase() === wanted)
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value]));
}

function lookup(node: unknown, name: string): unknown {
  if (!isNode(node)) return undefined;
  const wanted = name.toLowerCase();
  const key = Object.keys(node).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : node[key];
}

/** An attribute, matched without regard to case: HostId and HostID both occur. */
function attribute(node: unknown, name: string): string | undefined {
  const value = lookup(node, `@_${name}`);
  return typeof value === 'string' ? value : undefined;
}

/** The text of an element, whether or not it also has attributes. */
function text(node: unknown): string {
  if (typeof node === 'string') return node.trim();
  const value = lookup(node, '#text');
  return typeof value === 'string' ? value.trim() : '';
}
