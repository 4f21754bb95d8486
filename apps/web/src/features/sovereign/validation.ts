import { defaultSmtpPorts, provisionRequestSchema, unavailableRegions } from '@catalyst/contracts';
import type { WizardState } from './store';

export interface FieldIssue {
  /** Dotted request path, e.g. `topology.regions.0.cloudRegion`. */
  path: string;
  message: string;
}

/** The request body exactly as provisionRequestSchema expects it (before parsing). */
export function buildRequest(state: WizardState) {
  return {
    org: state.org,
    topology: {
      regions: state.regions.map((region) => ({
        ...region,
        workerSize: region.workerCount > 0 ? region.workerSize : region.workerSize || region.controlPlaneSize,
      })),
      haEnabled: state.haEnabled,
    },
    credentials: {
      hetznerToken: state.hetznerToken,
      hetznerProjectId: state.hetznerProjectId,
      sshPublicKey: state.sshPublicKey,
    },
    components: state.components,
    domain: buildDomain(state),
    adminEmail: state.adminEmail,
    ...(state.smtpEnabled ? { smtp: buildSmtp(state) } : {}),
  };
}

/** The optional `smtp` of the request: empty fields left out, so the schema's defaults and pairing rules apply. */
export function buildSmtp(state: WizardState) {
  const port = state.smtpPort.trim();
  return {
    host: state.smtpHost,
    ...(port ? { port: Number(port) } : {}),
    security: state.smtpSecurity,
    ...(state.smtpUsername.trim() ? { username: state.smtpUsername } : {}),
    ...(state.smtpPassword ? { password: state.smtpPassword } : {}),
    from: state.smtpFrom,
  };
}

/** `host:port` of the Sovereign's SMTP server as it will be used (the usual port when none is typed). */
export function smtpEndpoint(state: WizardState): string {
  const port = state.smtpPort.trim() || String(defaultSmtpPorts[state.smtpSecurity]);
  return `${state.smtpHost.trim().toLowerCase()}:${port}`;
}

export function buildDomain(state: WizardState) {
  switch (state.domainMode) {
    case 'pool':
      return { mode: 'pool' as const, poolDomain: state.poolDomain, subdomain: state.subdomain };
    case 'byo-manual':
      return { mode: 'byo-manual' as const, domain: state.byoDomain };
    case 'byo-api':
      return {
        mode: 'byo-api' as const,
        domain: state.byoDomain,
        registrar: state.registrar,
        credentials: state.registrarCredentials,
      };
  }
}

/** The Sovereign's name in DNS as the operator has entered it so far. */
export function resolvedFqdn(state: WizardState): string {
  if (state.domainMode === 'pool') {
    const sub = state.subdomain.trim().toLowerCase();
    const pool = state.poolDomain.trim().toLowerCase().replace(/\.$/, '');
    return sub && pool ? `${sub}.${pool}` : '';
  }
  return state.byoDomain.trim().toLowerCase().replace(/\.$/, '');
}

const FILLER_REGION = {
  provider: 'hetzner',
  cloudRegion: 'fsn1',
  controlPlaneSize: 'cpx32',
  workerSize: 'cpx32',
  workerCount: 0,
};

/** A valid request: each step's slice is put into it so that only that slice's issues remain. */
const FILLER = {
  org: { name: 'x', industry: 'x', size: 'x', headquarters: 'x', compliance: [] },
  topology: { regions: [FILLER_REGION], haEnabled: false },
  credentials: {
    hetznerToken: 'a'.repeat(64),
    hetznerProjectId: '1',
    sshPublicKey: `ssh-ed25519 ${'A'.repeat(68)}`,
  },
  components: [],
  domain: { mode: 'pool', poolDomain: 'example.com', subdomain: 'x' },
  adminEmail: 'a@example.com',
};

function schemaIssues(body: unknown, prefix: (path: string) => boolean): FieldIssue[] {
  const result = provisionRequestSchema.safeParse(body);
  if (result.success) return [];
  return result.error.issues
    .map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
    .filter((issue) => prefix(issue.path));
}

const isRegionField = (path: string) => /^topology\.regions\.\d+\./.test(path);

/**
 * Which wizard step a request path belongs to (for mapping server issues back). Region fields
 * are the Provider step; the region list and HA are Topology.
 */
