import { isIPv4, isIPv6 } from 'node:net';
import type { DomainsConfig } from '../config/config.js';
import { zoneExists } from './domains.errors.js';
import { canonical, type PowerDnsClient, type RRset, type Zone } from './powerdns.client.js';

/** The hosts every Sovereign answers on, all pointing at its load balancer (or, multi-region, at those up). */
export const CANONICAL_HOSTS = ['@', '*', 'console', 'api', 'gitea', 'harbor'] as const;

/** A region of a Sovereign and the address of its load balancer. */
export interface RegionTarget {
  region: string;
  loadBalancerIP: string;
}

/** Record types a Sovereign's canonical names may carry: plain A (one region) or LUA (several). */
const CANONICAL_TYPES = ['A', 'LUA'] as const;

/**
 * The `account` PowerDNS keeps with every zone Catalyst creates. A customer's own domain may share
 * PowerDNS with zones Catalyst did not make; this mark is what lets Catalyst tell its zones apart
 * and change or delete only those.
 */
export const CATALYST_ZONE_ACCOUNT = 'catalyst';

/** The address record types a tenant organization's names may carry. */
const ADDRESS_TYPES = ['A', 'AAAA'] as const;

/** DS digest type 2 (SHA-256): the one every validating resolver supports. */
const SHA256_DS = /^\d+ \d+ 2 [0-9a-f]+$/i;

/**
 * Writes Sovereign DNS into PowerDNS: the authoritative zone of a Sovereign (signed, with its
 * canonical records), the delegation to it from a pool zone, and tenant organizations' names in their
 * pool zone. Every method converges: running it again changes nothing.
 */
export class ZonePublisher {
  constructor(
    private readonly pdns: PowerDnsClient,
    private readonly config: Pick<
      DomainsConfig,
      'nameservers' | 'recordTtlSeconds' | 'delegationTtlSeconds' | 'failoverPort'
    >,
  ) {}

  /** Makes sure a pool zone exists and is signed (cheap when it already is). */
  async ensurePoolZone(poolDomain: string): Promise<void> {
    const zone = await this.pdns.getZone(poolDomain, false);
    if (!zone) await this.pdns.createZone(poolDomain, this.config.nameservers, CATALYST_ZONE_ACCOUNT);
    if (!zone?.dnssec) await this.pdns.secureZone(poolDomain);
  }

  /**
   * Creates (or converges) the Sovereign's zone: Native, Catalyst's nameservers, DNSSEC with an active
   * key, and the Sovereign's records (sovereignRecords()). With `ownZoneOnly` (a customer's own domain)
   * it refuses what blockingZone() refuses: an existing zone is used only if Catalyst created it, and
   * none may sit above it. If this call created the zone and a later step fails, the zone is deleted
   * again, so no half-made zone is left. Returns whether the zone was created now.
   */
  async publishZone(
    fqdn: string,
    targets: RegionTarget[],
    options: { ownZoneOnly?: boolean } = {},
  ): Promise<{ created: boolean }> {
    let existing: Zone | undefined;
    if (options.ownZoneOnly) {
      const zones = await this.zonesAtAndAbove(fqdn);
      const blocking = blockingIn(zones);
      if (blocking) throw zoneExists(fqdn, blocking);
      existing = zones[0]?.zone;
    } else {
      existing = await this.pdns.getZone(fqdn, false);
    }
    const created = existing
      ? false
      : await this.pdns.createZone(fqdn, this.config.nameservers, CATALYST_ZONE_ACCOUNT);
    // Someone created the zone between the look and the create: it is not ours to fill.
    if (!existing && !created && options.ownZoneOnly) throw zoneExists(fqdn, fqdn);
    try {
      await this.pdns.secureZone(fqdn);
      // A re-run with other regions drops the region names it no longer has (a new zone has none).
      const stale = existing ? staleRegionNames(fqdn, await this.pdns.getZone(fqdn), targets) : [];
      await this.pdns.patchRRsets(fqdn, [
        ...sovereignRecords(fqdn, targets, this.config),
        ...stale.map((name): RRset => ({ name, type: 'A', changetype: 'DELETE' })),
      ]);
    } catch (error) {
      if (created) await this.pdns.deleteZone(fqdn).catch(() => undefined);
      throw error;
    }
    return { created };
  }

