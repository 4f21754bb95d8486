import { DataTable } from '../../components/DataTable';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/dates';
import { formatOmr } from '../../lib/money';
import { useOrders } from './queries';

export function OrdersPage() {
  const orders = useOrders();
  return (
    <section className="card" aria-labelledby="orders-title">
      <h2 id="orders-title" className="card__title">
        Orders
      </h2>
      <QueryState query={orders} what="the orders">
        {(list) => (
          <DataTable
            label="Orders"
            rows={list}
            rowKey={(order) => order.id}
            empty="No orders yet."
            columns={[
              { header: 'Order', cell: (order) => <code title={order.id}>{order.id.slice(0, 8)}</code> },
              { header: 'Customer', cell: (order) => order.customer },
              { header: 'Organisation', cell: (order) => order.org ?? '—' },
              { header: 'Plan', cell: (order) => order.planId },
              {
                header: 'Voucher',
                cell: (order) => (order.promoCode ? <code>{order.promoCode}</code> : '—'),
              },
              { header: 'Total', numeric: true, cell: (order) => formatOmr(order.totalBaisa) },
              { header: 'Placed', cell: (order) => formatDateTime(order.createdAt) },
            ]}
          />
        )}
      </QueryState>
    </section>
  );
}
