import { isIPv4 } from 'node:net';
import {
  type Allocation,
  type DomainMode,
  isDomainName,
  isSubdomainLabel,
  type Reservation,
  type SubdomainCheckResponse,
} from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppError } from '../common/app-error.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config, type DomainsConfig } from '../config/config.js';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { type AllocationRow, AllocationsRepository } from './allocations.repository.js';
import { DelegationChecker, type DelegationStatus } from './delegation-checker.js';
import {
  allocationNotFound,
  dnsFailure,
  dnsNotConfigured,
  domainNotAllowed,
  reservationExpired,
  reservationNotFound,
  zoneExists,
} from './domains.errors.js';
import { PowerDnsClient } from './powerdns.client.js';
import { RegistrarsService } from './registrars/registrars.service.js';
import { CANONICAL_HOSTS, type RegionTarget, ZonePublisher } from './zone-publisher.js';

type Unavailable = {
  available: false;
  reason: NonNullable<SubdomainCheckResponse['reason']>;
  message: string;
};

/** What a byo-api commit needs to write the delegation at the customer's registrar. */
export interface RegistrarAccess {
  registrar: string;
  credentials: unknown;
}

/** A tenant organization's name (`<slug>.<pool>`) and the tenant pool it is under. */
export interface TenantOrgName {
  fqdn: string;
  poolDomain: string;
}

/** Tenant organizations' DNS was left alone: this Catalyst is not set up to write it (the caller logs why). */
export interface TenantOrgDnsSkipped {
  published: false;
  reason: string;
}

/**
 * Names for Sovereigns: checks and reservations in pool domains, the authoritative zone in PowerDNS,
 * and the delegation to it — from the pool zone, through the customer's registrar, or (manual) by
 * the customer, watched until it is visible.
 */
