import { Link } from '@tanstack/react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/dates';
import { useDeployments } from './queries';
import { StatusBadge } from './shared';

/** The operator's deployments, newest first, with their status and where to follow them. */
export function DashboardPage() {
  const deployments = useDeployments();
  return (
    <section className="console-page">
      <div className="console-page__head">
        <PageHeader eyebrow="Sovereign console" title="Dashboard">
          <p>Every Sovereign provisioned from this Catalyst, and how its run went.</p>
        </PageHeader>
        <Link to="/sovereign/" className="button" data-testid="console-new-sovereign">
          New Sovereign
        </Link>
      </div>
      <QueryState query={deployments} what="the deployments">
        {(list) =>
          list.length === 0 ? (
            <p className="muted" data-testid="deployments-empty">
              No deployments yet. Start one with “New Sovereign”.
            </p>
          ) : (
            <div className="table-wrap card">
              <table className="table" aria-label="Deployments" data-testid="deployments-table">
                <thead>
                  <tr>
                    <th scope="col">Sovereign</th>
                    <th scope="col">Status</th>
                    <th scope="col">Phases</th>
                    <th scope="col">Bootstrap kit</th>
                    <th scope="col">Created</th>
                    <th scope="col">Links</th>
                  </tr>
                </thead>
                <tbody>
                  {[...list]
                    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
                    .map((d) => {
                      const phasesDone = d.phases.filter((p) => p.status === 'succeeded').length;
                      const kitDone = d.components.filter((c) => c.state === 'installed').length;
                      return (
                        <tr key={d.id} data-testid={`deployment-row-${d.id}`}>
                          <th scope="row">
                            {d.fqdn}
                            <div className="table__sub">
                              {d.orgName} · <code>{d.id.slice(0, 8)}</code>
                            </div>
                          </th>
                          <td>
                            <StatusBadge status={d.status} testId={`deployment-status-${d.id}`} />
                            {d.error && <div className="table__sub">{d.error}</div>}
                          </td>
                          <td className="table__number">
                            {phasesDone} / {d.phases.length}
                          </td>
                          <td className="table__number">
                            {d.components.length === 0 ? '—' : `${kitDone} / ${d.components.length}`}
                          </td>
                          <td>{formatDateTime(d.createdAt)}</td>
                          <td>
                            <ul className="console-links">
                              <li>
                                <Link
                                  to="/sovereign/provision/$id"
                                  params={{ id: d.id }}
                                  data-testid={`deployment-link-${d.id}`}
                                >
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
                          </td>
                        </tr>
                      );
                    })}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
    </section>
  );
}
