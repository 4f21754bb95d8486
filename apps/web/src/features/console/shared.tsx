import type { CatalystMode, Deployment } from '@catalyst/contracts';
import { Link, useSearch } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { QueryState } from '../../components/QueryState';
import { canProvision } from '../../lib/roles';
import { useMe } from '../auth/queries';
import { useMode } from '../meta/queries';
import { chooseDeployment, type KitApp } from './model';
import { useDeployments } from './queries';

/** `?deployment=<id>` of the console's pages. */
export function useChosenDeploymentId(): string | undefined {
  const search = useSearch({ strict: false }) as { deployment?: string };
  return search.deployment;
}

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`console-badge console-badge--${status}`} data-testid={testId}>
      {status}
    </span>
  );
}

/** The brand mark on its surface; a letter-mark without a logo or when it fails to load. */
export function AppLogo({ app }: { app: KitApp }) {
  const [failed, setFailed] = useState(false);
  return (
    <span
      className="console-logo"
      style={{ background: app.logoSurface.background, color: app.logoSurface.text }}
      aria-hidden="true"
    >
      {app.logo && !failed ? (
        <img src={app.logo} alt="" loading="lazy" onError={() => setFailed(true)} />
      ) : (
        <span className="console-logo__letter">{app.name.charAt(0).toUpperCase()}</span>
      )}
    </span>
  );
}

/** Which deployment the page shows, with a way to switch when there are several. */
export function DeploymentNote({
  deployment,
  deployments,
  missing,
  to,
}: {
  deployment: Deployment;
  deployments: Deployment[];
  missing: boolean;
  to: '/console/apps' | '/console/jobs';
}) {
  const others = deployments.filter((d) => d.id !== deployment.id);
  return (
    <div className="console-deployment-note" data-testid="console-deployment">
      {missing && (
        <p className="alert alert--info" role="status">
          The deployment in the address is not known; showing the most recent one.
        </p>
      )}
      <p>
        Sovereign <strong>{deployment.fqdn}</strong> <StatusBadge status={deployment.status} />{' '}
        <Link to="/sovereign/provision/$id" params={{ id: deployment.id }}>
          Provisioning run
        </Link>
      </p>
      {others.length > 0 && (
        <p className="muted console-small">
          Other deployments:{' '}
          {others.map((d, index) => (
            <span key={d.id}>
              {index > 0 && ', '}
              <Link to={to} search={{ deployment: d.id }}>
                {d.fqdn}
              </Link>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}

/**
 * A mothership console page about one deployment: the one chosen in the URL (else the newest), with the
 * note saying which, or an invitation to provision when there is none.
 */
export function ChosenDeployment({
  to,
  children,
}: {
  to: '/console/apps' | '/console/jobs';
  children: (deployment: Deployment) => ReactNode;
}) {
  const deployments = useDeployments();
  const wanted = useChosenDeploymentId();
  return (
    <QueryState query={deployments} what="the deployments">
      {(list) => {
        const { deployment, missing } = chooseDeployment(list, wanted);
        if (!deployment) return <NoDeployments />;
        return (
          <>
            <DeploymentNote deployment={deployment} deployments={list} missing={missing} to={to} />
            {children(deployment)}
          </>
        );
      }}
    </QueryState>
  );
}

export function NoDeployments() {
  const provisions = canProvision(useMe().data, useMode());
  return (
    <div className="card" data-testid="console-no-deployments">
      <p>No Sovereign has been provisioned yet.</p>
      {provisions && (
        <Link to="/sovereign/" className="button">
          New Sovereign
        </Link>
      )}
    </div>
  );
}

/**
 * What a console page shows by the api's mode: a Sovereign reads its own cluster, a mothership its
 * deployments. Nothing is asked of either until the mode is known.
 */
export function ByMode({
  mode,
  sovereign,
  mothership,
}: {
  mode: CatalystMode | undefined;
  sovereign: ReactNode;
  mothership: ReactNode;
}) {
  if (mode === 'sovereign') return sovereign;
  if (mode === 'mothership') return mothership;
  return (
    <p className="muted" role="status">
      Loading…
    </p>
  );
}

/** One titled section of an app detail page (the kit's and a Sovereign's own). */
export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section
      className="card console-section"
      aria-labelledby={`app-section-${id}`}
      data-testid={`app-section-${id}`}
    >
      <h2 id={`app-section-${id}`} className="card__title">
        {title}
      </h2>
      {children}
    </section>
  );
}
