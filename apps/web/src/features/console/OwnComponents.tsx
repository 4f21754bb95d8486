import { findComponent } from '@catalyst/contracts';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { EmptyOr } from '../../components/EmptyOr';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/dates';
import { describeError } from '../../lib/forms';
import { JobRowFrame } from './JobRow';
import { type OwnApp, reconcileAction, toOwnApp } from './model';
import { useRetrySovereignComponent, useSovereignComponents } from './queries';
import { AppLogo, Section, StatusBadge } from './shared';

/*
 * A Sovereign's console reads its Apps, Jobs and app pages from the HelmReleases of the cluster it runs
 * on (GET /api/v1/sovereign/components): it has no deployment record of itself. Each release's last
 * reconcile is its job.
 */

/** The Sovereign's own components as cards. */
export function OwnAppGrid() {
  const components = useSovereignComponents();
  return (
    <QueryState query={components} what="the components">
      {(list) => (
        <EmptyOr
          items={list}
          emptyTestId="apps-empty"
          empty="No HelmRelease of this Sovereign is on its cluster yet."
        >
          {(releases) => (
            <ul className="tile-grid" data-testid="apps-grid">
              {releases.map(toOwnApp).map((app) => (
                <li key={`${app.release.namespace}/${app.release.name}`}>
                  <Link
                    to="/console/apps/$id"
                    params={{ id: app.id }}
                    className="console-app-card"
                    data-testid={`app-card-${app.id}`}
                  >
                    <AppLogo app={app} />
                    <span className="console-app-card__body">
                      <span className="console-app-card__name">{app.name}</span>
                      <StatusBadge status={app.state} />
                      {app.message && (
                        <span
                          className="console-app-card__description muted"
                          data-testid={`app-message-${app.id}`}
                        >
                          {app.message}
                        </span>
                      )}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </EmptyOr>
      )}
    </QueryState>
  );
}

/** One job per own component: its last reconcile; a row opens the details in place. */
export function OwnJobList({ only }: { only?: string }) {
  const components = useSovereignComponents();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <QueryState query={components} what="the jobs">
      {(list) => (
        <EmptyOr
          items={list.filter((c) => !only || c.id === only).map(toOwnApp)}
          emptyTestId="jobs-empty"
          empty={only ? 'This component has no reconcile yet.' : 'No HelmRelease has been reconciled yet.'}
        >
          {(apps) => (
            <ul className="console-jobs" data-testid="jobs-list">
              {apps.map((app) => (
                <OwnJobRow
                  key={`${app.release.namespace}/${app.release.name}`}
                  app={app}
                  expanded={open.has(app.id)}
                  onToggle={() => toggle(app.id)}
                />
              ))}
            </ul>
          )}
        </EmptyOr>
      )}
    </QueryState>
  );
}

function OwnJobRow({ app, expanded, onToggle }: { app: OwnApp; expanded: boolean; onToggle: () => void }) {
  const { release } = app;
  return (
    <JobRowFrame
      id={app.id}
      title={
        <>
          {reconcileAction(release.reason)} {app.name} <code className="muted">{release.name}</code>
        </>
      }
      state={app.state}
      updatedAt={release.updatedAt}
      expanded={expanded}
      onToggle={onToggle}
      detailsLabel={`Last reconcile of ${app.name}`}
    >
      <dl className="console-dl">
        <dt>Outcome</dt>
        <dd>
          {app.state}
          {release.reason ? ` (${release.reason})` : ''}
        </dd>
        <dt>Message</dt>
        <dd>{release.message ?? '—'}</dd>
        <dt>Chart</dt>
        <dd>{chartOf(app)}</dd>
      </dl>
    </JobRowFrame>
  );
}

const chartOf = (app: OwnApp) =>
  app.release.chart ? `${app.release.chart}${app.release.version ? ` ${app.release.version}` : ''}` : '—';

/** One own component: what it is, where its release is, Retry, and its last reconcile. */
export function OwnAppDetail({ id }: { id: string }) {
  const components = useSovereignComponents();
  return (
    <QueryState query={components} what="the component">
      {(list) => {
        const found = list.find((c) => c.id === id);
        if (!found) {
          return (
            <div className="card" data-testid="app-not-found">
              <h1 className="card__title">No component “{id}”</h1>
              <p className="muted">
                No HelmRelease of this Sovereign is named after it.{' '}
                <Link to="/console/apps">Back to the apps</Link>
              </p>
            </div>
          );
        }
        return <OwnAppSections app={toOwnApp(found)} />;
      }}
    </QueryState>
  );
}

function OwnAppSections({ app }: { app: OwnApp }) {
  const { release } = app;
  const retry = useRetrySovereignComponent();
  return (
    <div className="console-app-detail" data-testid="app-detail">
      <Link to="/console/apps" className="console-back">
        ← Apps
      </Link>
      <header className="console-app-hero">
        <AppLogo app={app} />
        <div>
          <h1>{app.name}</h1>
          <StatusBadge status={app.state} testId="app-status" />
        </div>
        <button
          type="button"
          className="button"
          data-testid="app-retry"
          disabled={retry.isPending}
          onClick={() => retry.mutate({ namespace: release.namespace, name: release.name })}
        >
          {retry.isPending ? 'Retrying…' : 'Retry'}
        </button>
      </header>
      {retry.isSuccess && (
        <p className="alert alert--info" role="status" data-testid="app-retry-done">
          Flux was asked to reconcile {release.name} again.
        </p>
      )}
      {retry.isError && (
        <p className="alert alert--error" role="alert" data-testid="app-retry-error">
          The retry was not accepted: {describeError(retry.error)}
        </p>
      )}

      <Section id="about" title="About">
        <p>{app.description || 'A release of this Sovereign; the component catalog has no entry for it.'}</p>
        <dl className="console-dl">
          <dt>Component</dt>
          <dd>
            <code>{app.id}</code>
          </dd>
          {app.family && (
            <>
              <dt>Family</dt>
              <dd>{app.family}</dd>
            </>
          )}
          <dt>State</dt>
          <dd data-testid="app-state-line">
            {app.state}
            {app.message ? ` · ${app.message}` : ''}
          </dd>
          <dt>Last change</dt>
          <dd>{formatDateTime(release.updatedAt)}</dd>
        </dl>
      </Section>

      <Section id="connection" title="Connection">
        <dl className="console-dl">
          <dt>HelmRelease</dt>
          <dd>
            <code data-testid="app-release">
              {release.namespace}/{release.name}
            </code>
          </dd>
          <dt>Chart</dt>
          <dd>
            <code>{chartOf(app)}</code>
          </dd>
        </dl>
      </Section>

      <Section id="dependencies" title="Bundled dependencies">
        <EmptyOr items={app.catalog?.dependencies ?? []} empty="No other component.">
          {(shown) => (
            <ul className="plain-list" data-testid="app-dependencies">
              {shown.map((dependency) => (
                <li key={dependency}>
                  <Link to="/console/apps/$id" params={{ id: dependency }}>
                    {findComponent(dependency)?.name ?? dependency}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </EmptyOr>
      </Section>

      <Section id="jobs" title="Jobs">
        <OwnJobList only={app.id} />
      </Section>
    </div>
  );
}
