import { PageHeader } from '../../components/PageHeader';

export function BssPage() {
  return (
    <section className="page">
      <PageHeader eyebrow="BSS" title="Business support">
        <p>Plans, orders, invoices and vouchers for the sovereigns you operate will be managed here.</p>
      </PageHeader>
      <div className="card">
        <p className="muted">Nothing to show yet.</p>
      </div>
    </section>
  );
}
