import { useMode } from '../meta/queries';
import { useMailStatus } from './queries';
import './mail.css';

/**
 * Shown on every page while SMTP is not configured: no mail leaves this Catalyst, so nobody should
 * wait for a sign-in code or a voucher mail. On a Sovereign it also says how to give it SMTP (the
 * kit reads Secret catalyst-smtp). Says nothing when the status cannot be read.
 */
export function MailOutboxBanner() {
  const status = useMailStatus();
  const mode = useMode();
  if (status.data?.delivery !== 'dev-outbox') return null;
  if (mode === 'sovereign')
    return (
      <aside className="mail-banner" data-testid="mail-outbox-banner" aria-label="Mail delivery">
        <strong>Mail is not being delivered.</strong> This Sovereign has no SMTP server, so sign-in codes and
        vouchers wait in its dev outbox: an admin reads them at <code>/api/v1/admin/mail-outbox</code> or
        under <code>/data/mail</code> in the catalyst pod. To send mail, create the Secret{' '}
        <code>catalyst-smtp</code> (<code>SMTP_URL</code>, <code>MAIL_FROM</code>) in{' '}
        <code>catalyst-system</code> and restart the catalyst deployment.
      </aside>
    );
  return (
    <aside className="mail-banner" data-testid="mail-outbox-banner" aria-label="Mail delivery">
      <strong>Mail is not being delivered.</strong> This Catalyst has no SMTP server, so sign-in codes and
      other mail wait in its dev outbox: the operator reads them from the files under the data directory (
      <code>mail/</code>) or, as a superadmin, at <code>/api/v1/admin/mail-outbox</code>.
    </aside>
  );
}
