import { Fragment } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useSettings } from '../bss/queries';
import { settingsEntries } from '../bss/settingsEntries';

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
