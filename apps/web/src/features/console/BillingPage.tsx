import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { useTenants, useVouchers } from '../bss/queries';

function Count({
  query,
  children,
}: {
  query: { isPending: boolean; isError: boolean };
  children: ReactNode;
}) {
  if (query.isPending) return <span className="muted">…</span>;
  if (query.isError) return <span className="muted">unavailable</span>;
  return <>{children}</>;
}

/** Billing lives in the BSS screens; this page sums them up and links there. */
export function BillingPage() {
  const vouchers = useVouchers();
  const tenants = useTenants();
  const activeVouchers = vouchers.data?.filter((v) => v.active).length ?? 0;
  return (
    <section className="console-page">
      <PageHeader eyebrow="Sovereign console" title="Billing">
        <p>Vouchers, tenants and orders are managed in the business support (BSS) screens.</p>
      </PageHeader>
      <ul className="console-summary">
        <li className="card" data-testid="billing-vouchers">
          <h2 className="card__title">
            <Link to="/bss/vouchers">Vouchers</Link>
          </h2>
          <p className="console-summary__count">
            <Count query={vouchers}>
              {vouchers.data?.length} issued · {activeVouchers} active
            </Count>
          </p>
        </li>
        <li className="card" data-testid="billing-tenants">
          <h2 className="card__title">
            <Link to="/bss/tenants">Tenants</Link>
          </h2>
          <p className="console-summary__count">
            <Count query={tenants}>{tenants.data?.length} organisations</Count>
          </p>
        </li>
        <li className="card" data-testid="billing-orders">
          <h2 className="card__title">
            <Link to="/bss/orders">Orders</Link>
          </h2>
          <p className="muted">Every checkout, with its plan, voucher and total.</p>
        </li>
      </ul>
    </section>
  );
}
