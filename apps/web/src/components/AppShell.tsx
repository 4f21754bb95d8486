import { Link, Outlet } from '@tanstack/react-router';
import { useMe } from '../features/auth/queries';
import { MailOutboxBanner } from '../features/mail/MailOutboxBanner';
import { useMode } from '../features/meta/queries';
import { navItemsFor } from '../lib/roles';
import { ThemeToggle } from './ThemeToggle';
import { UserMenu } from './UserMenu';

export function AppShell() {
  const me = useMe();
  const mode = useMode();
  // Nothing until the api says who is signed in, so no tab shows that the role may not use.
  const navItems = me.isPending ? [] : navItemsFor(me.data, mode);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <MailOutboxBanner />
      <header className="app-header">
        <div className="app-header__inner">
          <Link to="/" className="brand">
            <LogoMark />
            <span>Catalyst</span>
          </Link>
          <nav className="main-nav" aria-label="Main">
            <ul>
              {navItems.map((item) => (
                <li key={item.to}>
                  <Link to={item.to} className="main-nav__link">
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="app-header__actions">
            <ThemeToggle />
            <UserMenu />
          </div>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="app-footer">
        <p>Catalyst · the control plane for sovereign clouds</p>
      </footer>
    </div>
  );
}

function LogoMark() {
  return (
    <svg
      className="brand__mark"
      viewBox="0 0 32 32"
      width="28"
      height="28"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="32" height="32" rx="7" fill="var(--accent)" />
      <path
        d="M20.5 10.5a8 8 0 1 0 0 11"
        fill="none"
        stroke="var(--accent-contrast)"
        strokeWidth="3.2"
        strokeLinecap="round"
      />
    </svg>
  );
}
