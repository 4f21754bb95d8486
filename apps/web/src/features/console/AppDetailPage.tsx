import { BOOTSTRAP_KIT_NAMESPACE, type Deployment, findComponent } from '@catalyst/contracts';
import { Link, useParams } from '@tanstack/react-router';
import { EmptyOr } from '../../components/EmptyOr';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/dates';
import { useMode } from '../meta/queries';
import { JobList } from './JobsPage';
import { chooseDeployment, dependentsOf, type KitApp, releaseName, toKitApp } from './model';
import { OwnAppDetail } from './OwnComponents';
import { useDeployments, useKitComponents } from './queries';
import { AppLogo, ByMode, NoDeployments, Section, StatusBadge, useChosenDeploymentId } from './shared';

/**
 * One installed component: About, Connection, Bundled dependencies, Tenant, Configuration, Jobs. On a
 * Sovereign, one of its own HelmReleases, with Retry.
 */
export function AppDetailPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  const mode = useMode();
  return (
    <section className="console-page">
      <ByMode mode={mode} sovereign={<OwnAppDetail id={id} />} mothership={<DeploymentAppDetail id={id} />} />
    </section>
  );
}

function DeploymentAppDetail({ id }: { id: string }) {
  const deployments = useDeployments();
  const wanted = useChosenDeploymentId();
  return (
    <QueryState query={deployments} what="the deployments">
      {(list) => {
        const { deployment } = chooseDeployment(list, wanted);
        if (!deployment) return <NoDeployments />;
        return <AppDetail id={id} deployment={deployment} />;
      }}
    </QueryState>
  );
}

function AppDetail({ id, deployment }: { id: string; deployment: Deployment }) {
  const kit = useKitComponents(deployment.id);
  return (
    <QueryState query={kit} what="the component">
      {(components) => {
        const found = components.find((c) => c.id === id);
        if (!found) {
          return (
            <div className="card" data-testid="app-not-found">
              <h1 className="card__title">No component “{id}”</h1>
              <p className="muted">
                It is not in the bootstrap kit of {deployment.fqdn}.{' '}
                <Link to="/console/apps" search={{ deployment: deployment.id }}>
                  Back to the apps
                </Link>
              </p>
            </div>
          );
        }
        return <AppSections app={toKitApp(found)} deployment={deployment} />;
      }}
    </QueryState>
  );
}

/** Kit components as links to their own pages, or a muted line when there are none. */
function ComponentLinks({
  ids,
  empty,
  testId,
  deployment,
}: {
  ids: readonly string[];
  empty: string;
  testId: string;
  deployment: Deployment;
}) {
  return (
    <EmptyOr items={ids} empty={empty}>
      {(shown) => (
        <ul className="plain-list" data-testid={testId}>
          {shown.map((id) => (
            <li key={id}>
              <Link to="/console/apps/$id" params={{ id }} search={{ deployment: deployment.id }}>
                {findComponent(id)?.name ?? id}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </EmptyOr>
  );
}

function AppSections({ app, deployment }: { app: KitApp; deployment: Deployment }) {
  const dependents = dependentsOf(app.id);
  return (
    <div className="console-app-detail" data-testid="app-detail">
      <Link to="/console/apps" search={{ deployment: deployment.id }} className="console-back">
        ← Apps
      </Link>
      <header className="console-app-hero">
        <AppLogo app={app} />
        <div>
          <h1>{app.name}</h1>
          <StatusBadge status={app.state} testId="app-status" />
        </div>
      </header>

      <Section id="about" title="About">
        <p>
          {app.description ||
            `A bootstrap-kit release of ${deployment.fqdn}; the component catalog has no entry for it.`}
        </p>
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
          <dd>
            {app.state}
            {app.message ? ` · ${app.message}` : ''}
          </dd>
          <dt>Last change</dt>
          <dd>{formatDateTime(app.updatedAt)}</dd>
        </dl>
      </Section>

      <Section id="connection" title="Connection">
        <dl className="console-dl">
          <dt>HelmRelease</dt>
          <dd>
            <code>
              {BOOTSTRAP_KIT_NAMESPACE}/{releaseName(app.id)}
            </code>
          </dd>
          <dt>Cluster</dt>
          <dd>
            <code>{deployment.fqdn}</code>
          </dd>
          {deployment.result ? (
            <>
              <dt>Load balancer</dt>
              <dd>
                <code>{deployment.result.loadBalancerIP}</code>
              </dd>
              <dt>Console</dt>
              <dd>
                <a href={deployment.result.consoleURL} target="_blank" rel="noreferrer">
                  {deployment.result.consoleURL}
                </a>
              </dd>
            </>
          ) : (
            <>
              <dt>Endpoints</dt>
              <dd className="muted">Known once the Sovereign is ready.</dd>
            </>
          )}
        </dl>
      </Section>

      <Section id="dependencies" title="Bundled dependencies">
        <h3 className="console-subtitle">Needs</h3>
        <ComponentLinks
          ids={app.catalog?.dependencies ?? []}
          empty="No other component."
          testId="app-dependencies"
          deployment={deployment}
        />
        <h3 className="console-subtitle">Needed by (in the kit)</h3>
        <ComponentLinks
          ids={dependents}
          empty="No kit component."
          testId="app-dependents"
          deployment={deployment}
        />
      </Section>

      <Section id="tenant" title="Tenant">
        <dl className="console-dl">
          <dt>Organisation</dt>
          <dd>{deployment.orgName}</dd>
          <dt>Sovereign</dt>
          <dd>
            <code>{deployment.fqdn}</code> <StatusBadge status={deployment.status} />
          </dd>
          <dt>Deployment</dt>
          <dd>
            <Link to="/sovereign/provision/$id" params={{ id: deployment.id }}>
              {deployment.id}
            </Link>
          </dd>
        </dl>
      </Section>

      <Section id="configuration" title="Configuration">
        <dl className="console-dl">
          <dt>Tier</dt>
          <dd>{app.catalog ? app.catalog.tier : 'bootstrap kit'}</dd>
          <dt>Installed</dt>
          <dd>{app.optional ? 'Optional: chosen in the wizard' : 'Always (base of the kit)'}</dd>
        </dl>
        <p className="muted console-small">
          The component runs with the bootstrap kit’s values; the console cannot change them yet.
        </p>
      </Section>

      <Section id="jobs" title="Jobs">
        <JobList deploymentId={deployment.id} status={deployment.status} only={app.id} />
      </Section>
    </div>
  );
}
