/** Canonical DNS name: lower-case with the trailing dot PowerDNS insists on. */
export function canonical(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

export interface RRset {
  name: string;
  type: string;
  ttl?: number;
  changetype: 'REPLACE' | 'DELETE';
  records?: { content: string; disabled: boolean }[];
}

export interface Zone {
  id: string;
  name: string;
  kind: string;
  dnssec: boolean;
  /** Free text PowerDNS keeps with the zone; Catalyst marks the zones it creates here. */
  account?: string;
  soa_edit?: string;
  soa_edit_api?: string;
  rrsets?: { name: string; type: string; ttl: number; records: { content: string; disabled: boolean }[] }[];
}

export interface Cryptokey {
  id: number;
  keytype: 'ksk' | 'zsk' | 'csk';
  active: boolean;
  ds?: string[];
}

/** PowerDNS answered with an error, or could not be reached (status 0). */
export class PowerDnsError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'PowerDnsError';
  }
}

const RETRY_DELAYS_MS = [250, 1_000];
const TIMEOUT_MS = 15_000;

/**
 * The PowerDNS Authoritative HTTP API (v1). Network failures and 5xx are retried twice; every other
 * answer is final. The API key travels only in the X-API-Key header and never in a message.
 */
export class PowerDnsClient {
  private readonly base: string;

  constructor(private readonly options: { url: string; apiKey: string; serverId: string }) {
    this.base = `${options.url}/api/v1/servers/${encodeURIComponent(options.serverId)}`;
  }

  async getZone(name: string, withRecords = true): Promise<Zone | undefined> {
    const res = await this.request(
      'GET',
      `/zones/${canonical(name)}${withRecords ? '' : '?rrsets=false'}`,
      undefined,
      [200, 404],
    );
    return res.status === 404 ? undefined : (res.body as Zone);
  }

  /** Creates a Native zone served by `nameservers`; false when it already existed (409). */
  async createZone(name: string, nameservers: string[], account?: string): Promise<boolean> {
    const res = await this.request(
      'POST',
      '/zones?rrsets=false',
      {
        name: canonical(name),
        kind: 'Native',
        nameservers: nameservers.map(canonical),
        soa_edit_api: 'DEFAULT',
        api_rectify: true,
        ...(account === undefined ? {} : { account }),
      },
      [201, 409],
    );
    return res.status === 201;
  }

  /**
   * Signs the zone and makes sure it has an active signing key. DNSSEC is switched on after the zone
   * exists (never in the create call): a failed signed create leaves a half-created zone behind.
   */
  async secureZone(name: string): Promise<void> {
    // INCEPTION-EPOCH keeps the SOA serial moving with signature inceptions, so secondaries and
    // validators never see a re-signed zone under an old serial.
    await this.request(
      'PUT',
      `/zones/${canonical(name)}`,
      { dnssec: true, api_rectify: true, soa_edit: 'INCEPTION-EPOCH', soa_edit_api: 'DEFAULT' },
      [204],
    );
    const keys = await this.listCryptokeys(name);
    if (!keys.some((key) => key.active && (key.keytype === 'csk' || key.keytype === 'ksk'))) {
      await this.request(
        'POST',
        `/zones/${canonical(name)}/cryptokeys`,
        { keytype: 'csk', active: true, algorithm: 'ECDSAP256SHA256' },
        [201],
        // The answer holds the private key: it is read for its status only, never kept.
      );
    }
  }

  async listCryptokeys(name: string): Promise<Cryptokey[]> {
    const res = await this.request('GET', `/zones/${canonical(name)}/cryptokeys`, undefined, [200]);
    return res.body as Cryptokey[];
  }

  /** Deletes the zone; true when it existed. */
  async deleteZone(name: string): Promise<boolean> {
    const res = await this.request('DELETE', `/zones/${canonical(name)}`, undefined, [204, 404]);
    return res.status === 204;
  }

  async patchRRsets(zone: string, rrsets: RRset[]): Promise<void> {
    if (rrsets.length === 0) return;
    await this.request('PATCH', `/zones/${canonical(zone)}`, { rrsets }, [204]);
  }

  private async request(
    method: string,
    path: string,
    body: unknown,
    expected: number[],
  ): Promise<{ status: number; body: unknown }> {
    let lastError: PowerDnsError | undefined;
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt - 1]));
      let response: Response;
      try {
        response = await fetch(`${this.base}${path}`, {
          method,
          headers: {
            'x-api-key': this.options.apiKey,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch {
        lastError = new PowerDnsError(0, 'PowerDNS could not be reached');
        continue;
      }
      const text = await response.text();
      if (expected.includes(response.status)) {
        return { status: response.status, body: text ? safeJson(text) : undefined };
      }
      const detail = (safeJson(text) as { error?: string } | undefined)?.error ?? text.slice(0, 200);
      lastError = new PowerDnsError(
        response.status,
        `PowerDNS ${method} ${path.split('?')[0]}: ${response.status} ${detail}`,
      );
      if (response.status < 500) throw lastError;
    }
    throw lastError ?? new PowerDnsError(0, 'PowerDNS could not be reached');
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
