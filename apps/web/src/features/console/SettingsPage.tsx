import { Fragment } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useSettings } from '../bss/queries';
import { settingsEntries } from '../bss/settingsEntries';
import { useSovereignFacts } from './queries';
import { SovereignFacts } from './SovereignFacts';

/** The Sovereign's configuration, read-only (it comes from the server's environment). */
export function ConsoleSettingsPage() {
  const settings = useSettings();
  const facts = useSovereignFacts();
  return (
    <section className="console-page">
      <PageHeader eyebrow="Sovereign console" title="Settings">
        <p>Read-only: these values come from the server’s configuration.</p>
      </PageHeader>
      <QueryState query={facts} what="the Sovereign's facts">
        {(f) =>
          f ? (
            <SovereignFacts facts={f} heading="The Sovereign" />
          ) : (
            <p className="muted" data-testid="sovereign-facts-none">
              No facts about a Sovereign: this Catalyst has no facts file (CATALYST_SOVEREIGN_FILE), or its
              file was refused at start-up (the server's log says why).
            </p>
          )
        }
      </QueryState>
      <QueryState query={settings} what="the settings">
        {(s) => (
          <dl className="card console-dl console-settings" data-testid="console-settings">
            {settingsEntries(s).map(({ term, value }) => (
              <Fragment key={term}>
                <dt>{term}</dt>
                <dd>{value}</dd>
              </Fragment>
            ))}
          </dl>
        )}
      </QueryState>
    </section>
  );
}
