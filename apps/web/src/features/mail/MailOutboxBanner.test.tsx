import { mailStatusSchema, metaSchema } from '@catalyst/contracts';
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, apiError, stubApi, unauthenticated } from '../../test/api';
import { renderApp } from '../../test/renderApp';
import { mailKeys } from './queries';

describe('MailOutboxBanner', () => {
  it('tells everyone, before signing in too, that mail is not delivered when the api keeps it in the outbox', async () => {
    stubApi({
      'GET /auth/me': unauthenticated,
      'GET /api/v1/mail-status': () => answer(mailStatusSchema, { delivery: 'dev-outbox' }),
    });
    renderApp('/login');
    const banner = await screen.findByTestId('mail-outbox-banner');
    expect(banner.textContent).toContain('Mail is not being delivered');
    expect(banner.textContent).toContain('sign-in codes');
    expect(await screen.findByLabelText('E-mail')).toBeTruthy();
  });

  it('tells a Sovereign how to get its mail delivered: the catalyst-smtp Secret', async () => {
    stubApi({
      'GET /auth/me': unauthenticated,
      'GET /api/v1/meta': () => answer(metaSchema, { mode: 'sovereign' }),
      'GET /api/v1/mail-status': () => answer(mailStatusSchema, { delivery: 'dev-outbox' }),
    });
    renderApp('/login');
    await waitFor(() =>
      expect(screen.getByTestId('mail-outbox-banner').textContent).toContain('This Sovereign'),
    );
    const text = screen.getByTestId('mail-outbox-banner').textContent ?? '';
    expect(text).toContain('sign-in codes and vouchers');
    expect(text).toContain('/api/v1/admin/mail-outbox');
    expect(text).toContain('catalyst-smtp');
    expect(text).toContain('catalyst-system');
  });

  it('stays away when mail goes out over SMTP', async () => {
    stubApi({
      'GET /auth/me': unauthenticated,
      'GET /api/v1/mail-status': () => answer(mailStatusSchema, { delivery: 'smtp' }),
    });
    const { queryClient } = renderApp('/login');
    expect(await screen.findByLabelText('E-mail')).toBeTruthy();
    await waitFor(() => expect(queryClient.getQueryState(mailKeys.status())?.status).toBe('success'));
    expect(screen.queryByTestId('mail-outbox-banner')).toBeNull();
  });

  it('says nothing when the status cannot be read', async () => {
    stubApi({
      'GET /auth/me': unauthenticated,
      'GET /api/v1/mail-status': () => apiError(503, 'unavailable', 'Try again'),
    });
    const { queryClient } = renderApp('/login');
    expect(await screen.findByLabelText('E-mail')).toBeTruthy();
    await waitFor(() => expect(queryClient.getQueryState(mailKeys.status())?.status).toBe('error'));
    expect(screen.queryByTestId('mail-outbox-banner')).toBeNull();
  });
});
