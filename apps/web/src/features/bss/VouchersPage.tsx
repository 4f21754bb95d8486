import { VoucherForm } from './VoucherForm';
import { VoucherTable } from './VoucherTable';

export function VouchersPage() {
  return (
    <>
      <section className="card" aria-labelledby="issue-voucher-title">
        <h2 id="issue-voucher-title" className="card__title">
          Issue a voucher
        </h2>
        <VoucherForm />
      </section>
      <section className="card" aria-labelledby="vouchers-title">
        <h2 id="vouchers-title" className="card__title">
          Vouchers
        </h2>
        <VoucherTable />
      </section>
    </>
  );
}
