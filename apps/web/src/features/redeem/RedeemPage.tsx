import { getRouteApi } from '@tanstack/react-router';
import { PageHeader } from '../../components/PageHeader';

const route = getRouteApi('/redeem');

export function RedeemPage() {
  const { code } = route.useSearch();
  return (
    <section className="page page--narrow">
      <PageHeader eyebrow="Vouchers" title="Redeem a voucher">
        <p>Voucher redemption opens here soon.</p>
      </PageHeader>
      <div className="card">
        {code ? (
          <p>
            Voucher code:{' '}
            <code className="voucher-code" data-testid="voucher-code">
              {code}
            </code>
          </p>
        ) : (
          <p className="muted">No voucher code in the link.</p>
        )}
      </div>
    </section>
  );
}
