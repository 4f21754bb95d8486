import type { ReactNode } from 'react';
import { QueryState } from '../../components/QueryState';
import { useSettings } from './queries';
import { settingsEntries } from './settingsEntries';

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
            {settingsEntries(s).map(({ term, value }) => (
              <Row key={term} term={term}>
                {value}
              </Row>
            ))}
          </dl>
        )}
      </QueryState>
    </section>
  );
}
