import { defaultSmtpPorts, type SmtpSecurity } from '@catalyst/contracts';
import { useState } from 'react';
import { Field } from '../../components/Field';
import { useStepUpdate } from './fields';
import { useWizard } from './store';
import { fieldError } from './validation';

const securities: { id: SmtpSecurity; label: string }[] = [
  { id: 'starttls', label: 'STARTTLS (usually port 587)' },
  { id: 'tls', label: 'TLS from the start (usually port 465)' },
  { id: 'none', label: 'None: plain SMTP (usually port 25)' },
];

/**
 * The Sovereign's own SMTP server, optional and collapsed by default: its Catalyst mails sign-in codes
 * and vouchers through it. The password stays in memory only, like the Hetzner token.
 */
export function OutboundMail() {
  const { state } = useWizard();
  const set = useStepUpdate();
  const [shown, setShown] = useState(false);
  const error = (field: string) => fieldError(state, 5, `smtp.${field}`);

  return (
    <section className="sov-subsection" aria-labelledby="sov-mail-title" data-testid="outbound-mail">
      <h3 id="sov-mail-title">Outbound mail (optional)</h3>
      <label className="sov-toggle">
        <input
          type="checkbox"
          data-testid="smtp-enabled"
          checked={state.smtpEnabled}
          onChange={(e) => set((s) => ({ ...s, smtpEnabled: e.target.checked }))}
        />
        <span>
          <strong>Use my SMTP server</strong>
          <span className="muted">
            {' '}
            — the Sovereign mails sign-in codes and vouchers from it; without one, mail waits in its dev
            outbox
          </span>
        </span>
      </label>
      {state.smtpEnabled && (
        <div className="sov-grid-2">
          <Field compact label="SMTP server" hint="e.g. smtp.acme.example" error={error('host')}>
            {(control) => (
              <input
                {...control}
                data-testid="smtp-host-input"
                autoComplete="off"
                spellCheck={false}
                value={state.smtpHost}
                onChange={(e) => set((s) => ({ ...s, smtpHost: e.target.value }))}
              />
            )}
          </Field>
          <Field compact label="Security" error={error('security')}>
            {(control) => (
              <select
                {...control}
                data-testid="smtp-security-select"
                value={state.smtpSecurity}
                onChange={(e) => set((s) => ({ ...s, smtpSecurity: e.target.value as SmtpSecurity }))}
              >
                {securities.map((option) => (
                  <option key={option.id} value={option.id}>
                    {option.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            compact
            label="Port"
            hint={`Empty: ${defaultSmtpPorts[state.smtpSecurity]}`}
            error={error('port')}
          >
            {(control) => (
              <input
                {...control}
                data-testid="smtp-port-input"
                inputMode="numeric"
                placeholder={String(defaultSmtpPorts[state.smtpSecurity])}
                value={state.smtpPort}
                onChange={(e) => set((s) => ({ ...s, smtpPort: e.target.value.trim() }))}
              />
            )}
          </Field>
          <Field compact label="Sender" hint="e.g. Acme <no-reply@acme.example>" error={error('from')}>
            {(control) => (
              <input
                {...control}
                data-testid="smtp-from-input"
                autoComplete="off"
                value={state.smtpFrom}
                onChange={(e) => set((s) => ({ ...s, smtpFrom: e.target.value }))}
              />
            )}
          </Field>
          <Field compact label="User name (optional)" error={error('username')}>
            {(control) => (
              <input
                {...control}
                data-testid="smtp-username-input"
                autoComplete="off"
                spellCheck={false}
                value={state.smtpUsername}
                onChange={(e) => set((s) => ({ ...s, smtpUsername: e.target.value }))}
              />
            )}
          </Field>
          <Field
            compact
            label="Password (optional)"
            hint="Not kept when the page reloads"
            error={error('password')}
          >
            {(control) => (
              <div className="sov-secret">
                <input
                  {...control}
                  data-testid="smtp-password-input"
                  type={shown ? 'text' : 'password'}
                  autoComplete="new-password"
                  spellCheck={false}
                  value={state.smtpPassword}
                  onChange={(e) => set((s) => ({ ...s, smtpPassword: e.target.value }))}
                />
                <button
                  type="button"
                  className="button button--secondary button--small"
                  data-testid="smtp-password-toggle"
                  aria-pressed={shown}
                  onClick={() => setShown((v) => !v)}
                >
                  {shown ? 'Hide' : 'Show'}
                </button>
              </div>
            )}
          </Field>
        </div>
      )}
    </section>
  );
}
