import {
  type AppInstall,
  appInstallListSchema,
  appInstallSchema,
  catalogAppListSchema,
  environmentListSchema,
  environmentSchema,
  orgListSchema,
  orgMemberListSchema,
  orgWalletSchema,
  sessionResponseSchema,
  walletSchema,
} from '@catalyst/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answer, apiError, stubApi, testUser } from '../../test/api';
import * as make from '../../test/factories';
import { renderApp } from '../../test/renderApp';

const org = make.org({ slug: 'acme-e2e', name: 'Acme E2E', fqdn: 'acme-e2e.tenants.test' });

const catalog = {
  apps: [
    make.catalogApp({
      id: 'wordpress',
      name: 'WordPress',
      description: 'Websites and blogs.',
      monthlyPriceBaisa: 5_000,
      monthlyPriceOmr: '5.000',
    }),
    make.catalogApp({
      id: 'nextcloud',
      name: 'Nextcloud',
      description: 'Files and calendars.',
      monthlyPriceBaisa: 8_000,
      monthlyPriceOmr: '8.000',
      postgres: true,
    }),
    make.catalogApp({
      id: 'bigcorp',
      name: 'BigCorp Suite',
      description: 'Too expensive.',
      monthlyPriceBaisa: 500_000,
      monthlyPriceOmr: '500.000',
    }),
  ],
};

const installed: AppInstall = make.appInstall({
  appId: 'wordpress',
  environment: 'production',
  url: 'https://wordpress.production.acme-e2e.tenants.test',
  status: 'installing',
});

const signedIn = () => answer(sessionResponseSchema, { user: testUser });
const wallet = (balanceBaisa: number) => () => answer(walletSchema, make.wallet(balanceBaisa));
const orgs = () => answer(orgListSchema, { orgs: [org] });
const apps = () => answer(catalogAppListSchema, catalog);
const environments =
  (...names: string[]) =>
  () =>
    answer(environmentListSchema, { environments: names.map((name) => make.environment(name)) });
const noInstalls = () => answer(appInstallListSchema, { apps: [] });
/** What the org's installs are paid from: the owner's wallet, so the same balance for the owner. */
const orgWallet = (balanceBaisa: number) => () =>
  answer(orgWalletSchema, { balanceBaisa, balanceOmr: (balanceBaisa / 1000).toFixed(3) });
const justTheOwner = () =>
  answer(orgMemberListSchema, {
    members: [
      { userId: testUser.id, email: testUser.email, role: 'owner', joinedAt: '2025-01-01T00:00:00.000Z' },
    ],
  });
const installList = (list: AppInstall[]) => answer(appInstallListSchema, { apps: list });

/** Lets the installs poll come round (fake timers that also follow real time). */
const nextPoll = () => act(() => vi.advanceTimersByTimeAsync(2_000));

/** A fake clock that still moves on its own, so Testing Library's waits keep working. */
function useFakeClock() {
  vi.useFakeTimers({ shouldAdvanceTime: true });
}

/** Signed in as the owner of acme-e2e (100.000 OMR), which has a production environment and nothing installed. */
const acmeWorkspace = {
  'GET /auth/me': signedIn,
  'GET /billing/wallet': wallet(100_000),
  'GET /api/v1/orgs': orgs,
  'GET /api/v1/catalog/apps': apps,
  'GET /api/v1/orgs/acme-e2e/environments': environments('production'),
  'GET /api/v1/orgs/acme-e2e/apps': noInstalls,
  'GET /api/v1/orgs/acme-e2e/wallet': orgWallet(100_000),
  'GET /api/v1/orgs/acme-e2e/members': justTheOwner,
};

