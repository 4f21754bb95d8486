import { Link, Outlet } from '@tanstack/react-router';
import { canUseBss } from '../../lib/roles';
import { useMe } from '../auth/queries';
import './console.css';

/** The console's sections, in sidebar order. */
export const consoleSections = [
  { id: 'dashboard', to: '/console/', label: 'Dashboard' },
  { id: 'apps', to: '/console/apps', label: 'Apps' },
  { id: 'jobs', to: '/console/jobs', label: 'Jobs' },
  { id: 'domains', to: '/console/domains', label: 'Domains' },
  { id: 'billing', to: '/console/billing', label: 'Billing' },
  { id: 'team', to: '/console/team', label: 'Team' },
  { id: 'settings', to: '/console/settings', label: 'Settings' },
] as const;

/** 224 px, Tailwind's `w-56`: the original Sovereign admin sidebar. */
export const SIDEBAR_WIDTH_PX = 224;

/** The Sovereign console: a sidebar and the section, for sovereign-admins and superadmins. */
export function ConsoleLayout() {
  const me = useMe();
  if (!canUseBss(me.data)) {
    return (
      <section className="page">
        <div className="card" data-testid="console-forbidden">
          <h1 className="card__title">You need the sovereign-admin role</h1>
          <p className="muted">
            The Sovereign console is for sovereign-admins and superadmins. You are signed in as{' '}
            <strong>{me.data?.email ?? 'someone else'}</strong>
            {me.data ? ` (${me.data.roles.join(', ') || 'no roles'})` : ''}; ask an administrator of this
            Sovereign for access.
          </p>
        </div>
      </section>
    );
  }
  return (
    <div className="console" data-testid="console-shell">
      <aside
        className="console-sidebar w-56"
        data-testid="admin-sidebar"
        style={{ width: SIDEBAR_WIDTH_PX }}
        aria-label="Sovereign console"
      >
        <p className="console-sidebar__title">Sovereign console</p>
        <nav aria-label="Console">
          <ul className="console-nav">
            {consoleSections.map((section) => (
              <li key={section.id}>
                <Link
                  to={section.to}
                  className="console-nav__link"
                  data-testid={`console-nav-${section.id}`}
                  activeOptions={{ exact: section.id === 'dashboard', includeSearch: false }}
                >
                  {section.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <div className="console-content">
        <Outlet />
      </div>
    </div>
  );
}
