import { useState } from 'react';
import { EmptyOr } from '../../components/EmptyOr';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useMode } from '../meta/queries';
import { JobRow } from './JobRow';
import { toKitApp } from './model';
import { OwnJobList } from './OwnComponents';
import { useKitComponents } from './queries';
import { ByMode, ChosenDeployment } from './shared';
import { useKitLog } from './useKitLog';

/**
 * One job per component: on a Sovereign each own HelmRelease's last reconcile, on a mothership the
 * bootstrap-kit install jobs of a deployment. A row opens its details or log in place.
 */
export function JobsPage() {
  const mode = useMode();
  return (
    <section className="console-page">
      <PageHeader eyebrow="Sovereign console" title="Jobs">
        <p>
          {mode === 'sovereign'
            ? 'The last reconcile of each of this Sovereign’s HelmReleases. Open a job to read how it went.'
            : 'The bootstrap-kit install jobs of a Sovereign. Open a job to read its log.'}
        </p>
      </PageHeader>
      <ByMode mode={mode} sovereign={<OwnJobList />} mothership={<DeploymentJobs />} />
    </section>
  );
}

function DeploymentJobs() {
  return (
    <ChosenDeployment to="/console/jobs">
      {(deployment) => <JobList deploymentId={deployment.id} status={deployment.status} />}
    </ChosenDeployment>
  );
}

export function JobList({
  deploymentId,
  status,
  only,
}: {
  deploymentId: string;
  status: Parameters<typeof useKitLog>[1];
  /** Show just this component's job (the app detail's Jobs section). */
  only?: string;
}) {
  const kit = useKitComponents(deploymentId);
  const { log, ended } = useKitLog(deploymentId, status);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <QueryState query={kit} what="the bootstrap-kit jobs">
      {(components) => {
        const apps = components.filter((c) => !only || c.id === only).map(toKitApp);
        return (
          <EmptyOr
            items={apps}
            emptyTestId="jobs-empty"
            empty={
              only
                ? 'This component has no bootstrap-kit job in this deployment.'
                : 'No bootstrap-kit jobs yet: they start once the cluster is up.'
            }
          >
            {(list) => (
              <ul className="console-jobs" data-testid="jobs-list">
                {list.map((app) => (
                  <JobRow
                    key={app.id}
                    app={app}
                    log={log}
                    expanded={open.has(app.id)}
                    onToggle={() => toggle(app.id)}
                    waiting={!ended && log.lastSeq < 0}
                  />
                ))}
              </ul>
            )}
          </EmptyOr>
        );
      }}
    </QueryState>
  );
}
