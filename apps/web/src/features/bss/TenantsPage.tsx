import { DataTable } from '../../components/DataTable';
import { QueryState } from '../../components/QueryState';
import { formatDate } from '../../lib/dates';
import { formatOmr } from '../../lib/money';
import { useTenants } from './queries';

export function TenantsPage() {
  const tenants = useTenants();
  return (
    <section className="card" aria-labelledby="tenants-title">
      <h2 id="tenants-title" className="card__title">
        Tenants
      </h2>
      <QueryState query={tenants} what="the tenants">
        {(list) => (
          <DataTable
            label="Tenants"
            rows={list}
            rowKey={(tenant) => tenant.slug}
            empty="No tenants yet. They appear here when a voucher is redeemed."
            columns={[
              {
                header: 'Organisation',
                cell: (tenant) => (
                  <>
                    {tenant.name}
                    <div className="table__sub">
                      <code>{tenant.slug}</code>
                    </div>
                  </>
                ),
              },
              { header: 'Owner', cell: (tenant) => tenant.owner },
              { header: 'Address', cell: (tenant) => <code>{tenant.fqdn}</code> },
              { header: 'Balance', numeric: true, cell: (tenant) => formatOmr(tenant.balanceBaisa) },
              { header: 'Since', cell: (tenant) => formatDate(tenant.createdAt) },
            ]}
          />
        )}
      </QueryState>
    </section>
  );
}
