import { setTimeout as sleep } from 'node:timers/promises';
import type { CredentialField } from '@catalyst/contracts';
import { z } from 'zod';
import {
  type DelegationTarget,
  normalizeNameservers,
  type RegistrarAdapter,
  RegistrarError,
  type ValidationResult,
} from './registrar.js';
import { failureForStatus, parseJson, registrarFetch } from './registrar-http.js';

// The base URL comes from config; its default, DEFAULT_DYNADOT_API_URL (config/registrar-endpoints.ts), is:
// Dynadot's legacy api3 (JSON flavour): the one most integrations use and the only one with `set_ns` by key alone.

const REGISTRAR = 'Dynadot';
/** `set_ns` takes ns0..ns12. */
const MAX_NAMESERVERS = 13;
/** Dynadot's "main server" hiccups usually clear within seconds; longer outages are reported, not waited out. */
const DEFAULT_RETRY_DELAYS_MS = [1_000, 3_000];

export const dynadotCredentialsSchema = z.strictObject({
  apiKey: z.string().trim().min(1, 'Enter the Dynadot API key'),
});
export type DynadotCredentials = z.infer<typeof dynadotCredentialsSchema>;

export interface DynadotAdapterOptions {
  baseUrl: string;
  /** The wait before each retry of Dynadot's transient "main server" error; its length is the number of retries. */
  retryDelaysMs?: readonly number[];
}

type Command = 'domain_info' | 'set_ns';
type Envelope = Record<string, unknown>;

/** The envelope each command answers in (`list_domain` answers in `ListDomainInfoResponse`, so it is not derivable). */
const RESPONSE_NAMES: Record<Command, string> = {
  domain_info: 'DomainInfoResponse',
  set_ns: 'SetNsResponse',
};

/** A Dynadot error worth one more try: their api front end losing its "main server" for a moment. */
class TransientDynadotError extends RegistrarError {}

export class DynadotAdapter implements RegistrarAdapter<DynadotCredentials> {
  readonly id = 'dynadot' as const;
  readonly name = 'Dynadot';
  readonly credentialsSchema = dynadotCredentialsSchema;
  readonly credentialFields: CredentialField[] = [
    {
      name: 'apiKey',
      label: 'API key',
      secret: true,
      optional: false,
      hint:
        'In your Dynadot account open Tools → API and generate (or copy) the API key; if you restricted the key ' +
        'to IP addresses, allow the Catalyst server. The key needs no extra permissions, but Dynadot only accepts ' +
        'nameserver hosts that are registered in your account (Name Servers → Add Name Server).',
    },
  ];
  /** Dynadot's DNS API documents no NS records below the apex, so only whole domains can be delegated. */
  readonly subdomainDelegation = false;
  readonly apexDelegation = true;
  readonly propagationHint =
    'Dynadot usually publishes new nameservers within 30–60 minutes; resolvers can take up to 48 hours to follow.';

  private readonly baseUrl: string;
  private readonly retryDelaysMs: readonly number[];
  /** api3 serves one request at a time and throttles bursts, so this adapter never has two calls in flight. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: DynadotAdapterOptions) {
    this.baseUrl = options.baseUrl;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  }

  async validate(credentials: DynadotCredentials, domain: string): Promise<ValidationResult> {
    try {
      await this.call(credentials, 'domain_info', { domain });
      return { status: 'valid', message: `The Dynadot API key works and ${domain} is in the account.` };
    } catch (error) {
      if (error instanceof RegistrarError) return { status: error.status, message: error.message };
      throw error;
    }
  }

  async delegate(
    credentials: DynadotCredentials,
    domain: string,
    target: DelegationTarget,
    nameservers: string[],
  ): Promise<void> {
    requireApex(domain, target);
    const wanted = checkedNameservers(nameservers);
    const current = nameserversOf(await this.call(credentials, 'domain_info', { domain }));
    if (sameList(current, wanted)) return;
    // set_ns and never set_dns2: set_dns2 without add_dns_to_current_setting wipes the domain's DNS records.
    await this.call(credentials, 'set_ns', { domain, ...nameserverParams(wanted) });
  }

  async readNameservers(
    credentials: DynadotCredentials,
    domain: string,
    target: DelegationTarget,
  ): Promise<string[]> {
    requireApex(domain, target);
    return nameserversOf(await this.call(credentials, 'domain_info', { domain }));
  }

  /** Queues the call behind any other of this adapter's calls, whatever their outcome. */
  private call(
    credentials: DynadotCredentials,
    command: Command,
    params: Record<string, string>,
  ): Promise<Envelope> {
    const run = () => this.callWithRetries(credentials.apiKey, command, params);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async callWithRetries(
    apiKey: string,
    command: Command,
    params: Record<string, string>,
  ): Promise<Envelope> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.send(apiKey, command, params);
      } catch (error) {
        const delay = this.retryDelaysMs[attempt];
        if (!(error instanceof TransientDynadotError) || delay === undefined) throw error;
        await sleep(delay);
      }
    }
  }

  private async send(apiKey: string, command: Command, params: Record<string, string>): Promise<Envelope> {
    const url = new URL(this.baseUrl);
    url.searchParams.set('key', apiKey);
    url.searchParams.set('command', command);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);

    // api3 is GET only, and registrarFetch keeps the URL (which carries the key) out of every message.
    const response = await registrarFetch(REGISTRAR, url.toString(), { method: 'GET' });
    const httpFailure = failureForStatus(REGISTRAR, response.status);
    if (httpFailure) throw httpFailure;

    const envelope = envelopeOf(parseJson(response.text), command);
    if (!envelope) {
      throw new RegistrarError(
        'unavailable',
        `${REGISTRAR} sent an answer Catalyst could not read. Try again shortly.`,
      );
    }
    if (succeeded(envelope)) return envelope;
    throw failureFor(redact(errorText(envelope), apiKey), params.domain ?? 'the domain');
  }
}

