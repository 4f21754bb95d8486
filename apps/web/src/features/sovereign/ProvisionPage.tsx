import { retryRunsTofu } from '@catalyst/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import './sovereign.css';
import * as api from './api';
import { HetznerTokenDialog } from './HetznerTokenDialog';
import { KitGroups } from './KitGroups';
import { LogPane } from './LogPane';
import { leaveTo } from './navigation';
import { PhaseCard } from './PhaseCards';
import { isTerminal, mergeComponents, mergePhases, mergeRegions } from './provisionModel';
import { deploymentQueryOptions, sovereignKeys, useHandoverLink } from './queries';
import { RegionRows } from './RegionRows';
import { useDeploymentStream } from './useDeploymentStream';

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
  const regions = useMemo(() => mergeRegions(data, stream, components), [data, stream, components]);
  const [actionError, setActionError] = useState<string | null>(null);
  const [wipeOpen, setWipeOpen] = useState(false);
  /** The phase whose retry waits for the Hetzner token (it runs OpenTofu again). */
  const [retryAsked, setRetryAsked] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const handoverLink = useHandoverLink();
  /** "Open your console": a fresh one-time link, followed at once (it signs the admin in there). */
  const openConsole = () =>
    handoverLink.mutate(id, {
      onSuccess: (link) => leaveTo(link.url),
    });

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
          <p>
            <button
              type="button"
              className="button"
              data-testid="open-console"
              disabled={handoverLink.isPending}
              onClick={openConsole}
            >
              {handoverLink.isPending ? 'Opening your console…' : 'Open your console'}
            </button>{' '}
            <span className="muted">A one-time link signs its first sovereign-admin in there.</span>
          </p>
          {handoverLink.isError && (
            <div className="alert alert--error" role="alert" data-testid="open-console-error">
              {api.isApiError(handoverLink.error)
                ? handoverLink.error.message
                : 'The console link could not be made. Try again.'}
            </div>
          )}
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
      <ul className="sov-phase-grid" data-testid="phase-grid">
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
              onRetry={() =>
                retryRunsTofu(phase.name)
                  ? setRetryAsked(phase.name)
                  : act(() => api.retryPhase(id, phase.name))
              }
            />
          </li>
        ))}
      </ul>
      {regions.length > 0 ? (
        <RegionRows
          regions={regions}
          resources={tofu}
          now={now}
          onRetryComponent={(component) => act(() => api.retryPhase(id, component))}
        />
      ) : (
        components.length > 0 && (
          <KitGroups
            components={components}
            now={now}
            onRetry={(component) => act(() => api.retryPhase(id, component))}
          />
        )
      )}
      <LogPane logs={stream.logs} />
      {retryAsked && (
        <HetznerTokenDialog
          title={`Retry from ${retryAsked}?`}
          confirmLabel="Retry"
          testIdPrefix="rerun"
          danger={false}
          onCancel={() => setRetryAsked(null)}
          onConfirm={(token) => {
            setRetryAsked(null);
            void act(() => api.retryPhase(id, retryAsked, token));
          }}
        >
          <p>
            This retry runs OpenTofu against your Hetzner project again, and the api does not keep the token
            once a run stops. Enter the Hetzner API token to go on (it is kept only until the run stops).
          </p>
        </HetznerTokenDialog>
      )}
      {wipeOpen && (
        <HetznerTokenDialog
          title="Wipe every cloud resource of this run?"
          confirmLabel="Wipe"
          cancelLabel="Keep"
          testIdPrefix="wipe"
          onCancel={() => setWipeOpen(false)}
          onConfirm={(token) => {
            setWipeOpen(false);
            void act(() => api.wipeDeployment(id, token));
          }}
        >
          <p>
            The servers, load balancer, network and volumes are deleted at Hetzner. This cannot be undone.
            Enter the Hetzner API token to confirm (it is not stored).
          </p>
        </HetznerTokenDialog>
      )}
    </section>
  );
}
