import type { DeploymentEvent, DeploymentStatus } from '@catalyst/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import './sovereign.css';
import * as api from './api';
import {
  applyEvent,
  type ComponentView,
  emptyStream,
  formatElapsed,
  isTerminal,
  mergeComponents,
  mergePhases,
  type PhaseView,
  parseEvent,
  type StreamState,
} from './provisionModel';
import { deploymentQueryOptions, sovereignKeys } from './queries';

const EVENT_TYPES = ['phase', 'log', 'resource', 'component', 'deployment'] as const;

type StreamAction = { type: 'event'; event: DeploymentEvent } | { type: 'reset' };

function streamReducer(state: StreamState, action: StreamAction): StreamState {
  return action.type === 'reset' ? emptyStream() : applyEvent(state, action.event);
}

/** Follows the run's SSE stream; stops reconnecting after the final event of a stopped run. */
function useDeploymentStream(
  id: string,
  generation: number,
  onFinal: () => void,
  knownStatus: DeploymentStatus | undefined,
) {
  const statusRef = useRef(knownStatus);
  statusRef.current = knownStatus;
  const [state, dispatch] = useReducer(streamReducer, undefined, emptyStream);
  const [connected, setConnected] = useState(false);
  const onFinalRef = useRef(onFinal);
  onFinalRef.current = onFinal;

  useEffect(() => {
    // `generation` restarts the stream after a retry or wipe of a stopped run.
    void generation;
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(api.logsUrl(id), { withCredentials: true });
    source.onopen = () => setConnected(true);
    source.onerror = () => {
      setConnected(false);
      // A stopped run's stream has ended: do not let the browser reconnect for ever.
      if (isTerminal(statusRef.current)) source.close();
    };
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (message) => {
        const event = parseEvent(type, (message as MessageEvent<string>).data);
        if (!event) return;
        dispatch({ type: 'event', event });
        if (event.type === 'deployment' && isTerminal(event.status)) {
          source.close();
          setConnected(false);
          onFinalRef.current();
        } else if (event.type === 'phase' || event.type === 'deployment') {
          onFinalRef.current();
        }
      });
    }
    return () => source.close();
  }, [id, generation]);

  return { stream: state, connected };
}

