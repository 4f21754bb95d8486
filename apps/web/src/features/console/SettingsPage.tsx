import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useSettings } from '../bss/queries';

function Values({ items }: { items: string[] }) {
  if (items.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="plain-list">
      {items.map((item) => (
        <li key={item}>
          <code>{item}</code>
        </li>
      ))}
    </ul>
  );
}

/** The Sovereign's configuration, read-only (it comes from the server's environment). */
export function ConsoleSettingsPage() {
  const settings = useSettings();
  return (
    <section className="console-page">
      <PageHeader eyebrow="Sovereign console" title="Settings">
        <p>Read-only: these values come from the server’s configuration.</p>
      </PageHeader>
      <QueryState query={settings} what="the settings">
        {(s) => (
          <dl className="card console-dl console-settings" data-testid="console-settings">
            <dt>Public URL</dt>
            <dd>
              <code>{s.publicUrl}</code>
            </dd>
            <dt>Marketplace URL</dt>
            <dd>
              <code>{s.marketplaceUrl}</code>
            </dd>
            <dt>Tenant pool domains</dt>
            <dd>
              <Values items={s.tenantPoolDomains} />
            </dd>
            <dt>Sovereign pool domains</dt>
            <dd>
              <Values items={s.sovereignPoolDomains} />
            </dd>
            <dt>Mail</dt>
            <dd>{s.mailMode === 'smtp' ? 'SMTP' : 'Dev outbox (not sent)'}</dd>
            <dt>Events</dt>
            <dd>{s.eventsMode === 'nats' ? 'NATS' : 'In-process'}</dd>
            <dt>Plans</dt>
            <dd>
              {s.plans.length === 0 ? (
                <span className="muted">None</span>
              ) : (
                <ul className="plain-list">
                  {s.plans.map((plan) => (
                    <li key={plan.id}>
                      {plan.name} <span className="muted">({plan.id})</span>: {plan.priceOmr} OMR
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
        )}
      </QueryState>
    </section>
  );
}
