import {
  appInstallListSchema,
  catalogAppListSchema,
  checkoutResponseSchema,
  environmentListSchema,
  orgListSchema,
  redeemPreviewSchema,
  sessionResponseSchema,
  slugCheckResponseSchema,
  tenantPoolDomainsSchema,
  walletSchema,
} from '@catalyst/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, apiError, stubApi, testUser, unauthenticated } from '../../test/api';
import * as make from '../../test/factories';
import { renderApp } from '../../test/renderApp';

const preview =
  (acceptingRedemptions = true, status = 200) =>
  () =>
    answer(redeemPreviewSchema, make.redeemPreview({ acceptingRedemptions }), status);

const signedIn = () => answer(sessionResponseSchema, { user: testUser });
const noOrgs = () => answer(orgListSchema, { orgs: [] });
const slugCheck =
  (overrides: Parameters<typeof make.slugCheck>[0] = {}) =>
  () =>
    answer(slugCheckResponseSchema, make.slugCheck(overrides));

const poolDomains =
  (...domains: string[]) =>
  () =>
    answer(tenantPoolDomainsSchema, { poolDomains: domains });

const checkoutOk = () =>
  answer(
    checkoutResponseSchema,
    make.checkoutResponse({ org: { slug: 'acme-e2e', fqdn: 'acme-e2e.tenants.test' } }),
  );

