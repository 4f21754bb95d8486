import { isIPv6 } from 'node:net';
import type { DomainsConfig } from '../config/config.js';
import { zoneExists } from './domains.errors.js';
import { canonical, type PowerDnsClient, type RRset, type Zone } from './powerdns.client.js';

/** The hosts every Sovereign answers on, all pointing at its load balancer. */
export const CANONICAL_HOSTS = ['@', '*', 'console', 'api', 'gitea', 'harbor'] as const;

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
    private readonly config: Pick<DomainsConfig, 'nameservers' | 'recordTtlSeconds' | 'delegationTtlSeconds'>,
  ) {}

  /** Makes sure a pool zone exists and is signed (cheap when it already is). */
  async ensurePoolZone(poolDomain: string): Promise<void> {
    const zone = await this.pdns.getZone(poolDomain, false);
    if (!zone) await this.pdns.createZone(poolDomain, this.config.nameservers, CATALYST_ZONE_ACCOUNT);
    if (!zone?.dnssec) await this.pdns.secureZone(poolDomain);
  }

  /**
   * Creates (or converges) the Sovereign's zone: Native, Catalyst's nameservers, DNSSEC with an active
   * key, and the canonical A records. With `ownZoneOnly` (a customer's own domain) it refuses what
   * blockingZone() refuses: an existing zone is used only if Catalyst created it, and none may sit
   * above it. If this call created the zone and a later step fails, the zone is deleted again, so no
   * half-made zone is left. Returns whether the zone was created now.
   */
  async publishZone(
    fqdn: string,
    loadBalancerIp: string,
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
      await this.pdns.patchRRsets(
        fqdn,
        CANONICAL_HOSTS.map((host) => ({
          name: canonical(host === '@' ? fqdn : `${host}.${fqdn}`),
          type: 'A',
          ttl: this.config.recordTtlSeconds,
          changetype: 'REPLACE' as const,
          records: [{ content: loadBalancerIp, disabled: false }],
        })),
      );
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

/** The names a tenant organization answers on: its own and, by wildcard, any name under it. */
function orgNames(orgFqdn: string): string[] {
  return [canonical(orgFqdn), canonical(`*.${orgFqdn}`)];
}

/** The first of zonesAtAndAbove() that blocks its first name: itself if Catalyst did not make it, any above. */
function blockingIn(zones: NamedZone[]): string | undefined {
  return zones.find(({ zone }, i) => zone && (i > 0 || zone.account !== CATALYST_ZONE_ACCOUNT))?.name;
}
