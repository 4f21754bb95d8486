import {
  defaultSelection,
  findComponent,
  findProvider,
  type ProviderId,
  providerIds,
  type RegistrarId,
  recommendedNodeSize,
  registrarIds,
  type SmtpSecurity,
  smtpSecurities,
} from '@catalyst/contracts';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
} from 'react';

/** The wizard's steps, in order; `step` in the state is an index into this list. */
export const wizardSteps = [
  { label: 'Organisation', desc: 'Industry, size, HQ, compliance' },
  { label: 'Topology', desc: 'Regions and high availability' },
  { label: 'Provider', desc: 'Cloud, region and sizing per region' },
  { label: 'Credentials', desc: 'API token and SSH key' },
  { label: 'Components', desc: 'Platform building blocks' },
  { label: 'Domain', desc: 'Pool or own domain, admin e-mail, mail' },
  { label: 'Review', desc: 'Confirm and provision' },
] as const;
export const STEP_COUNT = wizardSteps.length;

export interface RegionDraft {
  provider: ProviderId;
  cloudRegion: string;
  controlPlaneSize: string;
  workerSize: string;
  workerCount: number;
}

export type DomainModeDraft = 'pool' | 'byo-manual' | 'byo-api';
export type SubdomainCheckState = 'checking' | 'available' | 'taken' | 'reserved' | 'invalid' | 'error';

export interface SubdomainCheck {
  /** `<subdomain>.<poolDomain>` the answer is for; stale once either changes. */
  fqdn: string;
  state: SubdomainCheckState;
  message?: string;
}

export interface TokenCheck {
  /** The token the answer is for (kept in memory only, like the token). */
  token: string;
  status: 'valid' | 'invalid' | 'read-only' | 'unreachable' | 'rate-limited' | 'error';
  message: string;
}

export interface RegistrarCheck {
  key: string;
  status: string;
  message: string;
}

export interface ServerIssue {
  path: string;
  message: string;
}

export interface WizardState {
  step: number;
  org: { name: string; industry: string; size: string; headquarters: string; compliance: string[] };
  regions: RegionDraft[];
  haEnabled: boolean;
  /** Secret: never persisted. */
  hetznerToken: string;
  hetznerProjectId: string;
  sshMode: 'paste' | 'generate';
  sshPublicKey: string;
  sshFingerprint: string;
  components: string[];
  domainMode: DomainModeDraft;
  poolDomain: string;
  subdomain: string;
  byoDomain: string;
  registrar: RegistrarId | '';
  /** Secret: never persisted. */
  registrarCredentials: Record<string, string>;
  adminEmail: string;
  /** The Sovereign's outbound mail (optional): off, it keeps mail in its dev outbox. */
  smtpEnabled: boolean;
  smtpHost: string;
  /** As typed; empty means the usual port of `smtpSecurity`. */
  smtpPort: string;
  smtpSecurity: SmtpSecurity;
  smtpUsername: string;
  /** Secret: never persisted. */
  smtpPassword: string;
  smtpFrom: string;
  subdomainCheck: SubdomainCheck | null;
  // In memory only:
  tokenCheck: TokenCheck | null;
  registrarCheck: RegistrarCheck | null;
  /** Steps whose errors are shown (the operator pressed Continue on them, or the server rejected them). */
  attempted: number[];
  serverIssues: ServerIssue[];
}

export const STORAGE_KEY = 'catalyst-sovereign-wizard';
const STORAGE_VERSION = 1;

export function newRegion(provider: ProviderId = 'hetzner', cloudRegion = 'fsn1'): RegionDraft {
  const size = recommendedNodeSize(provider).id;
  return { provider, cloudRegion, controlPlaneSize: size, workerSize: size, workerCount: 0 };
}

/** The first of `provider`'s regions that none of `taken` uses (each region once in a Sovereign), or ''. */
export function freeRegion(provider: ProviderId, taken: readonly RegionDraft[]): string {
  return findProvider(provider)?.regions.find((r) => !taken.some((t) => t.cloudRegion === r.id))?.id ?? '';
}

/** A region added to `regions`: on Hetzner, in the first location none of them uses yet. */
export function nextRegion(regions: readonly RegionDraft[]): RegionDraft {
  return newRegion('hetzner', freeRegion('hetzner', regions));
}

export function initialWizardState(): WizardState {
  return {
    step: 0,
    org: { name: '', industry: '', size: '', headquarters: '', compliance: [] },
    regions: [newRegion()],
    haEnabled: false,
    hetznerToken: '',
    hetznerProjectId: '',
    sshMode: 'paste',
    sshPublicKey: '',
    sshFingerprint: '',
    components: defaultSelection(),
    domainMode: 'pool',
    poolDomain: '',
    subdomain: '',
    byoDomain: '',
    registrar: '',
    registrarCredentials: {},
    adminEmail: '',
    smtpEnabled: false,
    smtpHost: '',
    smtpPort: '',
    smtpSecurity: 'starttls',
    smtpUsername: '',
    smtpPassword: '',
    smtpFrom: '',
    subdomainCheck: null,
    tokenCheck: null,
    registrarCheck: null,
    attempted: [],
    serverIssues: [],
  };
}

/** What is written to localStorage: everything except secrets and in-memory answers. */
export function persistable(state: WizardState) {
  const {
    hetznerToken: _token,
    registrarCredentials: _credentials,
    smtpPassword: _smtpPassword,
    tokenCheck: _tokenCheck,
    registrarCheck: _registrarCheck,
    attempted: _attempted,
    serverIssues: _serverIssues,
    ...rest
  } = state;
  return rest;
}