/** What the marketplace asks for once the redeem page hands over. */
const marketplace = {
  'GET /billing/wallet': () => answer(walletSchema, make.wallet(100_000)),
  'GET /api/v1/catalog/apps': () => answer(catalogAppListSchema, { apps: [] }),
  'GET /api/v1/orgs/acme-e2e/environments': () => answer(environmentListSchema, { environments: [] }),
  'GET /api/v1/orgs/acme-e2e/apps': () => answer(appInstallListSchema, { apps: [] }),
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function headerOf(init: RequestInit | undefined, name: string): string | undefined {
  return (init?.headers as Record<string, string> | undefined)?.[name];
}

describe('RedeemPage', () => {
  it('previews a valid voucher and sends a visitor to sign up and back', async () => {
    const api = stubApi({
      'GET /auth/me': unauthenticated,
      'POST /billing/vouchers/redeem-preview': preview(),
    });
    renderApp('/redeem/?code=welcome-e2e');

    expect((await screen.findByTestId('voucher-credit')).textContent).toBe('100.000 OMR');
    expect(screen.getByText('Welcome to Catalyst')).toBeTruthy();
    const signUp = await screen.findByRole('link', { name: 'Sign up to redeem' });
    expect(signUp.getAttribute('href')).toBe('/login?redirect=%2Fredeem%2F%3Fcode%3DWELCOME-E2E');
    expect(api.callsTo('POST', '/billing/vouchers/redeem-preview')[0]?.body).toEqual({ code: 'welcome-e2e' });
    expect(screen.queryByLabelText('Organisation name')).toBeNull();
  });

  it('says so when the voucher is unknown (404)', async () => {
    stubApi({
      'GET /auth/me': unauthenticated,
      'POST /billing/vouchers/redeem-preview': () =>
        apiError(404, 'voucher_not_found', 'There is no such voucher.'),
    });
    renderApp('/redeem/?code=NOPE');

    expect(await screen.findByRole('heading', { name: 'We could not find this voucher' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Sign up to redeem' })).toBeNull();
    expect(screen.getByLabelText('Voucher code')).toBeTruthy();
  });

  it('says so when the voucher no longer accepts redemptions (410 with the preview body)', async () => {
    stubApi({
      'GET /auth/me': signedIn,
      'GET /api/v1/orgs': noOrgs,
      'POST /billing/vouchers/redeem-preview': preview(false, 410),
    });
    renderApp('/redeem/?code=WELCOME-E2E');

    expect(
      await screen.findByRole('heading', { name: 'This voucher is no longer accepting redemptions' }),
    ).toBeTruthy();
    expect(screen.getByText(/It was worth 100.000 OMR/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Redeem' })).toBeNull();
  });

  it('treats a 410 error body the same way', async () => {
    stubApi({
      'GET /auth/me': unauthenticated,
      'POST /billing/vouchers/redeem-preview': () => apiError(410, 'voucher_exhausted', 'Used up.'),
    });
    renderApp('/redeem/?code=WELCOME-E2E');

    expect(
      await screen.findByRole('heading', { name: 'This voucher is no longer accepting redemptions' }),
    ).toBeTruthy();
  });

  it('signed in: picks a subdomain with a live check, redeems with an Idempotency-Key, goes to the marketplace', async () => {
    const api = stubApi({
      'GET /auth/me': signedIn,
      'GET /api/v1/orgs': [noOrgs],
      'GET /api/v1/tenant/pool-domains': poolDomains('tenants.test'),
      'POST /billing/vouchers/redeem-preview': preview(),
      'GET /api/v1/tenant/slug-check?slug=acme-e2e': slugCheck(),
      'GET /api/v1/tenant/slug-check?slug=taken': slugCheck({ available: false, reason: 'already in use' }),
      'POST /billing/checkout': checkoutOk,
      ...marketplace,
    });
    const { router } = renderApp('/redeem/?code=WELCOME-E2E');

    fireEvent.change(await screen.findByLabelText('Organisation name'), { target: { value: 'Acme E2E' } });
    const subdomain = screen.getByLabelText('Subdomain') as HTMLInputElement;
    expect(subdomain.value).toBe('acme-e2e');
    expect((await screen.findByText('acme-e2e is available')).getAttribute('role')).toBe('status');
    // One tenant pool domain: nothing to choose, the address ends with it.
    await waitFor(() =>
      expect(screen.getByTestId('org-address-preview').textContent).toBe('acme-e2e.tenants.test'),
    );
    expect(screen.queryByLabelText('Domain')).toBeNull();

    fireEvent.change(subdomain, { target: { value: 'taken' } });
    expect(await screen.findByText('taken is not available: already in use')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Redeem' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(subdomain, { target: { value: 'acme-e2e' } });
    await screen.findByText('acme-e2e is available');
    fireEvent.click(screen.getByRole('button', { name: 'Redeem' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/marketplace/'));
    expect(router.state.location.search).toEqual({ org: 'acme-e2e' });
    const [call] = api.callsTo('POST', '/billing/checkout');
    expect(call?.body).toEqual({
      planId: 'starter',
      promoCode: 'WELCOME-E2E',
      orgName: 'Acme E2E',
      orgSlug: 'acme-e2e',
      poolDomain: 'tenants.test',
    });
    expect(headerOf(call?.init, 'idempotency-key')).toMatch(UUID);
    // Checks wait for typing to pause: nothing is asked for a half-typed name.
    expect(
      api.calls.filter((c) => c.path.startsWith('/api/v1/tenant/slug-check')).map((c) => c.path),
    ).toEqual(['/api/v1/tenant/slug-check?slug=acme-e2e', '/api/v1/tenant/slug-check?slug=taken']);
  });

  it('keeps the Idempotency-Key for a retry after a lost answer, and shows slug_taken at the field', async () => {
    const api = stubApi({
      'GET /auth/me': signedIn,
      'GET /api/v1/orgs': noOrgs,
      'GET /api/v1/tenant/pool-domains': () => apiError(500, 'internal_error', 'Something broke.'),
      'POST /billing/vouchers/redeem-preview': preview(),
      'GET /api/v1/tenant/slug-check?slug=acme-e2e': slugCheck(),
      'GET /api/v1/tenant/slug-check?slug=acme-two': slugCheck(),
      'POST /billing/checkout': [
        () => {
          throw new TypeError('Failed to fetch');
        },
        () => apiError(422, 'slug_taken', 'That subdomain was just taken.'),
        checkoutOk,
      ],
      ...marketplace,
    });
    const { router } = renderApp('/redeem/?code=WELCOME-E2E');

    fireEvent.change(await screen.findByLabelText('Organisation name'), { target: { value: 'Acme E2E' } });
    await screen.findByText('acme-e2e is available');
    // The pool domains could not be listed: no guess at the address, and the api picks its default.
    await waitFor(() => expect(api.callsTo('GET', '/api/v1/tenant/pool-domains')).toHaveLength(1));
    expect(screen.getByTestId('org-address-preview').textContent).toBe(
      "acme-e2e.(this sovereign's tenant domain)",
    );
    fireEvent.click(screen.getByRole('button', { name: 'Redeem' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Could not reach the server');
    expect(api.callsTo('POST', '/billing/checkout')[0]?.body).not.toHaveProperty('poolDomain');

    fireEvent.click(screen.getByRole('button', { name: 'Redeem' }));
    expect(await screen.findByText('That subdomain was just taken.')).toBeTruthy();
    expect(screen.getByLabelText('Subdomain').getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(screen.getByLabelText('Subdomain'), { target: { value: 'acme-two' } });
    await screen.findByText('acme-two is available');
    fireEvent.click(screen.getByRole('button', { name: 'Redeem' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/marketplace/'));

    const keys = api.callsTo('POST', '/billing/checkout').map((c) => headerOf(c.init, 'idempotency-key'));
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[1]);
    expect(api.callsTo('POST', '/billing/checkout')[2]?.body).toMatchObject({ orgSlug: 'acme-two' });
  });

  it('shows the tenant domain of an organisation the user already has, without a choice', async () => {
    const api = stubApi({
      'GET /auth/me': signedIn,
      'GET /api/v1/orgs': () =>
        answer(orgListSchema, {
          orgs: [make.org({ slug: 'first', name: 'First', fqdn: 'first.pool.example', role: 'owner' })],
        }),
      'POST /billing/vouchers/redeem-preview': preview(),
      'GET /api/v1/tenant/slug-check?slug=second': slugCheck(),
    });
    renderApp('/redeem/?code=WELCOME-E2E');

    fireEvent.change(await screen.findByLabelText('Organisation name'), { target: { value: 'Second' } });
    await waitFor(() =>
      expect(screen.getByTestId('org-address-preview').textContent).toBe('second.pool.example'),
    );
    expect(screen.queryByLabelText('Domain')).toBeNull();
    expect(api.callsTo('GET', '/api/v1/tenant/pool-domains')).toHaveLength(0);
  });

  it('lets a first organisation choose its pool domain and sends it with the checkout', async () => {
    const api = stubApi({
      'GET /auth/me': signedIn,
      'GET /api/v1/orgs': noOrgs,
      'GET /api/v1/tenant/pool-domains': poolDomains('tenants.test', 'apps.example.om'),
      'POST /billing/vouchers/redeem-preview': preview(),
      'GET /api/v1/tenant/slug-check?slug=acme-e2e': slugCheck(),
      'POST /billing/checkout': checkoutOk,
      ...marketplace,
    });
    const { router } = renderApp('/redeem/?code=WELCOME-E2E');

    fireEvent.change(await screen.findByLabelText('Organisation name'), { target: { value: 'Acme E2E' } });
    const domain = (await screen.findByLabelText('Domain')) as HTMLSelectElement;
    // The first is the default, and the address ends with the one chosen.
    expect(domain.value).toBe('tenants.test');
    expect([...domain.options].map((option) => option.value)).toEqual(['tenants.test', 'apps.example.om']);
    expect(screen.getByTestId('org-address-preview').textContent).toBe('acme-e2e.tenants.test');
    fireEvent.change(domain, { target: { value: 'apps.example.om' } });
    expect(screen.getByTestId('org-address-preview').textContent).toBe('acme-e2e.apps.example.om');

    await screen.findByText('acme-e2e is available');
    fireEvent.click(screen.getByRole('button', { name: 'Redeem' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/marketplace/'));
    expect(api.callsTo('POST', '/billing/checkout')[0]?.body).toEqual({
      planId: 'starter',
      promoCode: 'WELCOME-E2E',
      orgName: 'Acme E2E',
      orgSlug: 'acme-e2e',
      poolDomain: 'apps.example.om',
    });
  });
});
