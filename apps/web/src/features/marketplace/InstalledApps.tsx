import type { AppInstall, CatalogApp } from '@catalyst/contracts';
import { DataTable } from '../../components/DataTable';
import { formatOmr } from '../../lib/money';

const STATUS_LABELS: Record<AppInstall['status'], string> = {
  installing: 'Installing',
  running: 'Running',
  uninstalled: 'Uninstalled',
};

/** What the organisation runs: app, environment, status, address, and Uninstall. */
export function InstalledApps({
  installs,
  catalog,
  onUninstall,
}: {
  installs: AppInstall[];
  catalog: CatalogApp[];
  onUninstall: (install: AppInstall, name: string) => void;
}) {
  const live = installs.filter((install) => install.status !== 'uninstalled');
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
            <span className={`badge badge--${install.status}`} data-testid="install-status">
              {STATUS_LABELS[install.status]}
            </span>
          ),
        },
        {
          header: 'Address',
          cell: (install) => (
            <a href={install.url} target="_blank" rel="noreferrer" data-testid="install-url">
              {install.url}
            </a>
          ),
        },
        { header: 'Monthly', numeric: true, cell: (install) => formatOmr(install.monthlyPriceBaisa) },
        {
          header: <span className="visually-hidden">Actions</span>,
          className: 'table__actions',
          cell: (install) => {
            const name = nameOf(install.appId);
            return (
              <button
                type="button"
                className="button button--danger-outline button--small"
                onClick={() => onUninstall(install, name)}
                aria-label={`Uninstall ${name} from ${install.environment}`}
              >
                Uninstall
              </button>
            );
          },
        },
      ]}
    />
  );
}