function useNow(active: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function ProvisionPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  const queryClient = useQueryClient();
  const deployment = useQuery(deploymentQueryOptions(id));
  const [generation, setGeneration] = useState(0);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: sovereignKeys.deployment(id) });
  const data = deployment.data;
  const { stream, connected } = useDeploymentStream(id, generation, refresh, data?.status);
  const status = stream.status ?? data?.status;
  const running = status === 'queued' || status === 'running' || status === 'wiping';
  const now = useNow(running);
  const phases = useMemo(() => mergePhases(data, stream), [data, stream]);
  const components = useMemo(() => mergeComponents(data, stream), [data, stream]);
  const [actionError, setActionError] = useState<string | null>(null);
  const [wipeOpen, setWipeOpen] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);

  const act = async (fn: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await fn();
      refresh();
      setGeneration((g) => g + 1);
    } catch (error) {
      setActionError(api.isApiError(error) ? error.message : 'The action failed.');
    }
  };

  if (deployment.isPending) {
    return (
      <section className="page sov-provision">
        <p className="muted">Loading the deployment…</p>
      </section>
    );
  }
  if (deployment.isError) {
    return (
      <section className="page sov-provision">
        <PageHeader eyebrow="Sovereign" title="Provisioning" />
        <div className="alert alert--error" role="alert">
          {api.isApiError(deployment.error) && deployment.error.status === 404
            ? 'There is no deployment with this id.'
            : 'The deployment could not be loaded.'}
        </div>
      </section>
    );
  }

  const tofu = Object.values(stream.resources);
  const tofuDone = tofu.filter((r) => r.status === 'complete').length;
  const tofuErrored = tofu.filter((r) => r.status === 'errored').length;

  return (
    <section className="page sov-provision">
      <PageHeader eyebrow="Sovereign" title={data?.fqdn ?? 'Provisioning'}>
        <p>
          {data?.orgName} ·{' '}
          <span className={`sov-badge sov-badge--${status}`} data-testid="deployment-status">
            {status}
          </span>{' '}
          <span className="muted" data-testid="stream-state">
            {connected ? 'live' : isTerminal(status) ? 'finished' : 'reconnecting…'}
          </span>
        </p>
      </PageHeader>
      {(stream.error ?? data?.error) && (
        <div className="alert alert--error" role="alert" data-testid="deployment-error">
          {stream.error ?? data?.error}
        </div>
      )}
      {actionError && (
        <div className="alert alert--error" role="alert">
          {actionError}
        </div>
      )}
      <div className="sov-provision-actions">
        {running && status !== 'wiping' && !confirmCancel && (
          <button
            type="button"
            className="button button--secondary"
            data-testid="cancel-deployment"
            onClick={() => setConfirmCancel(true)}
          >
            Cancel run
          </button>
        )}
        {confirmCancel && (
          <span className="sov-inline-confirm">
            Stop this run? Created servers stay until you wipe them.
            <button
              type="button"
              className="button button--small"
              data-testid="cancel-confirm"
              onClick={() => {
                setConfirmCancel(false);
                void act(() => api.cancelDeployment(id));
              }}
            >
              Stop
            </button>
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => setConfirmCancel(false)}
            >
              Keep running
            </button>
          </span>
        )}
        {isTerminal(status) && data?.hasCloudResources && (
          <button
            type="button"
            className="button button--secondary"
            data-testid="wipe-deployment"
            onClick={() => setWipeOpen(true)}
          >
            Wipe cloud resources
          </button>
        )}
        {status === 'ready' && (
          <a className="button" data-testid="kubeconfig-download" href={api.kubeconfigUrl(id)} download>
            Download kubeconfig
          </a>
        )}
      </div>
      {status === 'ready' && data?.result && (
        <div className="card sov-result" data-testid="deployment-result">
          <h2 className="card__title">Your Sovereign is ready</h2>
          <dl>
            <dt>Console</dt>
            <dd>
              <a href={data.result.consoleURL} target="_blank" rel="noreferrer">
                {data.result.consoleURL}
              </a>
            </dd>
            <dt>Control plane IP</dt>
            <dd>
              <code>{data.result.controlPlaneIP}</code>
            </dd>
            <dt>Load balancer IP</dt>
            <dd>
              <code>{data.result.loadBalancerIP}</code>
            </dd>
          </dl>
        </div>
      )}
      <h2>Phases</h2>
      <ul className="sov-phase-grid">
        {phases.map((phase) => (
          <li key={phase.name}>
            <PhaseCard
              phase={phase}
              now={now}
              extra={
                phase.name === 'tofu-apply' && tofu.length > 0 ? (
                  <div className="sov-progress" data-testid="tofu-progress">
                    <progress max={tofu.length} value={tofuDone} />
                    <span>
                      {tofuDone} / {tofu.length} resources{tofuErrored > 0 ? ` · ${tofuErrored} failed` : ''}
                    </span>
                  </div>
                ) : null
              }
              onRetry={() => act(() => api.retryPhase(id, phase.name))}
            />
          </li>
        ))}
      </ul>
      {components.length > 0 && (
        <>
          <h2>Bootstrap kit</h2>
          <ul className="sov-phase-grid">
            {components.map((component) => (
              <li key={component.id}>
                <KitCard
                  component={component}
                  now={now}
                  onRetry={() => act(() => api.retryPhase(id, component.id))}
                />
              </li>
            ))}
          </ul>
        </>
      )}
      <LogPane logs={stream.logs} />
      {wipeOpen && (
        <WipeDialog
          onCancel={() => setWipeOpen(false)}
          onConfirm={(token) => {
            setWipeOpen(false);
            void act(() => api.wipeDeployment(id, token));
          }}
        />
      )}
    </section>
  );
}

function PhaseCard({
  phase,
  now,
  extra,
  onRetry,
}: {
  phase: PhaseView;
  now: number;
  extra: React.ReactNode;
  onRetry: () => void;
}) {
  return (
    <article className={`sov-phase-card is-${phase.status}`} data-testid={`phase-card-${phase.name}`}>
      <header>
        <h3>{phase.name}</h3>
        <span className={`sov-badge sov-badge--${phase.status}`} data-testid={`phase-status-${phase.name}`}>
          {phase.status}
        </span>
      </header>
      <p className="muted sov-small">{formatElapsed(phase.startedAt, phase.finishedAt, now)}</p>
      {extra}
      {phase.error ? (
        <p className="sov-field__error">{phase.error}</p>
      ) : (
        phase.lastLine && <p className="sov-last-line">{phase.lastLine}</p>
      )}
      {phase.status === 'failed' && (
        <button
          type="button"
          className="button button--small"
          data-testid={`retry-${phase.name}`}
          onClick={onRetry}
        >
          Retry
        </button>
      )}
    </article>
  );
}

