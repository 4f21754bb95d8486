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
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No tenants yet. They appear here when a voucher is redeemed.</p>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Tenants">
                <thead>
                  <tr>
                    <th scope="col">Organisation</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Address</th>
                    <th scope="col" className="table__number">
                      Balance
                    </th>
                    <th scope="col">Since</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((tenant) => (
                    <tr key={tenant.slug}>
                      <th scope="row">
                        {tenant.name}
                        <div className="table__sub">
                          <code>{tenant.slug}</code>
                        </div>
                      </th>
                      <td>{tenant.owner}</td>
                      <td>
                        <code>{tenant.fqdn}</code>
                      </td>
                      <td className="table__number">{formatOmr(tenant.balanceBaisa)}</td>
                      <td>{formatDate(tenant.createdAt)}</td>
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
