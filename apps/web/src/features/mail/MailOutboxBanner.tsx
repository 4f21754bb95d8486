import { useMailStatus } from './queries';
import './mail.css';

/**
 * Shown on every page while SMTP is not configured: no mail leaves this Catalyst, so nobody should
 * wait for a sign-in code or a voucher mail. Says nothing when the status cannot be read.
 */
export function MailOutboxBanner() {
  const status = useMailStatus();
  if (status.data?.delivery !== 'dev-outbox') return null;
  return (
    <aside className="mail-banner" data-testid="mail-outbox-banner" aria-label="Mail delivery">
      <strong>Mail is not being delivered.</strong> This Catalyst has no SMTP server, so sign-in codes and
      other mail wait in its dev outbox: the operator reads them from the files under the data directory (
      <code>mail/</code>) or, as a superadmin, at <code>/api/v1/admin/mail-outbox</code>.
    </aside>
  );
}