  /** Delegates `fqdn` from its pool zone: NS to Catalyst's nameservers and DS for the chain of trust. */
  async delegateFromPool(poolDomain: string, fqdn: string): Promise<void> {
    await this.ensurePoolZone(poolDomain);
    const ds = (await this.pdns.listCryptokeys(fqdn))
      .filter((key) => key.active && (key.keytype === 'csk' || key.keytype === 'ksk'))
      .flatMap((key) => key.ds ?? [])
      .filter((record) => SHA256_DS.test(record));
    const ttl = this.config.delegationTtlSeconds;
    await this.pdns.patchRRsets(poolDomain, [
      {
        name: canonical(fqdn),
        type: 'NS',
        ttl,
        changetype: 'REPLACE',
        records: this.config.nameservers.map((ns) => ({ content: canonical(ns), disabled: false })),
      },
      ds.length
        ? {
            name: canonical(fqdn),
            type: 'DS',
            ttl,
            changetype: 'REPLACE',
            records: ds.map((content) => ({ content, disabled: false })),
          }
        : { name: canonical(fqdn), type: 'DS', changetype: 'DELETE' },
    ]);
  }

  async removePoolDelegation(poolDomain: string, fqdn: string): Promise<void> {
    if (!(await this.pdns.getZone(poolDomain, false))) return;
    await this.pdns.patchRRsets(poolDomain, [
      { name: canonical(fqdn), type: 'NS', changetype: 'DELETE' },
      { name: canonical(fqdn), type: 'DS', changetype: 'DELETE' },
    ]);
  }

  /**
   * Points a tenant organization's name and every name under it (`*.`) at `address` in its pool zone:
   * A for IPv4, AAAA for IPv6. Records of the other family are dropped in the same change, so a new
   * ingress address converges whichever family it has. Nothing else in the pool zone is touched.
   */
  async publishOrgRecords(poolDomain: string, orgFqdn: string, address: string): Promise<void> {
    await this.ensurePoolZone(poolDomain);
    const type = isIPv6(address) ? 'AAAA' : 'A';
    await this.pdns.patchRRsets(
      poolDomain,
      orgNames(orgFqdn).flatMap((name) =>
        ADDRESS_TYPES.map(
          (family): RRset =>
            family === type
              ? {
                  name,
                  type,
                  ttl: this.config.recordTtlSeconds,
                  changetype: 'REPLACE',
                  records: [{ content: address, disabled: false }],
                }
              : { name, type: family, changetype: 'DELETE' },
        ),
      ),
    );
  }

  /** Removes what publishOrgRecords() wrote; a pool zone that is not there has nothing to remove. */
  async removeOrgRecords(poolDomain: string, orgFqdn: string): Promise<void> {
    if (!(await this.pdns.getZone(poolDomain, false))) return;
    await this.pdns.patchRRsets(
      poolDomain,
      orgNames(orgFqdn).flatMap((name) =>
        ADDRESS_TYPES.map((type): RRset => ({ name, type, changetype: 'DELETE' })),
      ),
    );
  }

  deleteZone(fqdn: string): Promise<boolean> {
    return this.pdns.deleteZone(fqdn);
  }

  /** Deletes the zone only if Catalyst created it; true when it did. */
  async deleteOwnZone(fqdn: string): Promise<boolean> {
    const zone = await this.pdns.getZone(fqdn, false);
    if (zone?.account !== CATALYST_ZONE_ACCOUNT) return false;
    return this.pdns.deleteZone(fqdn);
  }

  /**
   * The zone that keeps `fqdn` from being served as a customer's own domain: a zone of that very name
   * that Catalyst did not create, or any zone above it (a child zone here would take names from
   * whoever holds the parent).
   */
  async blockingZone(fqdn: string): Promise<string | undefined> {
    return blockingIn(await this.zonesAtAndAbove(fqdn));
  }

  /** The zone (if any) of `fqdn` and of each name above it, `fqdn` first, looked up at once. */
  private zonesAtAndAbove(fqdn: string): Promise<NamedZone[]> {
    const labels = fqdn.split('.');
    const names = labels.map((_, i) => labels.slice(i).join('.'));
    return Promise.all(names.map(async (name) => ({ name, zone: await this.pdns.getZone(name, false) })));
  }
}

type NamedZone = { name: string; zone: Zone | undefined };

