import type { AppInstall, AppStatus, CatalogApp } from '@catalyst/contracts';
import { DataTable } from '../../components/DataTable';
import { formatOmr } from '../../lib/money';

const STATUS_LABELS: Record<AppStatus, string> = {
  installing: 'Installing…',
  running: 'Running',
  failed: 'Failed',
  suspended: 'Suspended',
  uninstalling: 'Uninstalling…',
  removed: 'Removed',
};

/**
 * What the organisation runs: app, environment, live status (with Flux's message when it failed and
 * the reason when it is suspended), the address once it runs, and Retry or Uninstall.
 */
export function InstalledApps({
  installs,
  catalog,
  retryingId,
  canManage = true,
  onRetry,
  onUninstall,
}: {
  installs: AppInstall[];
  catalog: CatalogApp[];
  /** The install whose retry is being sent. */
  retryingId: string | undefined;
  /** False for a member: no Retry or Uninstall. */
  canManage?: boolean;
  onRetry: (install: AppInstall, name: string) => void;
  onUninstall: (install: AppInstall, name: string) => void;
}) {
  // The api leaves removed installs out; a stale answer may still hold one.
  const live = installs.filter((install) => install.status !== 'removed');
  const nameOf = (appId: string) => catalog.find((app) => app.id === appId)?.name ?? appId;
  return (
    <DataTable
      label="Installed apps"
      rows={live}
      rowKey={(install) => install.id}
      rowTestId={(install) => `install-row-${install.appId}-${install.environment}`}
      empty="No apps installed yet."
      columns={[
        { header: 'App', cell: (install) => nameOf(install.appId) },
        { header: 'Environment', cell: (install) => install.environment },
        {
          header: 'Status',
          cell: (install) => (
            <>
              <span className={`badge badge--${install.status}`} data-testid="install-status">
                {install.status === 'installing' || install.status === 'uninstalling' ? (
                  <span className="spinner spinner--inline" aria-hidden="true" />
                ) : null}
                {STATUS_LABELS[install.status]}
              </span>
              {(install.status === 'failed' || install.status === 'suspended') && install.message && (
                <p
                  className={`install-message install-message--${install.status}`}
                  data-testid="install-message"
                >
                  {install.message}
                </p>
              )}
            </>
          ),
        },
        {
          header: 'Address',
          // Only a running app answers at its address: anything else would be a dead link.
          cell: (install) =>
            install.status === 'running' ? (
              <a href={install.url} target="_blank" rel="noreferrer" data-testid="install-url">
                {install.url}
              </a>
            ) : (
              <span className="muted install-address" data-testid="install-address">
                {install.url}
              </span>
            ),
        },
        { header: 'Monthly', numeric: true, cell: (install) => formatOmr(install.monthlyPriceBaisa) },
        {
          header: <span className="visually-hidden">Actions</span>,
          className: 'table__actions',
          cell: (install) => {
            if (!canManage) return null;
            const name = nameOf(install.appId);
            const retrying = retryingId === install.id;
            return (
              <div className="install-actions">
                {install.status === 'failed' && (
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => onRetry(install, name)}
                    disabled={retrying}
                    aria-busy={retrying || undefined}
                    aria-label={`Retry ${name} in ${install.environment}`}
                  >
                    {retrying && <span className="spinner spinner--inline" aria-hidden="true" />}
                    Retry
                  </button>
                )}
                {install.status !== 'uninstalling' && (
                  <button
                    type="button"
                    className="button button--danger-outline button--small"
                    onClick={() => onUninstall(install, name)}
                    aria-label={`Uninstall ${name} from ${install.environment}`}
                  >
                    Uninstall
                  </button>
                )}
              </div>
            );
          },
        },
      ]}
    />
  );
}
