import { PageHeader } from '../../components/PageHeader';

export function MarketplacePage() {
  return (
    <section className="page">
      <PageHeader eyebrow="Marketplace" title="Marketplace">
        <p>Browse the plans and components offered on Catalyst. The catalogue opens here soon.</p>
      </PageHeader>
      <div className="card">
        <p className="muted">No offers are listed yet.</p>
      </div>
    </section>
  );
}
