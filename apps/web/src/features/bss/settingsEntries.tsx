import type { BssSettings } from '@catalyst/contracts';
import type { ReactNode } from 'react';
import { EmptyOr } from '../../components/EmptyOr';
import { ValueList } from '../../components/ValueList';

/** The settings as term and value, in order: the BSS and the console lay them out each their own way. */
export function settingsEntries(s: BssSettings): { term: string; value: ReactNode }[] {
  return [
    { term: 'Public URL', value: <code>{s.publicUrl}</code> },
    { term: 'Marketplace URL', value: <code>{s.marketplaceUrl}</code> },
    { term: 'Tenant pool domains', value: <ValueList items={s.tenantPoolDomains} /> },
    { term: 'Sovereign pool domains', value: <ValueList items={s.sovereignPoolDomains} /> },
    { term: 'Mail', value: s.mailMode === 'smtp' ? 'SMTP' : 'Dev outbox (not sent)' },
    { term: 'Events', value: s.eventsMode === 'nats' ? 'NATS' : 'In-process' },
    {
      term: 'Plans',
      value: (
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
      ),
    },
  ];
}
