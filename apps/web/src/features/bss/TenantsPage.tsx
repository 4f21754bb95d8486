import type { BssTenant } from '@catalyst/contracts';
import { DataTable } from '../../components/DataTable';
import { QueryState } from '../../components/QueryState';
import { formatDate } from '../../lib/dates';
import { formatOmr } from '../../lib/money';
import { useTenants } from './queries';

/** `wordpress (production), nextcloud (staging)`, or a dash when nothing is suspended. */
function suspendedList(apps: BssTenant['suspendedApps']): string {
  return apps.length === 0 ? '—' : apps.map((app) => `${app.appId} (${app.environment})`).join(', ');
}

/** /bss/tenants: every organisation with its owner, address, balance, what its apps cost a month and what is suspended. */
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
            rowTestId={(tenant) => `tenant-row-${tenant.slug}`}
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
              {
                header: 'Monthly run-rate',
                numeric: true,
                testId: 'tenant-run-rate',
                cell: (tenant) => `${tenant.monthlyRunRateOmr} OMR`,
              },
              {
                header: 'Suspended apps',
                testId: 'tenant-suspended',
                cell: (tenant) => suspendedList(tenant.suspendedApps),
              },
              { header: 'Since', cell: (tenant) => formatDate(tenant.createdAt) },
            ]}
          />
        )}
      </QueryState>
    </section>
  );
}
