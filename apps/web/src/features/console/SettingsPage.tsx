import { EmptyOr } from '../../components/EmptyOr';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { ValueList } from '../../components/ValueList';
import { useSettings } from '../bss/queries';

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
              <ValueList items={s.tenantPoolDomains} />
            </dd>
            <dt>Sovereign pool domains</dt>
            <dd>
              <ValueList items={s.sovereignPoolDomains} />
            </dd>
            <dt>Mail</dt>
            <dd>{s.mailMode === 'smtp' ? 'SMTP' : 'Dev outbox (not sent)'}</dd>
            <dt>Events</dt>
            <dd>{s.eventsMode === 'nats' ? 'NATS' : 'In-process'}</dd>
            <dt>Plans</dt>
            <dd>
              <EmptyOr items={s.plans} empty="None" inline>
                {(plans) => (
                  <ul className="plain-list">
                    {plans.map((plan) => (
                      <li key={plan.id}>
                        {plan.name} <span className="muted">({plan.id})</span>: {plan.priceOmr} OMR
                      </li>
                    ))}
                  </ul>
                )}
              </EmptyOr>
            </dd>
          </dl>
        )}
      </QueryState>
    </section>
  );
}