export function stepOfPath(path: string): number {
  const head = path.split('.')[0];
  switch (head) {
    case 'org':
      return 0;
    case 'topology':
      return isRegionField(path) ? 2 : 1;
    case 'credentials':
      return 3;
    case 'components':
      return 4;
    case 'domain':
    case 'adminEmail':
    case 'smtp':
      return 5;
    default:
      return 6;
  }
}

/** The client-side issues of one step (0-based), checked with provisionRequestSchema plus the live checks. */
export function stepIssues(state: WizardState, step: number): FieldIssue[] {
  const request = buildRequest(state);
  switch (step) {
    case 0:
      return schemaIssues({ ...FILLER, org: request.org }, (p) => p.startsWith('org'));
    case 1:
      return schemaIssues(
        {
          ...FILLER,
          topology: { regions: state.regions.map(() => FILLER_REGION), haEnabled: state.haEnabled },
        },
        // The fillers all name one location: a region's own fields are the Provider step's to check.
        (p) => p.startsWith('topology') && !isRegionField(p),
      );
    case 2:
      // A provider without a module is well-formed but cannot be built (the api answers 422): not past this step.
      return [
        ...unavailableRegions(request).map(({ index, message }) => ({
          path: `topology.regions.${index}.provider`,
          message,
        })),
        ...schemaIssues({ ...FILLER, topology: request.topology }, isRegionField),
      ];
    case 3: {
      const issues = schemaIssues({ ...FILLER, credentials: request.credentials }, (p) =>
        p.startsWith('credentials'),
      );
      const tokenFormatOk = !issues.some((i) => i.path === 'credentials.hetznerToken');
      const check = state.tokenCheck;
      if (
        tokenFormatOk &&
        !(check && check.token === state.hetznerToken.trim() && check.status === 'valid')
      ) {
        issues.push({
          path: 'credentials.hetznerToken',
          message:
            check && check.token === state.hetznerToken.trim()
              ? check.message
              : 'Validate the token with Hetzner before continuing',
        });
      }
      return issues;
    }
    case 4:
      return schemaIssues({ ...FILLER, components: request.components }, (p) => p.startsWith('components'));
    case 5: {
      const issues = schemaIssues(
        { ...FILLER, domain: request.domain, adminEmail: request.adminEmail, smtp: request.smtp },
        (p) => /^(domain|adminEmail|smtp)/.test(p),
      );
      if (state.domainMode === 'pool' && !issues.some((i) => i.path.startsWith('domain'))) {
        const check = state.subdomainCheck;
        if (!check || check.fqdn !== resolvedFqdn(state) || check.state !== 'available') {
          issues.push({
            path: 'domain.subdomain',
            message:
              check?.fqdn === resolvedFqdn(state) && check.message
                ? check.message
                : 'Wait for the name to be checked as available',
          });
        }
      }
      if (state.domainMode === 'byo-api' && !issues.some((i) => i.path.startsWith('domain'))) {
        const check = state.registrarCheck;
        if (!check || check.key !== registrarCheckKey(state) || check.status !== 'valid') {
          issues.push({
            path: 'domain.credentials',
            message: 'Validate the registrar credentials before continuing',
          });
        }
      }
      return issues;
    }
    default:
      return [];
  }
}

export function registrarCheckKey(state: WizardState): string {
  return JSON.stringify([state.registrar, state.byoDomain.trim().toLowerCase(), state.registrarCredentials]);
}

export function isStepValid(state: WizardState, step: number): boolean {
  if (step >= 6) return [0, 1, 2, 3, 4, 5].every((s) => stepIssues(state, s).length === 0);
  return stepIssues(state, step).length === 0;
}

/** The first invalid step before `step`, or -1. */
export function firstInvalidBefore(state: WizardState, step: number): number {
  for (let s = 0; s < step; s++) if (!isStepValid(state, s)) return s;
  return -1;
}

/** The message for `path` to show: server issues always, client issues once the step was attempted. */
export function fieldError(state: WizardState, step: number, path: string): string | undefined {
  const server = state.serverIssues.find((issue) => issue.path === path);
  if (server) return server.message;
  if (!state.attempted.includes(step)) return undefined;
  return stepIssues(state, step).find((issue) => issue.path === path)?.message;
}