function requireApex(domain: string, target: DelegationTarget): void {
  if (target.kind === 'apex') return;
  throw new RegistrarError(
    'unsupported',
    `Dynadot cannot delegate ${target.label}.${domain}: its DNS API has no NS records for subdomains, only ` +
      `nameservers for a whole domain. Delegate all of ${domain} instead, choose manual setup (byo-manual) and ` +
      'create the NS records yourself, or host the DNS of the domain with a provider that supports subdomain delegation.',
  );
}

function checkedNameservers(nameservers: string[]): string[] {
  const wanted = normalizeNameservers(nameservers);
  if (wanted.length === 0) {
    throw new RegistrarError('unsupported', 'Dynadot needs at least one nameserver to delegate a domain to.');
  }
  if (wanted.length > MAX_NAMESERVERS) {
    throw new RegistrarError(
      'unsupported',
      `Dynadot accepts at most ${MAX_NAMESERVERS} nameservers for a domain; ${wanted.length} were given.`,
    );
  }
  return wanted;
}

function nameserverParams(nameservers: string[]): Record<string, string> {
  return Object.fromEntries(nameservers.map((host, index) => [`ns${index}`, host]));
}

/** domain_info lists the hosts under NameServerSettings.NameServers, padded with empty slots up to 13. */
function nameserversOf(envelope: Envelope): string[] {
  const info = isRecord(envelope.DomainInfo) ? envelope.DomainInfo : {};
  const settings = isRecord(info.NameServerSettings) ? info.NameServerSettings : {};
  const list = settings.NameServers;
  const entries: unknown[] = Array.isArray(list) ? list : [list];
  return normalizeNameservers(
    entries.map((entry) => (isRecord(entry) && typeof entry.ServerName === 'string' ? entry.ServerName : '')),
  );
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `<Command>Response`, or the bare `Response` Dynadot answers a bad key with. */
function envelopeOf(body: unknown, command: Command): Envelope | undefined {
  if (!isRecord(body)) return undefined;
  const envelope = body[RESPONSE_NAMES[command]] ?? body.Response;
  return isRecord(envelope) ? envelope : undefined;
}

/** ResponseCode arrives as 0 or "0" (and -1 or "-1") from one call to the next, so it is compared as text. */
function succeeded(envelope: Envelope): boolean {
  if (envelope.Status === 'error') return false;
  const code = envelope.ResponseCode ?? envelope.SuccessCode;
  if (typeof code === 'number' || typeof code === 'string') return String(code) === '0';
  return envelope.Status === 'success';
}

function errorText(envelope: Envelope): string {
  return typeof envelope.Error === 'string' ? envelope.Error.trim() : '';
}

/** Dynadot's own words go into messages; the key must never do so, even if Dynadot echoes it. */
function redact(text: string, apiKey: string): string {
  return apiKey ? text.split(apiKey).join('[redacted]') : text;
}

function failureFor(text: string, domain: string): RegistrarError {
  if (/invalid key|key is invalid|invalid api key/i.test(text)) {
    return new RegistrarError(
      'invalid',
      'Dynadot rejected the API key. Copy it again from Tools → API in Dynadot.',
    );
  }
  if (/could not find .* in your account|not in your account/i.test(text)) {
    return new RegistrarError(
      'not-in-account',
      `${domain} is not in the Dynadot account this API key belongs to.`,
    );
  }
  if (/needs to be registered/i.test(text)) return unregisteredNameserver(text);
  if (/too many|over (the )?limit|rate limit|exceed/i.test(text)) {
    return new RegistrarError(
      'rate-limited',
      'Dynadot is limiting API requests from this account. Try again in a minute.',
    );
  }
  if (/main server/i.test(text)) {
    return new TransientDynadotError(
      'unavailable',
      'Dynadot reports a problem with its main server. Try again in a few minutes.',
    );
  }
  const said = text ? `: “${text.slice(0, 200)}”` : ' without saying why';
  return new RegistrarError('unavailable', `Dynadot refused the request${said}.`);
}

/** set_ns only takes hosts the account knows: `'ns1.x' needs to be registered with an ip address before …`. */
function unregisteredNameserver(text: string): RegistrarError {
  const host = /'([^']+)'/.exec(text)?.[1];
  return new RegistrarError(
    'insufficient',
    `Dynadot only accepts nameserver hosts registered in your account, and ${host ?? 'one of them'} is not. ` +
      'Add each nameserver host in your Dynadot account first (Name Servers → Add Name Server, or the add_ns API ' +
      'command; hosts under your own domain must be registered with their IP address), then try again.',
  );
}