describe('MarketplacePage', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('creates an environment, installs an app, follows it to running without reload, uninstalls it', async () => {
    useFakeClock();
    // A small fake of the api and its cluster, so each poll sees what happened meanwhile.
    let balance = 100_000;
    let created: string[] = [];
    let installs: AppInstall[] = [];
    const api = stubApi({
      'GET /auth/me': signedIn,
      'GET /billing/wallet': () => wallet(balance)(),
      'GET /api/v1/orgs/acme-e2e/wallet': () => orgWallet(balance)(),
      'GET /api/v1/orgs/acme-e2e/members': justTheOwner,
      'GET /api/v1/orgs': orgs,
      'GET /api/v1/catalog/apps': apps,
      'GET /api/v1/orgs/acme-e2e/environments': () => environments(...created)(),
      'POST /api/v1/orgs/acme-e2e/environments': (call) => {
        const { name } = call.body as { name: string };
        created = [...created, name];
        return answer(environmentSchema, make.environment(name), 201);
      },
      'GET /api/v1/orgs/acme-e2e/apps': () => installList(installs),
      'POST /api/v1/orgs/acme-e2e/environments/production/apps': () => {
        installs = [installed];
        return answer(appInstallSchema, installed, 201);
      },
      [`DELETE /api/v1/orgs/acme-e2e/apps/${installed.id}`]: () => {
        const leaving: AppInstall = { ...installed, status: 'uninstalling' };
        installs = [leaving];
        return answer(appInstallSchema, leaving, 202);
      },
    });
    renderApp('/marketplace/');

    await waitFor(() => expect(screen.getByTestId('wallet-balance').textContent).toBe('100.000 OMR'));
    expect(await screen.findByText('No apps installed yet.')).toBeTruthy();

    // No environment yet: installing waits for one.
    const install = (await screen.findByRole('button', { name: 'Install WordPress' })) as HTMLButtonElement;
    expect(install.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Environment name'), { target: { value: 'Production' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    const picker = (await screen.findByLabelText('Environment')) as HTMLSelectElement;
    expect(picker.value).toBe('production');
    expect(api.callsTo('POST', '/api/v1/orgs/acme-e2e/environments')[0]?.body).toEqual({
      name: 'production',
    });

    // Each card says what installing leaves; what the wallet cannot pay for is disabled.
    const wordpress = screen.getByTestId('app-card-wordpress');
    expect(within(wordpress).getByText('Balance after install: 95.000 OMR')).toBeTruthy();
    expect(within(wordpress).getByText('5.000 OMR')).toBeTruthy();
    const bigcorp = screen.getByTestId('app-card-bigcorp');
    expect(within(bigcorp).getByText(/Not enough credit/)).toBeTruthy();
    expect((within(bigcorp).getByRole('button') as HTMLButtonElement).disabled).toBe(true);

    await waitFor(() => expect(install.disabled).toBe(false));
    fireEvent.click(install);

    // Installing: the address is shown but not yet a link, since nothing answers there.
    const row = await screen.findByTestId('install-row-wordpress-production');
    expect(within(row).getByTestId('install-status').textContent).toBe('Installing…');
    expect(within(row).getByTestId('install-address').textContent).toBe(installed.url);
    expect(screen.queryByRole('link', { name: installed.url })).toBeNull();
    expect(api.callsTo('POST', '/api/v1/orgs/acme-e2e/environments/production/apps')[0]?.body).toEqual({
      appId: 'wordpress',
    });
    expect(
      await screen.findByText(
        'WordPress is being installed in production. Its address opens once it is running.',
      ),
    ).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Install WordPress' }) as HTMLButtonElement).disabled).toBe(
      true,
    );

    // Still installing at the next poll; then the cluster reports it Ready, and it is charged.
    await nextPoll();
    expect(within(row).getByTestId('install-status').textContent).toBe('Installing…');
    installs = [{ ...installed, status: 'running', paidUntil: '2026-02-01T10:00:00.000Z' }];
    balance -= installed.monthlyPriceBaisa;
    await nextPoll();
    const link = await screen.findByRole('link', { name: installed.url });
    expect(link.getAttribute('href')).toBe(installed.url);
    expect(
      within(screen.getByTestId('install-row-wordpress-production')).getByTestId('install-status')
        .textContent,
    ).toBe('Running');
    // The notice follows the install: it no longer says the address is yet to open.
    expect(screen.getByText('WordPress is running in production: its address is open.')).toBeTruthy();
    expect(screen.queryByText(/Its address opens once it is running/)).toBeNull();
    await waitFor(() => expect(screen.getByTestId('wallet-balance').textContent).toBe('95.000 OMR'));

    // Nothing is in flight any more: no more polling.
    const polled = api.callsTo('GET', '/api/v1/orgs/acme-e2e/apps').length;
    await act(() => vi.advanceTimersByTimeAsync(20_000));
    expect(api.callsTo('GET', '/api/v1/orgs/acme-e2e/apps')).toHaveLength(polled);

    fireEvent.click(screen.getByRole('button', { name: 'Uninstall WordPress from production' }));
    const dialog = await screen.findByRole('dialog', { name: 'Uninstall WordPress from production?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Uninstall' }));
    expect(await screen.findByText('WordPress is being uninstalled from production.')).toBeTruthy();
    expect(api.callsTo('DELETE', `/api/v1/orgs/acme-e2e/apps/${installed.id}`)).toHaveLength(1);
    await waitFor(() =>
      expect(
        within(screen.getByTestId('install-row-wordpress-production')).getByTestId('install-status')
          .textContent,
      ).toBe('Uninstalling…'),
    );
    expect(screen.queryByRole('link', { name: installed.url })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Uninstall WordPress from production' })).toBeNull();
    expect(
      within(screen.getByTestId('app-card-wordpress')).getByText(/Being uninstalled from production/),
    ).toBeTruthy();

    // The cluster has removed it: the api leaves it out, and the next poll shows that.
    installs = [];
    await nextPoll();
    expect(await screen.findByText('No apps installed yet.')).toBeTruthy();
    await waitFor(() =>
      expect((screen.getByRole('button', { name: 'Install WordPress' }) as HTMLButtonElement).disabled).toBe(
        false,
      ),
    );
  });

  it("shows Flux's message under a failed install and retries it; shows why a suspended one stopped", async () => {
    useFakeClock();
    const failed = make.appInstall({
      status: 'failed',
      message: 'install retries exhausted: context deadline exceeded',
    });
    const suspended = make.appInstall({
      id: '5b7f3c1e-2d4a-4e6b-9c8d-7a6b5c4d3e2f',
      appId: 'nextcloud',
      environment: 'production',
      url: 'https://nextcloud.production.acme-e2e.tenants.test',
      status: 'suspended',
      message: 'The wallet could not pay the month from 1 February 2026.',
      monthlyPriceBaisa: 8_000,
      paidUntil: '2026-02-01T00:00:00.000Z',
    });
    let installs: AppInstall[] = [failed, suspended];
    const api = stubApi({
      ...acmeWorkspace,
      'GET /api/v1/orgs/acme-e2e/apps': () => installList(installs),
      [`POST /api/v1/orgs/acme-e2e/apps/${failed.id}/retry`]: () => {
        const again: AppInstall = { ...failed, status: 'installing', message: null };
        installs = [again, suspended];
        return answer(appInstallSchema, again, 202);
      },
    });
    renderApp('/marketplace/');

    const failedRow = await screen.findByTestId('install-row-wordpress-production');
    expect(within(failedRow).getByTestId('install-status').textContent).toBe('Failed');
    expect(within(failedRow).getByTestId('install-message').textContent).toBe(
      'install retries exhausted: context deadline exceeded',
    );
    expect(within(failedRow).queryByRole('link')).toBeNull();
    // The failed install still holds its place: the card points to the row rather than installing twice.
    const card = screen.getByTestId('app-card-wordpress');
    expect(within(card).getByText('Failed in production: retry or uninstall it below.')).toBeTruthy();
    expect((within(card).getByRole('button') as HTMLButtonElement).disabled).toBe(true);

    const suspendedRow = screen.getByTestId('install-row-nextcloud-production');
    expect(within(suspendedRow).getByTestId('install-status').textContent).toBe('Suspended');
    expect(within(suspendedRow).getByTestId('install-message').textContent).toBe(
      'The wallet could not pay the month from 1 February 2026.',
    );
    expect(within(suspendedRow).queryByRole('link')).toBeNull();
    expect(within(suspendedRow).queryByRole('button', { name: /Retry/ })).toBeNull();
    expect(
      within(suspendedRow).getByRole('button', { name: 'Uninstall Nextcloud from production' }),
    ).toBeTruthy();

    // Nothing is in flight: the list is not polled.
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(api.callsTo('GET', '/api/v1/orgs/acme-e2e/apps')).toHaveLength(1);

    fireEvent.click(within(failedRow).getByRole('button', { name: 'Retry WordPress in production' }));
    expect(await screen.findByText('WordPress is being installed again in production.')).toBeTruthy();
    const retries = api.callsTo('POST', `/api/v1/orgs/acme-e2e/apps/${failed.id}/retry`);
    expect(retries).toHaveLength(1);
    await waitFor(() =>
      expect(
        within(screen.getByTestId('install-row-wordpress-production')).getByTestId('install-status')
          .textContent,
      ).toBe('Installing…'),
    );
    expect(screen.queryByText('install retries exhausted: context deadline exceeded')).toBeNull();

    // Installing again: polled until it settles.
    const polled = api.callsTo('GET', '/api/v1/orgs/acme-e2e/apps').length;
    await nextPoll();
    await waitFor(() =>
      expect(api.callsTo('GET', '/api/v1/orgs/acme-e2e/apps').length).toBeGreaterThan(polled),
    );
  });

  it('says when a retry is refused because the app is no longer failed', async () => {
    const failed = make.appInstall({ status: 'failed', message: 'chart pull failed' });
    stubApi({
      ...acmeWorkspace,
      'GET /api/v1/orgs/acme-e2e/apps': [
        () => installList([failed]),
        () => installList([{ ...failed, status: 'running', message: null }]),
      ],
      [`POST /api/v1/orgs/acme-e2e/apps/${failed.id}/retry`]: () =>
        apiError(409, 'app_not_failed', 'The app is running; only a failed app can be retried.'),
    });
    renderApp('/marketplace/');

    fireEvent.click(await screen.findByRole('button', { name: 'Retry WordPress in production' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not retry WordPress: The app is running; only a failed app can be retried.',
    );
    // The list is looked at again, so the row shows what the app really is now.
    expect(await screen.findByRole('link', { name: failed.url })).toBeTruthy();
  });

  it('tells the tenant the operator must connect a cluster when there is none (503)', async () => {
    const api = stubApi({
      ...acmeWorkspace,
      'POST /api/v1/orgs/acme-e2e/environments/production/apps': () =>
        apiError(503, 'cluster_unavailable', 'This Catalyst has no cluster to deploy apps into.'),
    });
    renderApp('/marketplace/');

    const install = (await screen.findByRole('button', { name: 'Install WordPress' })) as HTMLButtonElement;
    await waitFor(() => expect(install.disabled).toBe(false));
    fireEvent.click(install);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'Could not install WordPress: This Catalyst has no cluster to deploy apps into.',
    );
    expect(alert.textContent).toContain('its operator must connect one');
    expect(api.callsTo('POST', '/api/v1/orgs/acme-e2e/environments/production/apps')).toHaveLength(1);
    expect(screen.getByText('No apps installed yet.')).toBeTruthy();
  });

  it.each([
    [
      422,
      'insufficient_credit',
      'The wallet holds 1.000 OMR; the first month needs 5.000 OMR.',
      'Not enough credit to install WordPress. The wallet holds 1.000 OMR; the first month needs 5.000 OMR.',
    ],
    [
      409,
      'app_already_installed',
      'wordpress is already installed in production.',
      'Could not install WordPress: wordpress is already installed in production.',
    ],
    [
      422,
      'unknown_app',
      'There is no app wordpress in the catalog.',
      'Could not install WordPress: There is no app wordpress in the catalog.',
    ],
  ])('shows the api’s %i %s when an install is refused', async (status, code, message, shown) => {
    stubApi({
      ...acmeWorkspace,
      'POST /api/v1/orgs/acme-e2e/environments/production/apps': () => apiError(status, code, message),
    });
    renderApp('/marketplace/');

    const install = (await screen.findByRole('button', { name: 'Install WordPress' })) as HTMLButtonElement;
    await waitFor(() => expect(install.disabled).toBe(false));
    fireEvent.click(install);

    expect((await screen.findByRole('alert')).textContent).toBe(shown);
  });

  it('says which apps bring their own PostgreSQL', async () => {
    stubApi(acmeWorkspace);
    renderApp('/marketplace/');

    const nextcloud = await screen.findByTestId('app-card-nextcloud');
    expect(within(nextcloud).getByText('Includes its own PostgreSQL')).toBeTruthy();
    expect(
      within(screen.getByTestId('app-card-wordpress')).queryByText('Includes its own PostgreSQL'),
    ).toBeNull();
  });

  it('points a user without an organisation to redeeming a voucher', async () => {
    stubApi({
      'GET /auth/me': signedIn,
      'GET /billing/wallet': wallet(0),
      'GET /api/v1/orgs': () => answer(orgListSchema, { orgs: [] }),
    });
    renderApp('/marketplace/');

    expect(await screen.findByRole('heading', { name: 'You have no organisation yet' })).toBeTruthy();
    const link = screen.getByRole('link', { name: 'enter a voucher code to redeem' });
    expect(link.getAttribute('href')).toBe('/redeem/');
    await waitFor(() => expect(screen.getByTestId('wallet-balance').textContent).toBe('0.000 OMR'));
  });

  it('switches between organisations with the labelled picker', async () => {
    const second = make.org({ slug: 'bolt', name: 'Bolt', fqdn: 'bolt.tenants.test' });
    stubApi({
      ...acmeWorkspace,
      'GET /api/v1/orgs': () => answer(orgListSchema, { orgs: [org, second] }),
      'GET /api/v1/orgs/bolt/environments': environments('staging'),
      'GET /api/v1/orgs/bolt/apps': noInstalls,
      'GET /api/v1/orgs/bolt/wallet': orgWallet(100_000),
      'GET /api/v1/orgs/bolt/members': justTheOwner,
    });
    const { router } = renderApp('/marketplace/');

    const picker = (await screen.findByLabelText('Organisation')) as HTMLSelectElement;
    expect(picker.value).toBe('acme-e2e');
    fireEvent.change(picker, { target: { value: 'bolt' } });
    await waitFor(() => expect(router.state.location.search).toEqual({ org: 'bolt' }));
    expect(((await screen.findByLabelText('Environment')) as HTMLSelectElement).value).toBe('staging');
  });

  it('says when the environment name is taken', async () => {
    stubApi({
      ...acmeWorkspace,
      'POST /api/v1/orgs/acme-e2e/environments': () =>
        apiError(409, 'environment_exists', 'An environment with that name exists.'),
    });
    renderApp('/marketplace/');

    fireEvent.click(await screen.findByRole('button', { name: 'New environment' }));
    fireEvent.change(screen.getByLabelText('Environment name'), { target: { value: 'production' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(await screen.findByText('There is already an environment called production.')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Environment name'), { target: { value: '1bad' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(
      await screen.findByText('1–31 lower-case letters, digits and hyphens, starting with a letter'),
    ).toBeTruthy();
  });
});
