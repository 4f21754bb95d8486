import { DataTable } from '../../components/DataTable';
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
        {(list) => (
          <DataTable
            label="Domain allocations"
            testId="domains-table"
            framed
            rows={list}
            rowKey={(a) => a.fqdn}
            rowTestId={(a) => `domain-row-${a.fqdn}`}
            empty="No allocations yet."
            emptyTestId="domains-empty"
            columns={[
              {
                header: 'Name',
                cell: (a) => (
                  <>
                    <code>{a.fqdn}</code>
                    {a.poolDomain && <div className="table__sub">pool {a.poolDomain}</div>}
                  </>
                ),
              },
              { header: 'Mode', cell: (a) => MODES[a.mode] },
              { header: 'State', cell: (a) => <StatusBadge status={a.state} /> },
              {
                header: 'Load balancer',
                cell: (a) => (a.loadBalancerIP ? <code>{a.loadBalancerIP}</code> : '—'),
              },
              { header: 'Created', cell: (a) => formatDateTime(a.createdAt) },
              {
                header: 'Committed / expires',
                cell: (a) =>
                  a.committedAt
                    ? formatDateTime(a.committedAt)
                    : a.expiresAt
                      ? `expires ${formatDateTime(a.expiresAt)}`
                      : '—',
              },
            ]}
          />
        )}
      </QueryState>
    </section>
  );
}
