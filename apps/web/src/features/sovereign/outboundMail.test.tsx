import { provisionRequestSchema } from '@catalyst/contracts';
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, stubApi } from '../../test/api';
import { initialWizardState, loadWizardState, STORAGE_KEY } from './store';
import { renderWizard } from './testUtils';
import { buildRequest, stepIssues, stepOfPath } from './validation';

const PASSWORD = 'smtp-Secret-4711';
const domainReady = {
  step: 5,
  domainMode: 'byo-manual' as const,
  byoDomain: 'cloud.acme.io',
  adminEmail: 'ops@acme.example',
};
const type = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('Outbound mail (Domain step)', () => {
  it('stays collapsed until asked, checks each field on Continue, and reviews host:port and sender only', async () => {
    stubApi({ 'GET /api/v1/bss/settings': () => apiError(403, 'forbidden', 'Needs sovereign-admin') });
    const { container } = renderWizard(domainReady);
    expect(await screen.findByTestId('outbound-mail')).toBeTruthy();
    expect(screen.getByTestId('outbound-mail').textContent).toContain('sign-in codes and vouchers');
    expect(screen.queryByTestId('smtp-host-input')).toBeNull();

    fireEvent.click(screen.getByTestId('smtp-enabled'));
    type('smtp-host-input', 'smtp.acme.example');
    type('smtp-port-input', '0');
    type('smtp-from-input', 'no-reply');
    type('smtp-password-input', PASSWORD);
    expect((screen.getByTestId('smtp-password-input') as HTMLInputElement).type).toBe('password');
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('wizard-step-6').getAttribute('aria-current')).toBe('step');
    expect(screen.getByText('The port is a number from 1 to 65535')).toBeTruthy();
    expect(screen.getByText(/Enter a mailbox/)).toBeTruthy();
    expect(screen.getByText(/Enter the user name that goes with the password/)).toBeTruthy();

    type('smtp-port-input', '');
    expect((screen.getByTestId('smtp-port-input') as HTMLInputElement).placeholder).toBe('587');
    type('smtp-from-input', 'Acme <no-reply@acme.example>');
    type('smtp-username-input', 'mailer');
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('wizard-step-7').getAttribute('aria-current')).toBe('step');
    expect(screen.getByTestId('review-smtp').textContent).toBe('smtp.acme.example:587');
    expect(screen.getByTestId('review-smtp-from').textContent).toBe('Acme <no-reply@acme.example>');
    expect(container.textContent).not.toContain(PASSWORD);

    // Everything but the password is kept for a reload.
    const saved = window.localStorage.getItem(STORAGE_KEY) ?? '';
    expect(saved).not.toContain(PASSWORD);
    expect(saved).toContain('smtp.acme.example');
    const restored = loadWizardState();
    expect(restored).toMatchObject({
      smtpEnabled: true,
      smtpHost: 'smtp.acme.example',
      smtpUsername: 'mailer',
      smtpFrom: 'Acme <no-reply@acme.example>',
      smtpPassword: '',
    });
    // …so after one the Domain step asks for the password again.
    expect(stepIssues(restored, 5).map((i) => i.path)).toContain('smtp.password');
  });

  it('says on Review that the Sovereign keeps mail in its dev outbox when no server is given', async () => {
    stubApi({ 'GET /api/v1/bss/settings': () => apiError(403, 'forbidden', 'Needs sovereign-admin') });
    renderWizard({ ...domainReady, step: 6 });
    expect((await screen.findByTestId('review-smtp')).textContent).toContain('dev outbox');
  });
});

describe('the request the wizard sends', () => {
  it('carries smtp only when enabled, with the usual port filled in by the schema', () => {
    const state = { ...initialWizardState(), ...domainReady };
    expect('smtp' in buildRequest(state)).toBe(false);
    const request = buildRequest({
      ...state,
      smtpEnabled: true,
      smtpHost: 'SMTP.acme.example',
      smtpSecurity: 'tls',
      smtpFrom: 'no-reply@acme.example',
    });
    expect(request.smtp).toEqual({
      host: 'SMTP.acme.example',
      security: 'tls',
      from: 'no-reply@acme.example',
    });
    const parsed = provisionRequestSchema.shape.smtp.parse(request.smtp);
    expect(parsed).toEqual({
      host: 'smtp.acme.example',
      port: 465,
      security: 'tls',
      from: 'no-reply@acme.example',
    });
    expect(stepOfPath('smtp.from')).toBe(5);
  });
});
