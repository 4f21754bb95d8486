import type { AppInstall, AppStatus, CatalogApp } from '@catalyst/contracts';
import { EmptyOr } from '../../components/EmptyOr';
import { formatOmr } from '../../lib/money';

/** What a card says about its app's install in the chosen environment. */
function installedNote(status: AppStatus, environment: string, canManage: boolean): string {
  switch (status) {
    case 'installing':
      return `Installing in ${environment}…`;
    case 'failed':
      return canManage
        ? `Failed in ${environment}: retry or uninstall it below.`
        : `Failed in ${environment}.`;
    case 'suspended':
      return `Suspended in ${environment}.`;
    case 'uninstalling':
      return `Being uninstalled from ${environment}; install it again once it is gone.`;
    default:
      return `Installed in ${environment}.`;
  }
}

/**
 * The apps on offer, each with its monthly price, what installing it leaves in the wallet, and whether
 * it brings its own PostgreSQL.
 */
export function AppCatalog({
  apps,
  installs,
  environment,
  balanceBaisa,
  installingAppId,
  onInstall,
  readOnlyReason,
}: {
  apps: CatalogApp[];
  installs: AppInstall[];
  environment: string | undefined;
  /** Undefined while the wallet is loading (or failed to). */
  balanceBaisa: number | undefined;
  installingAppId: string | undefined;
  onInstall: (app: CatalogApp) => void;
  /** Why this user may not install (a member); the cards are then for reading only. */
  readOnlyReason?: string;
}) {
  return (
    <EmptyOr items={apps} empty="No apps are offered yet.">
      {(list) => (
        <ul className="tile-grid">
          {list.map((app) => {
            // Until the cluster has removed it, an install holds its app's place in the environment.
            const existing = environment
              ? installs.find(
                  (install) =>
                    install.appId === app.id &&
                    install.environment === environment &&
                    install.status !== 'removed',
                )
              : undefined;
            const installed = existing !== undefined;
            const after = balanceBaisa === undefined ? undefined : balanceBaisa - app.monthlyPriceBaisa;
            const short = after !== undefined && after < 0;
            const busy = installingAppId === app.id;
            const disabled =
              readOnlyReason !== undefined ||
              !environment ||
              installed ||
              after === undefined ||
              short ||
              installingAppId !== undefined;
            const noteId = `app-${app.id}-note`;
            let note: string;
            if (existing)
              note = installedNote(existing.status, environment ?? '', readOnlyReason === undefined);
            else if (readOnlyReason) note = readOnlyReason;
            else if (!environment) note = 'Pick or create an environment first.';
            else if (after === undefined) note = 'Checking your balance…';
            else if (short)
              note = `Not enough credit: needs ${formatOmr(app.monthlyPriceBaisa)}, you have ${formatOmr(balanceBaisa ?? 0)}.`;
            else note = `Balance after install: ${formatOmr(after)}`;
            return (
              <li key={app.id} className="app-card" data-testid={`app-card-${app.id}`}>
                <h3 className="app-card__name">{app.name}</h3>
                <p className="app-card__description muted">{app.description}</p>
                {app.postgres && (
                  <p className="app-card__postgres" data-testid="app-postgres">
                    Includes its own PostgreSQL
                  </p>
                )}
                <p className="app-card__price">
                  <strong>{formatOmr(app.monthlyPriceBaisa)}</strong> <span className="muted">/ month</span>
                </p>
                <p id={noteId} className={short ? 'app-card__note app-card__note--short' : 'app-card__note'}>
                  {note}
                </p>
                <button
                  type="button"
                  className="button button--block"
                  onClick={() => onInstall(app)}
                  disabled={disabled}
                  aria-label={`Install ${app.name}`}
                  aria-describedby={noteId}
                  aria-busy={busy || undefined}
                >
                  {busy && <span className="spinner spinner--inline" aria-hidden="true" />}
                  {installed ? 'Installed' : busy ? 'Installing…' : 'Install'}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </EmptyOr>
  );
}
