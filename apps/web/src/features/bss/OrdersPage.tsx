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
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No orders yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Orders">
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">Customer</th>
                    <th scope="col">Organisation</th>
                    <th scope="col">Plan</th>
                    <th scope="col">Voucher</th>
                    <th scope="col" className="table__number">
                      Total
                    </th>
                    <th scope="col">Placed</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((order) => (
                    <tr key={order.id}>
                      <th scope="row">
                        <code title={order.id}>{order.id.slice(0, 8)}</code>
                      </th>
                      <td>{order.customer}</td>
                      <td>{order.org ?? '—'}</td>
                      <td>{order.planId}</td>
                      <td>{order.promoCode ? <code>{order.promoCode}</code> : '—'}</td>
                      <td className="table__number">{formatOmr(order.totalBaisa)}</td>
                      <td>{formatDateTime(order.createdAt)}</td>
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
