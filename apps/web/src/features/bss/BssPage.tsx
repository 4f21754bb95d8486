import { Link, Outlet } from '@tanstack/react-router';
import { PageHeader } from '../../components/PageHeader';
import './bss.css';
import { canUseBss } from '../../lib/roles';
import { useMe } from '../auth/queries';

export const bssSections = [
  { to: '/bss/vouchers', label: 'Vouchers', blurb: 'Issue credit vouchers, e-mail them, and revoke them.' },
  {
    to: '/bss/tenants',
    label: 'Tenants',
    blurb: 'Organisations on this sovereign, their owners and balances.',
  },
  { to: '/bss/orders', label: 'Orders', blurb: 'Every checkout, with its plan, voucher and total.' },
  { to: '/bss/settings', label: 'Settings', blurb: 'Marketplace address, pool domains and plans.' },
] as const;

/** The BSS area: vouchers, tenants, orders, settings, for sovereign-admins and superadmins only. */
export function BssPage() {
  const me = useMe();
  const allowed = canUseBss(me.data);
  return (
    <section className="page">
      <PageHeader eyebrow="BSS" title="Business support">
        <p>Vouchers, tenants, orders and settings of the sovereign you operate.</p>
      </PageHeader>
      {allowed ? (
        <>
          <nav className="sub-nav" aria-label="Business support">
            <ul>
              {bssSections.map((section) => (
                <li key={section.to}>
                  <Link to={section.to} className="sub-nav__link">
                    {section.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <Outlet />
        </>
      ) : (
        <div className="card" data-testid="bss-forbidden">
          <h2 className="card__title">You need the sovereign-admin role</h2>
          <p className="muted">
            This area needs the sovereign-admin role (or superadmin). You are signed in as{' '}
            <strong>{me.data?.email ?? 'someone else'}</strong>; ask an administrator of this sovereign for
            access.
          </p>
        </div>
      )}
    </section>
  );
}

/** /bss/: where each section leads. */
export function BssOverview() {
  return (
    <ul className="tile-grid">
      {bssSections.map((section) => (
        <li key={section.to} className="card overview__item">
          <h2>
            <Link to={section.to}>{section.label}</Link>
          </h2>
          <p className="muted">{section.blurb}</p>
        </li>
      ))}
    </ul>
  );
}
