import type { CredentialField, RegistrarId, RegistrarStatus } from '@catalyst/contracts';
import type { z } from 'zod';

/** Where the nameservers go: the whole registered domain, or one label below it (`acme` of acme.bank.com). */
export type DelegationTarget = { kind: 'apex' } | { kind: 'label'; label: string };

export type RegistrarFailure = Exclude<RegistrarStatus, 'valid'>;

/**
 * A registrar said no, or could not be reached. `status` is the machine answer the api returns;
 * the message is for people and never contains credentials.
 */
export class RegistrarError extends Error {
  constructor(
    readonly status: RegistrarFailure,
    message: string,
  ) {
    super(message);
    this.name = 'RegistrarError';
  }
}

export interface ValidationResult {
  status: RegistrarStatus;
  message: string;
}

/**
 * One registrar's API behind one interface. Adapters never destroy a customer's records: they read,
 * merge and write only the NS set of the delegated name, and refuse (RegistrarError 'unsupported')
 * what their registrar cannot do rather than doing nothing.
 */
export interface RegistrarAdapter<C = Record<string, string>> {
  readonly id: RegistrarId;
  readonly name: string;
  /** Strict: unknown credential fields are rejected. */
  readonly credentialsSchema: z.ZodType<C>;
  readonly credentialFields: CredentialField[];
  readonly subdomainDelegation: boolean;
  readonly apexDelegation: boolean;
  readonly propagationHint: string;

  /** Read-only: are these credentials good, and is `domain` (a registered domain) in the account? */
  validate(credentials: C, domain: string): Promise<ValidationResult>;

  /** Points `target` of the registered `domain` at `nameservers` (host names without trailing dot). */
  delegate(credentials: C, domain: string, target: DelegationTarget, nameservers: string[]): Promise<void>;

  /** The nameservers the registrar now has for `target` (lower-case, no trailing dot, sorted). */
  readNameservers(credentials: C, domain: string, target: DelegationTarget): Promise<string[]>;
}

/** Lower-case, no trailing dot, no duplicates, sorted: the form nameserver lists are compared in. */
export function normalizeNameservers(nameservers: string[]): string[] {
  return [
    ...new Set(nameservers.map((ns) => ns.trim().toLowerCase().replace(/\.$/, '')).filter(Boolean)),
  ].sort();
}

/** The fully qualified name a target stands for under `domain`. */
export function targetName(domain: string, target: DelegationTarget): string {
  return target.kind === 'apex' ? domain : `${target.label}.${domain}`;
}
