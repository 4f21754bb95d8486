import {
  type Deployment,
  type DeploymentEvent,
  type DeploymentStatus,
  type PhaseName,
  type PhaseStatus,
  phaseNames,
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
}

export interface StreamState {
  lastSeq: number;
  phases: Partial<Record<PhaseName, Omit<PhaseView, 'name'>>>;
  components: Record<string, ComponentView>;
  resources: Record<string, ResourceView>;
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
  logs: [],
});

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
        [event.address]: { address: event.address, action: event.action, status: event.status },
      };
      break;
    case 'component':
      next.components = {
        ...state.components,
        [event.component]: {
          id: event.component,
          state: event.state,
          message: event.message,
          since: state.components[event.component]?.since ?? event.time,
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

export function mergeComponents(deployment: Deployment | undefined, stream: StreamState): ComponentView[] {
  const byId = new Map<string, ComponentView>();
  for (const c of deployment?.components ?? []) byId.set(c.id, { ...c });
  for (const c of Object.values(stream.components)) byId.set(c.id, { ...byId.get(c.id), ...c });
  return [...byId.values()];
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