/**
 * The Sovereign's address records. One region: every canonical name is an A record at its load
 * balancer (and no LUA record). Several: `<region>.<fqdn>` and `console.<region>.<fqdn>` are A records
 * at that region's load balancer, and every canonical name is a PowerDNS LUA record answering with
 * each load balancer whose failover port accepts a TCP connection — all of them when none does (a
 * broken health check must not empty the answer) — and no A record.
 */
export function sovereignRecords(
  fqdn: string,
  targets: RegionTarget[],
  config: Pick<DomainsConfig, 'recordTtlSeconds' | 'failoverPort'>,
): RRset[] {
  const ttl = config.recordTtlSeconds;
  const [first] = targets;
  if (!first) throw new Error(`No load balancer to publish ${fqdn} at`);
  const multi = targets.length > 1;
  const type = multi ? 'LUA' : 'A';
  const content = multi ? failoverRecord(targets, config.failoverPort) : first.loadBalancerIP;
  const shared = CANONICAL_HOSTS.flatMap((host) =>
    CANONICAL_TYPES.map(
      (family): RRset =>
        family === type
          ? {
              name: hostName(host, fqdn),
              type,
              ttl,
              changetype: 'REPLACE',
              records: [{ content, disabled: false }],
            }
          : { name: hostName(host, fqdn), type: family, changetype: 'DELETE' },
    ),
  );
  if (!multi) return shared;
  const regional = targets.flatMap(({ region, loadBalancerIP }) =>
    regionNames(fqdn, region).map(
      (name): RRset => ({
        name,
        type: 'A',
        ttl,
        changetype: 'REPLACE',
        records: [{ content: loadBalancerIP, disabled: false }],
      }),
    ),
  );
  return [...shared, ...regional];
}

/**
 * `A "ifportup(<port>, {'<lb1>', '<lb2>'}, {selector='all', backupSelector='all'})"`: PowerDNS
 * answers with every address whose port is open, and with all of them when none is. The addresses are
 * checked IPv4 literals (no quote can reach the Lua snippet).
 */
export function failoverRecord(targets: RegionTarget[], port: number): string {
  const addresses = targets.map(({ loadBalancerIP }) => {
    if (!isIPv4(loadBalancerIP)) throw new Error(`${loadBalancerIP} is not an IPv4 address`);
    return `'${loadBalancerIP}'`;
  });
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${port} is not a TCP port`);
  return `A "ifportup(${port}, {${addresses.join(', ')}}, {selector='all', backupSelector='all'})"`;
}

function hostName(host: (typeof CANONICAL_HOSTS)[number], fqdn: string): string {
  return canonical(host === '@' ? fqdn : `${host}.${fqdn}`);
}

/** The names that reach one region directly: `<region>.<fqdn>` and `console.<region>.<fqdn>`. */
function regionNames(fqdn: string, region: string): string[] {
  return [canonical(`${region}.${fqdn}`), canonical(`console.${region}.${fqdn}`)];
}

/**
 * Region names an earlier publish wrote for a region that is not among `targets` now (or for every
 * region, when there is one target): a region's pair is recognised by its `console.<label>.<fqdn>` A
 * record, so no other record in the zone is touched.
 */
function staleRegionNames(fqdn: string, zone: Zone | undefined, targets: RegionTarget[]): string[] {
  const keep = new Set(targets.length > 1 ? targets.map((t) => t.region.toLowerCase()) : []);
  const suffix = `.${canonical(fqdn)}`;
  const names = new Set((zone?.rrsets ?? []).filter((r) => r.type === 'A').map((r) => r.name));
  return [...names].flatMap((name) => {
    if (!name.startsWith('console.') || !name.endsWith(suffix)) return [];
    const label = name.slice('console.'.length, -suffix.length);
    if (!label || label.includes('.') || keep.has(label)) return [];
    return regionNames(fqdn, label).filter((n) => names.has(n));
  });
}

/** The names a tenant organization answers on: its own and, by wildcard, any name under it. */
function orgNames(orgFqdn: string): string[] {
  return [canonical(orgFqdn), canonical(`*.${orgFqdn}`)];
}

/** The first of zonesAtAndAbove() that blocks its first name: itself if Catalyst did not make it, any above. */
function blockingIn(zones: NamedZone[]): string | undefined {
  return zones.find(({ zone }, i) => zone && (i > 0 || zone.account !== CATALYST_ZONE_ACCOUNT))?.name;
}
