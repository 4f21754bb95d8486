import { Link } from '@tanstack/react-router';
import { EmptyOr } from '../../components/EmptyOr';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { chooseDeployment, toKitApp } from './model';
import { useDeployments, useKitComponents } from './queries';
import { AppLogo, DeploymentNote, NoDeployments, StatusBadge, useChosenDeploymentId } from './shared';

/** The installed components (the bootstrap kit) of a Sovereign, as a grid of cards. */
export function AppsPage() {
  const deployments = useDeployments();
  const wanted = useChosenDeploymentId();
  return (
    <section className="console-page">
      <PageHeader eyebrow="Sovereign console" title="Apps">
        <p>The components installed on the Sovereign by its bootstrap kit.</p>
      </PageHeader>
      <QueryState query={deployments} what="the deployments">
        {(list) => {
          const { deployment, missing } = chooseDeployment(list, wanted);
          if (!deployment) return <NoDeployments />;
          return (
            <>
              <DeploymentNote
                deployment={deployment}
                deployments={list}
                missing={missing}
                to="/console/apps"
              />
              <AppGrid deploymentId={deployment.id} />
            </>
          );
        }}
      </QueryState>
    </section>
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
