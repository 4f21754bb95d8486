import type { AppInstall, CatalogApp } from '@catalyst/contracts';
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
  if (live.length === 0) return <p className="muted">No apps installed yet.</p>;
  const nameOf = (appId: string) => catalog.find((app) => app.id === appId)?.name ?? appId;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Installed apps">
        <thead>
          <tr>
            <th scope="col">App</th>
            <th scope="col">Environment</th>
            <th scope="col">Status</th>
            <th scope="col">Address</th>
            <th scope="col" className="table__number">
              Monthly
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {live.map((install) => {
            const name = nameOf(install.appId);
            return (
              <tr key={install.id} data-testid={`install-row-${install.appId}-${install.environment}`}>
                <th scope="row">{name}</th>
                <td>{install.environment}</td>
                <td>
                  <span className={`badge badge--${install.status}`} data-testid="install-status">
                    {STATUS_LABELS[install.status]}
                  </span>
                </td>
                <td>
                  <a href={install.url} target="_blank" rel="noreferrer" data-testid="install-url">
                    {install.url}
                  </a>
                </td>
                <td className="table__number">{formatOmr(install.monthlyPriceBaisa)}</td>
                <td className="table__actions">
                  <button
                    type="button"
                    className="button button--danger-outline button--small"
                    onClick={() => onUninstall(install, name)}
                    aria-label={`Uninstall ${name} from ${install.environment}`}
                  >
                    Uninstall
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
