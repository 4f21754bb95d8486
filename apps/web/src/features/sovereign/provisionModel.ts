import {
  type Deployment,
  type DeploymentEvent,
  type DeploymentStatus,
  findRegion,
  type PhaseName,
  type PhaseStatus,
  phaseNames,
  type RegionPhaseName,
  regionPhaseNames,
  terminalStatuses,
} from '@catalyst/contracts';

export interface PhaseView {
  name: PhaseName;
  status: PhaseStatus;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  lastLine?: string;
}

export interface ComponentView {
  id: string;
  /** The region whose cluster runs it; absent only in the stream's events stored before runs had regions. */
  region?: string;
  state: string;
  message?: string;
  since?: string;
}

export interface LogLine {
  seq: number;
  time: string;
  phase: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface ResourceView {
  address: string;
  action: string;
  status: 'planned' | 'started' | 'in-progress' | 'complete' | 'errored';
  /** Absent for the resources every region shares (the SSH key, the mesh's CA). */
  region?: string;
}

export interface RegionPhaseView {
  name: RegionPhaseName;
  status: PhaseStatus;
  error?: string;
}

/** One region of the run as the page shows it: its phases, its addresses and its bootstrap kit. */
export interface RegionView {
  region: string;
  provider: string;
  /** "Falkenstein (fsn1)": the catalog's name and the id. */
  label: string;
  phases: RegionPhaseView[];
  controlPlaneIP?: string;
  loadBalancerIP?: string;
  components: ComponentView[];
}

export interface StreamState {
  lastSeq: number;
  phases: Partial<Record<PhaseName, Omit<PhaseView, 'name'>>>;
  /** Keyed by `<region>/<component>` (by the bare id for an event that names no region). */
  components: Record<string, ComponentView>;
  resources: Record<string, ResourceView>;
  /** What the stream has said of each region's phases since the snapshot. */
  regions: Record<string, Partial<Record<RegionPhaseName, Omit<RegionPhaseView, 'name'>>>>;
  logs: LogLine[];
  status?: DeploymentStatus;
  error?: string;
}

export const MAX_LOG_LINES = 5000;

export const emptyStream = (): StreamState => ({
  lastSeq: -1,
  phases: {},
  components: {},
  resources: {},
  regions: {},
  logs: [],
});

/** Where the stream keeps a component: per region, or by its bare id when the event named none. */
export const componentKey = (id: string, region?: string) => (region ? `${region}/${id}` : id);

/** Applies an event once (by seq); replays after a reconnect are ignored. */
export function applyEvent(state: StreamState, event: DeploymentEvent): StreamState {
  if (event.seq <= state.lastSeq) return state;
  const next: StreamState = { ...state, lastSeq: event.seq };
  switch (event.type) {
    case 'phase': {
      const before = state.phases[event.phase] ?? { status: 'pending' as PhaseStatus };
      next.phases = {
        ...state.phases,
        [event.phase]: {
          ...before,
          status: event.status,
          startedAt: event.status === 'running' ? event.time : before.startedAt,
          finishedAt: event.status === 'running' || event.status === 'pending' ? undefined : event.time,
          error: event.error,
        },
      };
      break;
    }
    case 'log': {
      const line: LogLine = {
        seq: event.seq,
        time: event.time,
        phase: event.phase,
        stream: event.stream,
        line: event.line,
      };
      const logs = [...state.logs, line];
      next.logs = logs.length > MAX_LOG_LINES ? logs.slice(logs.length - MAX_LOG_LINES) : logs;
      if ((phaseNames as readonly string[]).includes(event.phase)) {
        const phase = event.phase as PhaseName;
        next.phases = {
          ...state.phases,
          [phase]: { ...(state.phases[phase] ?? { status: 'running' }), lastLine: event.line },
        };
      } else if (state.components[event.phase]) {
        next.components = {
          ...state.components,
          [event.phase]: { ...state.components[event.phase], message: event.line } as ComponentView,
        };
      }
      break;
    }
    case 'resource':
      next.resources = {
        ...state.resources,
        [event.address]: {
          address: event.address,
          action: event.action,
          status: event.status,
          ...(event.region ? { region: event.region } : {}),
        },
      };
      break;
    case 'component': {
      const key = componentKey(event.component, event.region);
      next.components = {
        ...state.components,
        [key]: {
          id: event.component,
          ...(event.region ? { region: event.region } : {}),
          state: event.state,
          message: event.message,
          since: state.components[key]?.since ?? event.time,
        },
      };
      break;
    }
    case 'region':
      next.regions = {
        ...state.regions,
        [event.region]: {
          ...state.regions[event.region],
          [event.phase]: { status: event.status, error: event.error },
        },
      };
      break;
    case 'deployment':
      next.status = event.status;
      next.error = event.error;
      break;
  }
  return next;
}

/** The phases to show: the snapshot, overridden by what the stream has said since. */
export function mergePhases(deployment: Deployment | undefined, stream: StreamState): PhaseView[] {
  return phaseNames.map((name) => {
    const snap = deployment?.phases.find((p) => p.name === name);
    const live = stream.phases[name];
    return {
      name,
      status: live?.status ?? snap?.status ?? 'pending',
      startedAt: live?.startedAt ?? snap?.startedAt,
      finishedAt: live ? live.finishedAt : snap?.finishedAt,
      error: live ? live.error : snap?.error,
      lastLine: live?.lastLine,
    };
  });
}

/**
 * Every region's components: the snapshot, overridden by what the stream has said since. An event that names
 * no region (stored before runs had regions) is the first region's.
 */
export function mergeComponents(deployment: Deployment | undefined, stream: StreamState): ComponentView[] {
  const first = deployment?.regions[0]?.region;
  const byKey = new Map<string, ComponentView>();
  for (const c of deployment?.components ?? []) byKey.set(componentKey(c.id, c.region), { ...c });
  for (const c of Object.values(stream.components)) {
    const region = c.region ?? first;
    const key = componentKey(c.id, region);
    byKey.set(key, { ...byKey.get(key), ...c, ...(region ? { region } : {}) });
  }
  return [...byKey.values()];
}

/** "Falkenstein (fsn1)"; a region the catalog does not know shows its id. */
export function regionLabel(provider: string, region: string): string {
  const name = findRegion(provider, region)?.name;
  return name ? `${name} (${region})` : region;
}

/**
 * One row per region, in the request's order: its phases (the snapshot, overridden by the stream's `region`
 * events) and its components (`components`, from mergeComponents).
 */
export function mergeRegions(
  deployment: Deployment | undefined,
  stream: StreamState,
  components: ComponentView[],
): RegionView[] {
  return (deployment?.regions ?? []).map((snap) => {
    const live = stream.regions[snap.region] ?? {};
    return {
      region: snap.region,
      provider: snap.provider,
      label: regionLabel(snap.provider, snap.region),
      phases: regionPhaseNames.map((name) => {
        const before = snap.phases.find((p) => p.name === name);
        const now = live[name];
        return {
          name,
          status: now?.status ?? before?.status ?? 'pending',
          error: now ? now.error : before?.error,
        };
      }),
      ...(snap.controlPlaneIP ? { controlPlaneIP: snap.controlPlaneIP } : {}),
      ...(snap.loadBalancerIP ? { loadBalancerIP: snap.loadBalancerIP } : {}),
      components: components.filter((c) => c.region === snap.region),
    };
  });
}

export function isTerminal(status: DeploymentStatus | undefined): boolean {
  return status !== undefined && terminalStatuses.includes(status);
}

export function formatElapsed(fromIso?: string, toIso?: string, now = Date.now()): string {
  if (!fromIso) return '—';
  const from = Date.parse(fromIso);
  const to = toIso ? Date.parse(toIso) : now;
  const seconds = Math.max(0, Math.round((to - from) / 1000));
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m}m ${String(s).padStart(2, '0')}s` : `${s}s`;
}
