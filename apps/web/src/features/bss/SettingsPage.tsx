import type { ReactNode } from 'react';
import { EmptyOr } from '../../components/EmptyOr';
import { QueryState } from '../../components/QueryState';
import { ValueList } from '../../components/ValueList';
import { useSettings } from './queries';

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="settings__row">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** How this sovereign's business side is configured (read-only: it comes from the environment). */
export function SettingsPage() {
  const settings = useSettings();
  return (
    <section className="card" aria-labelledby="settings-title">
      <h2 id="settings-title" className="card__title">
        Settings
      </h2>
      <p className="muted">Read-only: these come from the server's configuration.</p>
      <QueryState query={settings} what="the settings">
        {(s) => (
          <dl className="settings">
            <Row term="Public URL">
              <code>{s.publicUrl}</code>
            </Row>
            <Row term="Marketplace URL">
              <code>{s.marketplaceUrl}</code>
            </Row>
            <Row term="Tenant pool domains">
              <ValueList items={s.tenantPoolDomains} />
            </Row>
            <Row term="Sovereign pool domains">
              <ValueList items={s.sovereignPoolDomains} />
            </Row>
            <Row term="Mail">{s.mailMode === 'smtp' ? 'SMTP' : 'Dev outbox (not sent)'}</Row>
            <Row term="Events">{s.eventsMode === 'nats' ? 'NATS' : 'In-process'}</Row>
            <Row term="Plans">
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
            </Row>
          </dl>
        )}
      </QueryState>
    </section>
  );
}