@Injectable()
export class DomainsService {
  private readonly config: DomainsConfig;
  /** Where tenant organizations' names point (CATALYST_INGRESS_IP); unset → they are not written. */
  private readonly ingressIp?: string;
  readonly publisher?: ZonePublisher;
  readonly delegation: DelegationChecker;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly allocations: AllocationsRepository,
    private readonly registrars: RegistrarsService,
  ) {
    this.config = config.domains;
    this.ingressIp = config.apps.ingressIp;
    if (this.config.powerDns)
      this.publisher = new ZonePublisher(new PowerDnsClient(this.config.powerDns), this.config);
    this.delegation = new DelegationChecker(this.config.nameservers, this.config.resolver);
  }

  async check(poolDomain: string, subdomain: string): Promise<SubdomainCheckResponse> {
    const problem = this.poolNameProblem(poolDomain, subdomain);
    if (problem) return problem;
    const fqdn = `${subdomain}.${poolDomain}`;
    if (await this.allocations.findLive(fqdn)) {
      return { available: false, reason: 'taken', message: `${fqdn} is already taken` };
    }
    return { available: true, fqdn };
  }

  /**
   * `ttlSeconds` defaults to the configured reservation TTL; a deployment holds its name longer.
   * Given a transaction, the reservation is part of it.
   */
  async reservePool(
    poolDomain: string,
    subdomain: string,
    userId?: string,
    ttlSeconds?: number,
    ex?: Executor,
  ): Promise<Reservation> {
    const problem = this.poolNameProblem(poolDomain, subdomain);
    if (problem) throw new AppError(422, problem.reason, problem.message);
    return this.reserve(
      { fqdn: `${subdomain}.${poolDomain}`, mode: 'pool', poolDomain, subdomain, createdBy: userId ?? null },
      ttlSeconds,
      ex,
    );
  }

  /**
   * Claims a customer's own name for a Sovereign, so two deployments cannot use it at once. Refused
   * (422) when the name overlaps the pools or nameservers, or when a zone Catalyst did not create
   * already serves it here: publishing would overwrite that zone and a release would delete it.
   */
  async reserveOwn(
    fqdn: string,
    mode: Exclude<DomainMode, 'pool'>,
    userId?: string,
    ttlSeconds?: number,
    ex?: Executor,
  ): Promise<Reservation> {
    if (!isDomainName(fqdn)) throw new AppError(422, 'invalid-format', `${fqdn} is not a valid domain name`);
    const overlap = this.ownDomainOverlap(fqdn);
    if (overlap) throw domainNotAllowed(fqdn, overlap);
    const blocking = await this.publisher?.blockingZone(fqdn).catch((error: unknown) => {
      throw dnsFailure(error);
    });
    if (blocking) throw zoneExists(fqdn, blocking);
    return this.reserve(
      { fqdn, mode, poolDomain: null, subdomain: null, createdBy: userId ?? null },
      ttlSeconds,
      ex,
    );
  }

  /**
   * Holds a tenant organization's name (`<slug>.<tenant pool>`) for good, in the caller's
   * transaction, so no Sovereign and no other organization can take it. False when it is held.
   */
  async claimTenantName(ex: Executor, poolDomain: string, slug: string, userId: string): Promise<boolean> {
    const claimed = await this.allocations.claim(
      { fqdn: `${slug}.${poolDomain}`, mode: 'pool', poolDomain, subdomain: slug, createdBy: userId },
      ex,
    );
    return claimed !== undefined;
  }

  /** Frees a tenant organization's name when the organization goes, in the caller's transaction. */
  async releaseTenantName(ex: Executor, fqdn: string): Promise<void> {
    const row = await this.allocations.lockByFqdn(ex, fqdn);
    if (row) await this.allocations.delete(ex, row.id);
  }

  /**
   * Points a tenant organization's name and `*.<name>` at the Sovereign's ingress, in its pool's zone.
   * Converges, so an at-least-once consumer may call it again. Without PowerDNS, an ingress address or
   * the pool among the tenant pools it writes nothing and says why.
   */
  async publishTenantOrg(
    org: TenantOrgName,
  ): Promise<{ published: true; fqdn: string; address: string } | TenantOrgDnsSkipped> {
    const fqdn = tenantOrgFqdn(org);
    const target = this.tenantOrgDns(org.poolDomain);
    if ('reason' in target) return target;
    try {
      await target.publisher.publishOrgRecords(org.poolDomain, fqdn, target.address);
    } catch (error) {
      throw dnsFailure(error);
    }
    this.logger.info({ fqdn, address: target.address }, 'tenant organization published in DNS');
    return { published: true, fqdn, address: target.address };
  }

  /** Removes what publishTenantOrg() wrote; names already gone are fine. Skips as publishTenantOrg() does. */
  async withdrawTenantOrg(
    org: TenantOrgName,
  ): Promise<{ withdrawn: true; fqdn: string } | TenantOrgDnsSkipped> {
    const fqdn = tenantOrgFqdn(org);
    const target = this.tenantOrgDns(org.poolDomain);
    if ('reason' in target) return target;
    try {
      await target.publisher.removeOrgRecords(org.poolDomain, fqdn);
    } catch (error) {
      throw dnsFailure(error);
    }
    this.logger.info({ fqdn }, 'tenant organization withdrawn from DNS');
    return { withdrawn: true, fqdn };
  }

  /** Whether a label is kept for the control plane (it may not name a Sovereign or an organization). */
  isReservedLabel(label: string): boolean {
    return this.config.reservedSubdomains.includes(label);
  }

  /** The reservation or allocation that holds a name now, if any. */
  findLive(fqdn: string, ex?: Executor): Promise<AllocationRow | undefined> {
    return this.allocations.findLive(fqdn, ex);
  }

  /**
   * Publishes a reserved name: zone, records and delegation, then marks it active. The row stays
   * locked throughout, so commits and releases of one name never interleave. On failure what this
   * call created is removed and the reservation stays, ready for a re-run.
   *
   * `targets` are the Sovereign's regions in request order, each with its load balancer. One: the
   * canonical names are A records at it (the region names no record). Several: each region gets
   * `<region>.<fqdn>` and `console.<region>.<fqdn>`, and the canonical names fail over between the
   * load balancers (see ZonePublisher). The allocation keeps the first (primary) region's address.
   */
  async commit(id: string, targets: RegionTarget[], access?: RegistrarAccess): Promise<Allocation> {
    const publisher = this.requirePublisher();
    assertTargets(targets);
    const loadBalancerIp = targets[0]?.loadBalancerIP ?? '';
    return this.database.db.transaction(async (tx) => {
      const row = await this.allocations.lockById(tx, id);
      if (!row) throw reservationNotFound();
      if (row.state === 'reserved' && row.expired) throw reservationExpired();
      if (row.mode === 'byo-api' && !access) {
        throw new AppError(
          422,
          'registrar_credentials_required',
          `Delegating ${row.fqdn} needs the registrar's credentials`,
        );
      }
      let created = false;
      try {
        // A customer's own domain: refused if a zone Catalyst did not create sits at or above the name.
        ({ created } = await publisher.publishZone(row.fqdn, targets, {
          ownZoneOnly: row.mode !== 'pool',
        }));
        await this.delegate(publisher, row, access);
      } catch (error) {
        if (created) await this.rollback(publisher, row);
        throw dnsFailure(error);
      }
      const active = await this.allocations.activate(tx, row.id, loadBalancerIp);
      this.logger.info(
        { fqdn: row.fqdn, mode: row.mode, loadBalancerIp, regions: targets.map((t) => t.region) },
        'domain committed',
      );
      return toAllocation(active);
    });
  }

  /** Removes the delegation (where Catalyst wrote it), the zone and the row, freeing the name. */
  async release(fqdn: string): Promise<void> {
    await this.database.db.transaction(async (tx) => {
      const row = await this.allocations.lockByFqdn(tx, fqdn);
      if (!row) throw allocationNotFound(fqdn);
      if (this.publisher) {
        try {
          await this.undo(this.publisher, row);
        } catch (error) {
          throw dnsFailure(error);
        }
      } else if (row.state === 'active') {
        throw dnsNotConfigured();
      }
      await this.allocations.delete(tx, row.id);
      this.logger.info({ fqdn, mode: row.mode }, 'domain released');
    });
  }

  async list(poolDomain?: string): Promise<Allocation[]> {
    return (await this.allocations.list(poolDomain)).map(toAllocation);
  }

  checkDelegation(fqdn: string): Promise<DelegationStatus> {
    return this.delegation.check(fqdn);
  }

  /** Frees names whose reservation ran out (their DNS was never written, or was rolled back). */
  async sweepExpired(): Promise<string[]> {
    const freed = await this.allocations.deleteExpired();
    if (freed.length) this.logger.info({ freed }, 'expired reservations freed');
    return freed;
  }

  /** Creates and signs every pool zone that is missing (idempotent). */
  async ensurePoolZones(): Promise<void> {
    const publisher = this.requirePublisher();
    for (const pool of [...new Set([...this.config.poolDomains, ...this.config.tenantPoolDomains])]) {
      await publisher.ensurePoolZone(pool);
    }
  }

  private async reserve(
    row: Parameters<AllocationsRepository['reserve']>[0],
    ttlSeconds?: number,
    ex?: Executor,
  ): Promise<Reservation> {
    const reserved = await this.allocations.reserve(row, ttlSeconds ?? this.config.reservationTtlSeconds, ex);
    if (!reserved?.expiresAt) throw new AppError(409, 'taken', `${row.fqdn} is already taken`);
    return { reservationId: reserved.id, fqdn: reserved.fqdn, expiresAt: reserved.expiresAt.toISOString() };
  }

  private async delegate(
    publisher: ZonePublisher,
    row: AllocationRow,
    access?: RegistrarAccess,
  ): Promise<void> {
    if (row.mode === 'pool' && row.poolDomain) await publisher.delegateFromPool(row.poolDomain, row.fqdn);
    if (row.mode === 'byo-api' && access) {
      await this.registrars.delegate(access.registrar, row.fqdn, access.credentials, this.config.nameservers);
    }
    // byo-manual: the customer delegates; the run watches for it with `delegation.waitFor`.
  }

  /** Names under the pools are Catalyst's own; a customer's domain loses only a zone Catalyst created. */
  private async undo(publisher: ZonePublisher, row: AllocationRow): Promise<void> {
    if (row.mode === 'pool') {
      if (row.poolDomain) await publisher.removePoolDelegation(row.poolDomain, row.fqdn);
      await publisher.deleteZone(row.fqdn);
    } else if (!(await publisher.deleteOwnZone(row.fqdn))) {
      this.logger.warn({ fqdn: row.fqdn }, 'release: no zone Catalyst created for this name; left as it is');
    }
  }

  /**
   * Why a customer's own domain would step on names Catalyst serves: a pool or tenant pool (the name,
   * a name under it or above it) or the domain of Catalyst's nameservers.
   */
  private ownDomainOverlap(fqdn: string): string | undefined {
    const within = (name: string, domain: string) => name === domain || name.endsWith(`.${domain}`);
    const pool = [...this.config.poolDomains, ...this.config.tenantPoolDomains].find(
      (domain) => within(fqdn, domain) || within(domain, fqdn),
    );
    if (pool) return `it overlaps the pool domain ${pool}; choose a pool name instead`;
    const nameserver = this.config.nameservers.find((ns) => within(ns, fqdn));
    if (nameserver) return `it contains Catalyst's nameserver ${nameserver}`;
    return undefined;
  }

  /** Best effort, step by step: a failing step must not keep the next one from cleaning up. */
  private async rollback(publisher: ZonePublisher, row: AllocationRow): Promise<void> {
    const steps: [string, () => Promise<unknown>][] = [
      [
        'remove the pool delegation',
        async () => row.poolDomain && publisher.removePoolDelegation(row.poolDomain, row.fqdn),
      ],
      ['delete the zone', () => publisher.deleteZone(row.fqdn)],
    ];
    for (const [what, step] of steps) {
      await step().catch((err) =>
        this.logger.error({ err, fqdn: row.fqdn }, `commit rollback: could not ${what}`),
      );
    }
  }

  /** Where tenant organizations' names are written, or why they are not. */
  private tenantOrgDns(
    poolDomain: string,
  ): { publisher: ZonePublisher; address: string } | TenantOrgDnsSkipped {
    if (!this.publisher) return { published: false, reason: 'PowerDNS is not configured (PDNS_API_URL)' };
    if (!this.ingressIp) {
      return { published: false, reason: 'the ingress address is not configured (CATALYST_INGRESS_IP)' };
    }
    // Only Catalyst's own tenant pools: never a record in a zone someone else keeps in this PowerDNS.
    if (!this.config.tenantPoolDomains.includes(poolDomain)) {
      return { published: false, reason: `${poolDomain} is not a tenant pool domain here` };
    }
    return { publisher: this.publisher, address: this.ingressIp };
  }

  private requirePublisher(): ZonePublisher {
    if (!this.publisher) throw dnsNotConfigured();
    return this.publisher;
  }

  private poolNameProblem(poolDomain: string, subdomain: string): Unavailable | undefined {
    if (!isSubdomainLabel(subdomain) || `${subdomain}.${poolDomain}`.length > 253) {
      return {
        available: false,
        reason: 'invalid-format',
        message:
          'Use 1–63 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen',
      };
    }
    if (!this.config.poolDomains.includes(poolDomain)) {
      return {
        available: false,
        reason: 'unsupported-pool',
        message: `${poolDomain} is not a pool domain here; choose one of ${this.config.poolDomains.join(', ')}`,
      };
    }
    if (this.config.reservedSubdomains.includes(subdomain)) {
      return {
        available: false,
        reason: 'reserved',
        message: `${subdomain} is reserved for the control plane`,
      };
    }
    return undefined;
  }
}

