import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/dates';
import { useAllocations } from './queries';
import { StatusBadge } from './shared';

const MODES = {
  pool: 'Pool',
  'byo-manual': 'Own domain (manual DNS)',
  'byo-api': 'Own domain (registrar API)',
};

/** The names held in the pool domains: reserved (waiting for a run) and active. */
export function DomainsPage() {
  const allocations = useAllocations();
  return (
    <section className="console-page">
      <PageHeader eyebrow="Sovereign console" title="Domains">
        <p>Names allocated to Sovereigns, from a pool domain or brought by the customer.</p>
      </PageHeader>
      <QueryState query={allocations} what="the domain allocations">
        {(list) =>
          list.length === 0 ? (
            <p className="muted" data-testid="domains-empty">
              No allocations yet.
            </p>
          ) : (
            <div className="table-wrap card">
              <table className="table" aria-label="Domain allocations" data-testid="domains-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Mode</th>
                    <th scope="col">State</th>
                    <th scope="col">Load balancer</th>
                    <th scope="col">Created</th>
                    <th scope="col">Committed / expires</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((a) => (
                    <tr key={a.fqdn} data-testid={`domain-row-${a.fqdn}`}>
                      <th scope="row">
                        <code>{a.fqdn}</code>
                        {a.poolDomain && <div className="table__sub">pool {a.poolDomain}</div>}
                      </th>
                      <td>{MODES[a.mode]}</td>
                      <td>
                        <StatusBadge status={a.state} />
                      </td>
                      <td>{a.loadBalancerIP ? <code>{a.loadBalancerIP}</code> : '—'}</td>
                      <td>{formatDateTime(a.createdAt)}</td>
                      <td>
                        {a.committedAt
                          ? formatDateTime(a.committedAt)
                          : a.expiresAt
                            ? `expires ${formatDateTime(a.expiresAt)}`
                            : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
    </section>
  );
}
