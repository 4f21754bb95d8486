import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { getServers } from 'node:dns';
import { setTimeout as sleep } from 'node:timers/promises';
import dnsPacket from 'dns-packet';

export interface DelegationStatus {
  fqdn: string;
  /** Catalyst's nameservers: where the name must point. */
  expected: string[];
  /** What the resolver sees now (lower-case, no trailing dot). */
  found: string[];
  delegated: boolean;
  /** Why the resolver could not be asked or read (absent when it answered). */
  error?: string;
}

const QUERY_TIMEOUT_MS = 3_000;

/**
 * Checks whether a customer's name is delegated to Catalyst's nameservers, as the world sees it:
 * an NS query to a resolver, reading both the answer (recursive resolvers) and the authority
 * section (a parent's referral, which Node's own resolver reports as "no data").
 */
export class DelegationChecker {
  private readonly host: string;
  private readonly port: number;

  constructor(
    private readonly nameservers: string[],
    resolver?: string,
  ) {
    const [host, port] = parseResolver(resolver ?? getServers()[0] ?? '127.0.0.1');
    this.host = host;
    this.port = port;
  }

  async check(fqdn: string): Promise<DelegationStatus> {
    const expected = [...this.nameservers].sort();
    try {
      const found = await this.lookupNs(fqdn);
      const delegated = found.length > 0 && found.every((ns) => expected.includes(ns));
      return { fqdn, expected, found, delegated };
    } catch (error) {
      return { fqdn, expected, found: [], delegated: false, error: (error as Error).message };
    }
  }

  /**
   * Polls until the name is delegated, reporting each check; rejects when `timeoutSeconds` pass or
   * the signal aborts.
   */
  async waitFor(
    fqdn: string,
    options: {
      timeoutSeconds: number;
      pollSeconds: number;
      signal?: AbortSignal;
      onProgress?: (s: DelegationStatus) => void;
    },
  ): Promise<DelegationStatus> {
    const deadline = Date.now() + options.timeoutSeconds * 1000;
    for (;;) {
      options.signal?.throwIfAborted();
      const status = await this.check(fqdn);
      options.onProgress?.(status);
      if (status.delegated) return status;
      if (Date.now() + options.pollSeconds * 1000 > deadline) {
        throw new Error(
          `${fqdn} is not delegated to ${status.expected.join(', ')} after ${options.timeoutSeconds} s ` +
            `(${status.error ?? `the resolver sees ${status.found.length ? status.found.join(', ') : 'no NS records'}`})`,
        );
      }
      await sleep(options.pollSeconds * 1000, undefined, { signal: options.signal });
    }
  }

  private lookupNs(fqdn: string): Promise<string[]> {
    const name = fqdn.toLowerCase().replace(/\.$/, '');
    const id = randomInt(0, 65_536);
    const query = dnsPacket.encode({
      type: 'query',
      id,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type: 'NS', name }],
    });
    return new Promise((resolve, reject) => {
      const socket = createSocket(this.host.includes(':') ? 'udp6' : 'udp4');
      // A datagram that cannot be read is skipped, not fatal: the real answer may still arrive. If
      // none does, the timeout says what was received instead.
      let malformed = 0;
      const finish = (error: Error | undefined, found: string[] = []) => {
        clearTimeout(timer);
        socket.close();
        if (error) reject(error);
        else resolve(found);
      };
      const timer = setTimeout(
        () =>
          finish(
            new Error(
              malformed > 0
                ? `The resolver answered with ${malformed} malformed DNS message(s) and no valid answer`
                : 'DNS query timed out',
            ),
          ),
        QUERY_TIMEOUT_MS,
      );
      socket.on('error', (error) => finish(error));
      socket.on('message', (message) => {
        let response: ReturnType<typeof dnsPacket.decode>;
        try {
          response = dnsPacket.decode(message);
        } catch {
          malformed++;
          return;
        }
        if (response.id !== id) return;
        finish(undefined, nsNames(response, name));
      });
      socket.send(query, this.port, this.host);
    });
  }
}

/** The NS targets for `name` in a decoded answer, from both the answer and the authority section. */
function nsNames(response: ReturnType<typeof dnsPacket.decode>, name: string): string[] {
  const records = [...(response.answers ?? []), ...(response.authorities ?? [])];
  return [
    ...new Set(
      records
        .filter((r) => r.type === 'NS' && String(r.name).toLowerCase().replace(/\.$/, '') === name)
        .map((r) =>
          String((r as { data: unknown }).data)
            .toLowerCase()
            .replace(/\.$/, ''),
        ),
    ),
  ].sort();
}

function parseResolver(value: string): [string, number] {
  const bracketed = /^\[(.+)\](?::(\d+))?$/.exec(value);
  if (bracketed) return [bracketed[1] as string, Number(bracketed[2] ?? 53)];
  const parts = value.split(':');
  if (parts.length === 2) return [parts[0] as string, Number(parts[1])];
  return [value, 53];
}