/**
 * What commit() can publish: at least one target, IPv4 load balancers (A records) and, with several,
 * regions that are distinct DNS labels other than the canonical hosts (`<region>.<fqdn>` is a name).
 */
function assertTargets(targets: RegionTarget[]): void {
  const invalid = (message: string) => new AppError(422, 'invalid_regions', message);
  if (targets.length === 0) throw invalid('A Sovereign needs at least one load balancer to publish');
  for (const { loadBalancerIP } of targets) {
    if (!isIPv4(loadBalancerIP)) throw invalid(`${loadBalancerIP} is not an IPv4 address`);
  }
  if (targets.length === 1) return;
  const seen = new Set<string>();
  for (const { region } of targets) {
    const label = region.toLowerCase();
    if (!isSubdomainLabel(label) || (CANONICAL_HOSTS as readonly string[]).includes(label)) {
      throw invalid(`${region} cannot name a region in DNS`);
    }
    if (seen.has(label)) throw invalid(`Region ${region} is listed twice`);
    seen.add(label);
  }
}

/** The organization's name, checked to be one label directly under its pool. */
function tenantOrgFqdn({ fqdn, poolDomain }: TenantOrgName): string {
  const name = fqdn.toLowerCase();
  const suffix = `.${poolDomain.toLowerCase()}`;
  if (!name.endsWith(suffix) || !isSubdomainLabel(name.slice(0, -suffix.length))) {
    throw new AppError(422, 'invalid-format', `${fqdn} is not an organization's name under ${poolDomain}`);
  }
  return name;
}

export function toAllocation(row: AllocationRow): Allocation {
  return {
    fqdn: row.fqdn,
    mode: row.mode,
    ...(row.poolDomain ? { poolDomain: row.poolDomain } : {}),
    ...(row.subdomain ? { subdomain: row.subdomain } : {}),
    state: row.state,
    ...(row.loadBalancerIp ? { loadBalancerIP: row.loadBalancerIp } : {}),
    ...(row.expiresAt ? { expiresAt: row.expiresAt.toISOString() } : {}),
    createdAt: row.createdAt.toISOString(),
    ...(row.committedAt ? { committedAt: row.committedAt.toISOString() } : {}),
  };
}
