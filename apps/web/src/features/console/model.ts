import {
  bootstrapKitReleases,
  type CatalogComponent,
  type Deployment,
  type DeploymentEvent,
  fallbackLogoSurface,
  findComponent,
  RELEASE_PREFIX,
  type SovereignComponent,
} from '@catalyst/contracts';

/** The deployment a page shows: the one named by `?deployment=`, else the most recent. */
export function chooseDeployment(
  deployments: Deployment[],
  wanted: string | undefined,
): { deployment: Deployment | undefined; missing: boolean } {
  if (wanted) {
    const found = deployments.find((d) => d.id === wanted);
    if (found) return { deployment: found, missing: false };
  }
  const [latest] = [...deployments].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return { deployment: latest, missing: !!wanted };
}

export interface KitComponentState {
  id: string;
  state: string;
  message?: string;
  updatedAt?: string;
}

/** A bootstrap-kit component with what the catalog knows about it. */
export interface KitApp extends KitComponentState {
  name: string;
  description: string;
  family?: string;
  logo: string | null;
  logoSurface: { background: string; text: string };
  /** Optional in the kit: installed only when selected in the wizard. */
  optional: boolean;
  catalog?: CatalogComponent;
}

function titleCase(id: string): string {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
}

export function toKitApp(component: KitComponentState): KitApp {
  const catalog = findComponent(component.id);
  const kit = bootstrapKitReleases.find((r) => r.id === component.id);
  return {
    ...component,
    name: catalog?.name ?? titleCase(component.id),
    description: catalog?.description ?? '',
    family: catalog?.family,
    logo: catalog?.logo ?? null,
    logoSurface: catalog?.logoSurface.background ? catalog.logoSurface : fallbackLogoSurface,
    optional: kit?.optional ?? false,
    catalog,
  };
}

/** Catalog components (by id) that depend on `id`. */
export function dependentsOf(id: string): string[] {
  return bootstrapKitReleases
    .map((r) => findComponent(r.id))
    .filter((c): c is CatalogComponent => !!c && c.dependencies.includes(id))
    .map((c) => c.id);
}

export const releaseName = (id: string) => `${RELEASE_PREFIX}${id}`;

/** One of a Sovereign's own components (a HelmRelease of its cluster) with what the catalog knows. */
export interface OwnApp extends KitApp {
  release: SovereignComponent;
}

export function toOwnApp(release: SovereignComponent): OwnApp {
  const { id, state, message, updatedAt } = release;
  return {
    ...toKitApp({ id, state, ...(message ? { message } : {}), ...(updatedAt ? { updatedAt } : {}) }),
    release,
  };
}

/** What a release's last reconcile was, from its Ready reason: `UpgradeFailed` → Upgrade. */
export function reconcileAction(reason: string | undefined): string {
  if (!reason) return 'Reconcile';
  for (const action of ['Install', 'Upgrade', 'Rollback', 'Uninstall', 'Test'] as const) {
    if (reason.startsWith(action)) return action;
  }
  return 'Reconcile';
}

// ---------------------------------------------------------------------------------------------
// Per-component job log, from the deployment's events
// ---------------------------------------------------------------------------------------------

export interface JobLogLine {
  seq: number;
  time: string;
  kind: 'state' | 'stdout' | 'stderr';
  text: string;
}

export interface KitLogState {
  lastSeq: number;
  /** `component` events, by component id. */
  states: Record<string, JobLogLine[]>;
  /** `log` events of the bootstrap-kit phase (or of a phase named after a component). */
  lines: (JobLogLine & { phase: string })[];
}

export const emptyKitLog = (): KitLogState => ({ lastSeq: -1, states: {}, lines: [] });

const MAX_LINES = 5000;

/** Keeps what the jobs need: component state changes and bootstrap-kit log lines; once per seq. */
export function applyKitEvent(state: KitLogState, event: DeploymentEvent): KitLogState {
  if (event.seq <= state.lastSeq) return state;
  const next: KitLogState = { ...state, lastSeq: event.seq };
  if (event.type === 'component') {
    const line: JobLogLine = {
      seq: event.seq,
      time: event.time,
      kind: 'state',
      text: event.message ? `${event.state}: ${event.message}` : event.state,
    };
    next.states = { ...state.states, [event.component]: [...(state.states[event.component] ?? []), line] };
  } else if (
    event.type === 'log' &&
    (event.phase === 'bootstrap-kit' || bootstrapKitReleases.some((r) => r.id === event.phase))
  ) {
    const lines = [
      ...state.lines,
      { seq: event.seq, time: event.time, kind: event.stream, text: event.line, phase: event.phase },
    ];
    next.lines = lines.length > MAX_LINES ? lines.slice(lines.length - MAX_LINES) : lines;
  }
  return next;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a kit log line names the component (`cilium` or `bp-cilium`, not `cilium-x`). */
export function mentions(text: string, id: string): boolean {
  return new RegExp(
    `(^|[^A-Za-z0-9-])(${escapeRegExp(RELEASE_PREFIX)})?${escapeRegExp(id)}($|[^A-Za-z0-9-])`,
  ).test(text);
}

/** One component's job log: its state changes and the kit lines about it, in order. */
export function jobLog(state: KitLogState, id: string): JobLogLine[] {
  const about = state.lines
    .filter((l) => l.phase === id || mentions(l.text, id))
    .map(({ phase: _phase, ...line }) => line);
  return [...(state.states[id] ?? []), ...about].sort((a, b) => a.seq - b.seq);
}
