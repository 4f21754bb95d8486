import { redeemPreviewSchema, sessionResponseSchema } from '@catalyst/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, noContent, stubApi, testUser, unauthenticated } from './test/api';
import * as make from './test/factories';
import { renderApp } from './test/renderApp';

const signedIn = () => answer(sessionResponseSchema, { user: testUser });

describe('routes', () => {
  it('sends / to the start page of the role and shows the signed-in user', async () => {
    stubApi({
      'GET /auth/me': () => answer(sessionResponseSchema, { user: make.user({ roles: ['superadmin'] }) }),
    });
    const { router } = renderApp('/');

    // A superadmin of a mothership (stubApi's default meta) starts at the wizard; landing.test.tsx has every role.
    expect(await screen.findByRole('heading', { name: 'Provision a Sovereign' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/sovereign/');
    expect((await screen.findByTestId('current-user')).textContent).toBe('ada@example.com');
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
  });

  it.each(['/sovereign/', '/bss/', '/bss/vouchers', '/marketplace/'])(
    'sends a visitor without a session from %s to /login and back',
    async (path) => {
      stubApi({ 'GET /auth/me': unauthenticated });
      const { router } = renderApp(path);

      expect(await screen.findByLabelText('E-mail')).toBeTruthy();
      expect(router.state.location.pathname).toBe('/login');
      expect(router.state.location.search).toEqual({ redirect: path });
      expect(router.state.location.href).toBe(`/login?redirect=${encodeURIComponent(path)}`);
      expect(screen.queryByTestId('current-user')).toBeNull();
    },
  );

  it('shows public pages without a session, with a sign-in link', async () => {
    stubApi({ 'GET /auth/me': unauthenticated });
    renderApp('/redeem/');

    expect(await screen.findByRole('heading', { name: 'Redeem a voucher' })).toBeTruthy();
    const signIn = await screen.findByRole('link', { name: 'Sign in' });
    expect(signIn.getAttribute('href')).toBe('/login?redirect=%2Fredeem%2F');
  });

  it('shows the voucher code from the link as written', async () => {
    const api = stubApi({
      'GET /auth/me': unauthenticated,
      'POST /billing/vouchers/redeem-preview': () =>
        answer(
          redeemPreviewSchema,
          make.redeemPreview({ code: '000123', creditBaisa: 5_000, creditOmr: '5.000', description: '' }),
        ),
    });
    renderApp('/redeem/?code=000123');

    expect((await screen.findByTestId('voucher-code')).textContent).toBe('000123');
    expect((await screen.findByTestId('voucher-credit')).textContent).toBe('5.000 OMR');
    expect(api.callsTo('POST', '/billing/vouchers/redeem-preview')[0]?.body).toEqual({ code: '000123' });
  });

  it('renders the not-found page for unknown paths', async () => {
    stubApi({ 'GET /auth/me': unauthenticated });
    renderApp('/no/such/page');

    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
  });

  it('signs out and leaves the protected page', async () => {
    const api = stubApi({
      'GET /auth/me': signedIn,
      'POST /auth/logout': noContent,
    });
    const { router } = renderApp('/bss/');

    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(api.callsTo('POST', '/auth/logout')).toHaveLength(1);
    expect(router.state.location.search).toEqual({ redirect: '/bss/' });
    expect(screen.queryByTestId('current-user')).toBeNull();
  });
});
