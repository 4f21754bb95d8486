import { Link } from '@tanstack/react-router';
import { EmptyOr } from '../../components/EmptyOr';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useMode } from '../meta/queries';
import { toKitApp } from './model';
import { OwnAppGrid } from './OwnComponents';
import { useKitComponents } from './queries';
import { AppLogo, ByMode, ChosenDeployment, StatusBadge } from './shared';

/**
 * The installed components as a grid of cards: on a Sovereign its own (its cluster's HelmReleases), on a
 * mothership the bootstrap kit of a deployment.
 */
export function AppsPage() {
  const mode = useMode();
  return (
    <section className="console-page">
      <PageHeader eyebrow="Sovereign console" title="Apps">
        <p>
          {mode === 'sovereign'
            ? 'The components this Sovereign runs, as Flux reports them on its cluster.'
            : 'The components installed on the Sovereign by its bootstrap kit.'}
        </p>
      </PageHeader>
      <ByMode mode={mode} sovereign={<OwnAppGrid />} mothership={<DeploymentApps />} />
    </section>
  );
}

function DeploymentApps() {
  return (
    <ChosenDeployment to="/console/apps">
      {(deployment) => <AppGrid deploymentId={deployment.id} />}
    </ChosenDeployment>
  );
}

function AppGrid({ deploymentId }: { deploymentId: string }) {
  const kit = useKitComponents(deploymentId);
  return (
    <QueryState query={kit} what="the components">
      {(components) => (
        <EmptyOr
          items={components}
          emptyTestId="apps-empty"
          empty="Nothing installed yet: the bootstrap kit starts once the cluster is up."
        >
          {(list) => (
            <ul className="tile-grid" data-testid="apps-grid">
              {list.map(toKitApp).map((app) => (
                <li key={app.id}>
                  <Link
                    to="/console/apps/$id"
                    params={{ id: app.id }}
                    search={{ deployment: deploymentId }}
                    className="console-app-card"
                    data-testid={`app-card-${app.id}`}
                  >
                    <AppLogo app={app} />
                    <span className="console-app-card__body">
                      <span className="console-app-card__name">{app.name}</span>
                      <StatusBadge status={app.state} />
                      {app.description && (
                        <span className="console-app-card__description muted">{app.description}</span>
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