function KitCard({
  component,
  now,
  onRetry,
}: {
  component: ComponentView;
  now: number;
  onRetry: () => void;
}) {
  const done = component.state === 'installed' || component.state === 'failed';
  return (
    <article className={`sov-phase-card is-${component.state}`} data-testid={`kit-card-${component.id}`}>
      <header>
        <h3>{component.id}</h3>
        <span className={`sov-badge sov-badge--${component.state}`}>{component.state}</span>
      </header>
      {component.since && !done && (
        <p className="muted sov-small">{formatElapsed(component.since, undefined, now)}</p>
      )}
      {component.message && <p className="sov-last-line">{component.message}</p>}
      {component.state === 'failed' && (
        <button
          type="button"
          className="button button--small"
          data-testid={`retry-${component.id}`}
          onClick={onRetry}
        >
          Retry
        </button>
      )}
    </article>
  );
}

function LogPane({ logs }: { logs: StreamState['logs'] }) {
  const [filter, setFilter] = useState('');
  const [follow, setFollow] = useState(true);
  const [copied, setCopied] = useState(false);
  const paneRef = useRef<HTMLPreElement>(null);
  const q = filter.trim().toLowerCase();
  const shown = q
    ? logs.filter((l) => l.line.toLowerCase().includes(q) || l.phase.toLowerCase().includes(q))
    : logs;
  const text = shown.map((l) => `[${l.phase}] ${l.line}`).join('\n');

  useEffect(() => {
    if (!follow || !paneRef.current || shown.length === 0) return;
    paneRef.current.scrollTop = paneRef.current.scrollHeight;
  }, [follow, shown.length]);

  return (
    <section className="sov-log" aria-label="Logs">
      <header className="sov-log-toolbar">
        <h2>Logs</h2>
        <input
          className="sov-input"
          type="search"
          placeholder="Filter lines"
          aria-label="Filter log lines"
          data-testid="log-filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <button
          type="button"
          className="button button--secondary button--small"
          data-testid="log-follow"
          aria-pressed={follow}
          onClick={() => setFollow((f) => !f)}
        >
          {follow ? 'Pause' : 'Follow'}
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          data-testid="log-copy"
          onClick={() => void navigator.clipboard?.writeText(text).then(() => setCopied(true))}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </header>
      <pre className="sov-log-pane" data-testid="log-pane" ref={paneRef}>
        {shown.length === 0 ? (
          <span className="muted">{logs.length === 0 ? 'Waiting for output…' : 'No line matches.'}</span>
        ) : (
          shown.map((l) => (
            <div key={l.seq} className={l.stream === 'stderr' ? 'is-stderr' : undefined}>
              <span className="sov-log-phase">[{l.phase}]</span> {l.line}
            </div>
          ))
        )}
      </pre>
    </section>
  );
}

function WipeDialog({ onCancel, onConfirm }: { onCancel: () => void; onConfirm: (token: string) => void }) {
  const [token, setToken] = useState('');
  const valid = /^[A-Za-z0-9]{64}$/.test(token.trim());
  return (
    <div className="sov-dialog-backdrop">
      <div
        className="sov-dialog card"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="wipe-title"
        data-testid="wipe-dialog"
      >
        <h3 id="wipe-title">Wipe every cloud resource of this run?</h3>
        <p>
          The servers, load balancer, network and volumes are deleted at Hetzner. This cannot be undone. Enter
          the Hetzner API token to confirm (it is not stored).
        </p>
        <div className="sov-field">
          <label htmlFor="wipe-token">Hetzner API token</label>
          <input
            id="wipe-token"
            type="password"
            autoComplete="off"
            data-testid="wipe-token-input"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </div>
        <div className="sov-dialog-actions">
          <button type="button" className="button button--secondary" onClick={onCancel}>
            Keep
          </button>
          <button
            type="button"
            className="button"
            data-testid="wipe-confirm"
            disabled={!valid}
            onClick={() => onConfirm(token.trim())}
          >
            Wipe
          </button>
        </div>
      </div>
    </div>
  );
}
