import type { RegistrarId, RegistrarInfo, RegistrarValidateResponse } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { ValidationError } from '../../common/app-error.js';
import { toFieldIssues } from '../../common/zod-issues.js';
import { CONFIG, type Config } from '../../config/config.js';
import { registrarNotFound } from '../domains.errors.js';
import { normalizeNameservers, type RegistrarAdapter, RegistrarError } from './registrar.js';
import { createRegistrarAdapters } from './registry.js';

/** The registered domain in the customer's account that holds a name, and the label below it. */
export interface RegistrarZone {
  zone: string;
  label?: string;
}

@Injectable()
export class RegistrarsService {
  private readonly adapters: Map<RegistrarId, RegistrarAdapter>;

  constructor(@Inject(CONFIG) config: Config) {
    this.adapters = createRegistrarAdapters(config.domains.registrarUrls);
  }

  list(): RegistrarInfo[] {
    return [...this.adapters.values()].map((adapter) => ({
      id: adapter.id,
      name: adapter.name,
      credentialFields: adapter.credentialFields,
      subdomainDelegation: adapter.subdomainDelegation,
      apexDelegation: adapter.apexDelegation,
      propagationHint: adapter.propagationHint,
    }));
  }

  /**
   * Read-only check of credentials for a name. The name may sit below the registered domain
   * (cloud.bank.com in bank.com): each enclosing domain is tried, longest first, until the
   * registrar recognises one or rejects the credentials.
   */
  async validate(id: string, fqdn: string, rawCredentials: unknown): Promise<RegistrarValidateResponse> {
    const { adapter, credentials } = this.prepare(id, rawCredentials);
    for (const zone of enclosingDomains(fqdn)) {
      const result = await adapter.validate(credentials, zone);
      if (result.status !== 'not-in-account') {
        const label = zone === fqdn ? undefined : fqdn.slice(0, -(zone.length + 1));
        if (result.status === 'valid' && !(label ? adapter.subdomainDelegation : adapter.apexDelegation)) {
          return {
            status: 'unsupported',
            message: label
              ? `${adapter.name} cannot delegate a subdomain such as ${fqdn}; use the whole domain or manual delegation`
              : `${adapter.name} cannot change the nameservers of ${zone} through its API; use manual delegation`,
            zone,
            label,
          };
        }
        return { ...result, zone, label };
      }
    }
    return {
      status: 'not-in-account',
      message: `No domain enclosing ${fqdn} is in this ${adapter.name} account`,
    };
  }

  /** Points `fqdn` at `nameservers` through the registrar and confirms it by reading it back. */
  async delegate(id: string, fqdn: string, rawCredentials: unknown, nameservers: string[]): Promise<void> {
    const { adapter, credentials } = this.prepare(id, rawCredentials);
    const located = await this.validate(id, fqdn, rawCredentials);
    if (located.status !== 'valid' || !located.zone) {
      throw new RegistrarError(
        located.status === 'valid' ? 'not-in-account' : located.status,
        located.message,
      );
    }
    const target = located.label
      ? { kind: 'label' as const, label: located.label }
      : { kind: 'apex' as const };
    await adapter.delegate(credentials, located.zone, target, nameservers);
    const readBack = await adapter.readNameservers(credentials, located.zone, target);
    const wanted = normalizeNameservers(nameservers);
    if (readBack.join(',') !== wanted.join(',')) {
      throw new RegistrarError(
        'unavailable',
        `${adapter.name} accepted the change but reports ${readBack.join(', ') || 'no nameservers'} instead of ${wanted.join(', ')}`,
      );
    }
  }

  /** Checks credentials against the registrar's own schema; issues are reported under `pathPrefix`. */
  parseCredentials(id: string, rawCredentials: unknown, pathPrefix = 'credentials'): Record<string, string> {
    return this.prepare(id, rawCredentials, pathPrefix).credentials;
  }

  private prepare(
    id: string,
    rawCredentials: unknown,
    pathPrefix = 'credentials',
  ): { adapter: RegistrarAdapter; credentials: Record<string, string> } {
    const adapter = this.adapters.get(id as RegistrarId);
    if (!adapter) throw registrarNotFound(id);
    const parsed = adapter.credentialsSchema.safeParse(rawCredentials);
    if (!parsed.success) {
      throw new ValidationError(
        toFieldIssues(parsed.error, pathPrefix),
        `These are not ${adapter.name} credentials`,
      );
    }
    return { adapter, credentials: parsed.data };
  }
}

/** `cloud.bank.co.uk` → `cloud.bank.co.uk`, `bank.co.uk`, `co.uk`: every enclosing name of two labels or more. */
export function enclosingDomains(fqdn: string): string[] {
  const labels = fqdn.split('.');
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
}
