import type { Deployment } from '@catalyst/contracts';
import { Link } from '@tanstack/react-router';
import { DataTable } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/dates';
import { canProvision } from '../../lib/roles';
import { useMe } from '../auth/queries';
import { useMode } from '../meta/queries';
import { useDeployments, useSovereignFacts } from './queries';
import { SovereignFacts } from './SovereignFacts';
import { StatusBadge } from './shared';

/**
 * On a mothership: the operator's deployments, newest first, with their status and where to follow
 * them. On a Sovereign: what it knows about itself (it provisions nothing, so it has no fleet).
 */
export function DashboardPage() {
  const mode = useMode();
  const provisions = canProvision(useMe().data, mode);
  // On a Sovereign: what it knows about itself. A mothership has none (null) and shows only its fleet.
  const facts = useSovereignFacts().data;
  return (
    <section className="console-page">
      <div className="console-page__head">
        <PageHeader eyebrow="Sovereign console" title="Dashboard">
          <p>
            {mode === 'sovereign'
              ? 'This Sovereign: where it runs and what it was installed with.'
              : 'Every Sovereign provisioned from this Catalyst, and how its run went.'}
          </p>
        </PageHeader>
        {provisions && (
          <Link to="/sovereign/" className="button" data-testid="console-new-sovereign">
            New Sovereign
          </Link>
        )}
      </div>
      {facts && <SovereignFacts facts={facts} />}
      {mode === 'mothership' && <Fleet />}
    </section>
  );
}

function Fleet() {
  const deployments = useDeployments();
  return (
    <QueryState query={deployments} what="the deployments">
      {(list) => (
        <DataTable
          label="Deployments"
          testId="deployments-table"
          framed
          rows={[...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt))}
          rowKey={(d) => d.id}
          rowTestId={(d) => `deployment-row-${d.id}`}
          empty="No deployments yet. Start one with “New Sovereign”."
          emptyTestId="deployments-empty"
          columns={[
            {
              header: 'Sovereign',
              cell: (d) => (
                <>
                  {d.fqdn}
                  <div className="table__sub">
                    {d.orgName} · <code>{d.id.slice(0, 8)}</code>
                  </div>
                </>
              ),
            },
            {
              header: 'Status',
              cell: (d) => (
                <>
                  <StatusBadge status={d.status} testId={`deployment-status-${d.id}`} />
                  {d.error && <div className="table__sub">{d.error}</div>}
                </>
              ),
            },
            {
              header: 'Phases',
              numeric: true,
              cell: (d) => `${d.phases.filter((p) => p.status === 'succeeded').length} / ${d.phases.length}`,
            },
            {
              header: 'Bootstrap kit',
              numeric: true,
              cell: (d) =>
                d.components.length === 0
                  ? '—'
                  : `${d.components.filter((c) => c.state === 'installed').length} / ${d.components.length}`,
            },
            { header: 'Created', cell: (d) => formatDateTime(d.createdAt) },
            { header: 'Links', cell: (d) => <DeploymentLinks deployment={d} /> },
          ]}
        />
      )}
    </QueryState>
  );
}

function DeploymentLinks({ deployment: d }: { deployment: Deployment }) {
  return (
    <ul className="console-links">
      <li>
        <Link to="/sovereign/provision/$id" params={{ id: d.id }} data-testid={`deployment-link-${d.id}`}>
          Provisioning
        </Link>
      </li>
      <li>
        <Link to="/console/apps" search={{ deployment: d.id }}>
          Apps
        </Link>
      </li>
      <li>
        <Link to="/console/jobs" search={{ deployment: d.id }}>
          Jobs
        </Link>
      </li>
      {d.result && (
        <li>
          <a href={d.result.consoleURL} target="_blank" rel="noreferrer">
            Console
          </a>
        </li>
      )}
    </ul>
  );
}