const str = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);

function restoreRegion(value: unknown): RegionDraft | null {
  if (!value || typeof value !== 'object') return null;
  const r = value as Record<string, unknown>;
  const provider = providerIds.find((id) => id === r.provider) ?? 'hetzner';
  const base = newRegion(provider, str(r.cloudRegion, ''));
  const count = typeof r.workerCount === 'number' ? Math.round(r.workerCount) : 0;
  return {
    ...base,
    controlPlaneSize: str(r.controlPlaneSize, base.controlPlaneSize),
    workerSize: str(r.workerSize, base.workerSize),
    workerCount: Math.min(50, Math.max(0, count)),
  };
}

/** Reads the saved wizard; anything missing or malformed falls back to the defaults. */
export function loadWizardState(storage: Storage | undefined = globalThis.localStorage): WizardState {
  const initial = initialWizardState();
  let saved: Record<string, unknown> | null = null;
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as { version?: number; state?: Record<string, unknown> }) : null;
    if (parsed?.version === STORAGE_VERSION && parsed.state && typeof parsed.state === 'object') {
      saved = parsed.state;
    }
  } catch {
    saved = null;
  }
  if (!saved) return initial;
  const org = (saved.org ?? {}) as Record<string, unknown>;
  const regions = Array.isArray(saved.regions)
    ? saved.regions.map(restoreRegion).filter((r): r is RegionDraft => r !== null)
    : [];
  const components = Array.isArray(saved.components)
    ? saved.components.filter((id): id is string => typeof id === 'string' && !!findComponent(id))
    : initial.components;
  const mandatory = initial.components.filter((id) => findComponent(id)?.mandatory);
  const step = typeof saved.step === 'number' ? Math.round(saved.step) : 0;
  const mode = saved.domainMode;
  return {
    ...initial,
    step: Math.min(STEP_COUNT - 1, Math.max(0, step)),
    org: {
      name: str(org.name, ''),
      industry: str(org.industry, ''),
      size: str(org.size, ''),
      headquarters: str(org.headquarters, ''),
      compliance: Array.isArray(org.compliance)
        ? org.compliance.filter((c): c is string => typeof c === 'string')
        : [],
    },
    regions: regions.length > 0 ? regions.slice(0, 5) : initial.regions,
    haEnabled: saved.haEnabled === true,
    hetznerProjectId: str(saved.hetznerProjectId, ''),
    sshMode: saved.sshMode === 'generate' ? 'generate' : 'paste',
    sshPublicKey: str(saved.sshPublicKey, ''),
    sshFingerprint: str(saved.sshFingerprint, ''),
    components: [...new Set([...mandatory, ...components])].sort(),
    domainMode: mode === 'byo-manual' || mode === 'byo-api' ? mode : 'pool',
    poolDomain: str(saved.poolDomain, ''),
    subdomain: str(saved.subdomain, ''),
    byoDomain: str(saved.byoDomain, ''),
    registrar: registrarIds.find((id) => id === saved.registrar) ?? '',
    adminEmail: str(saved.adminEmail, ''),
    smtpEnabled: saved.smtpEnabled === true,
    smtpHost: str(saved.smtpHost, ''),
    smtpPort: str(saved.smtpPort, ''),
    smtpSecurity: smtpSecurities.find((id) => id === saved.smtpSecurity) ?? 'starttls',
    smtpUsername: str(saved.smtpUsername, ''),
    smtpFrom: str(saved.smtpFrom, ''),
    subdomainCheck:
      saved.subdomainCheck && typeof saved.subdomainCheck === 'object'
        ? (saved.subdomainCheck as SubdomainCheck)
        : null,
  };
}

export function saveWizardState(state: WizardState, storage: Storage | undefined = globalThis.localStorage) {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify({ version: STORAGE_VERSION, state: persistable(state) }));
  } catch {
    // Private mode or a full quota: the wizard still works, it just forgets on reload.
  }
}

export type WizardAction =
  | { type: 'update'; update: (state: WizardState) => WizardState }
  | { type: 'reset' };

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  switch (action.type) {
    case 'update':
      return action.update(state);
    case 'reset':
      return initialWizardState();
  }
}

interface WizardContextValue {
  state: WizardState;
  update: (update: (state: WizardState) => WizardState) => void;
  patch: (patch: Partial<WizardState>) => void;
  reset: () => void;
}

const WizardContext = createContext<WizardContextValue | null>(null);

export function WizardProvider({ children, initial }: { children: ReactNode; initial?: WizardState }) {
  const [state, dispatch] = useReducer(wizardReducer, initial, (given) => given ?? loadWizardState());
  useEffect(() => saveWizardState(state), [state]);
  const update = useCallback(
    (fn: (state: WizardState) => WizardState) => dispatch({ type: 'update', update: fn }),
    [],
  );
  const patch = useCallback(
    (values: Partial<WizardState>) => dispatch({ type: 'update', update: (s) => ({ ...s, ...values }) }),
    [],
  );
  const reset = useCallback(() => dispatch({ type: 'reset' }), []);
  const value = useMemo<WizardContextValue>(
    () => ({ state, update, patch, reset }),
    [state, update, patch, reset],
  );
  return <WizardContext.Provider value={value}>{children}</WizardContext.Provider>;
}

export function useWizard(): WizardContextValue {
  const value = useContext(WizardContext);
  if (!value) throw new Error('useWizard needs a WizardProvider');
  return value;
}
