import {
  type AppInstall,
  appInstallListSchema,
  appInstallSchema,
  catalogAppListSchema,
  environmentListSchema,
  environmentSchema,
  orgListSchema,
  sessionResponseSchema,
  walletSchema,
} from '@catalyst/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, apiError, noContent, stubApi, testUser } from '../../test/api';
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

/** Signed in as the owner of acme-e2e (100.000 OMR), which has a production environment and nothing installed. */
const acmeWorkspace = {
  'GET /auth/me': signedIn,
  'GET /billing/wallet': wallet(100_000),
  'GET /api/v1/orgs': orgs,
  'GET /api/v1/catalog/apps': apps,
  'GET /api/v1/orgs/acme-e2e/environments': environments('production'),
  'GET /api/v1/orgs/acme-e2e/apps': noInstalls,
};

describe('MarketplacePage', () => {
  it('creates an environment, installs an app, shows its address and the reduced balance, uninstalls', async () => {
    // A small fake of the api's state, so refetches see what the mutations did.
    let balance = 100_000;
    let created: string[] = [];
    let installs: AppInstall[] = [];
    const api = stubApi({
      'GET /auth/me': signedIn,
      'GET /billing/wallet': () => wallet(balance)(),
      'GET /api/v1/orgs': orgs,
      'GET /api/v1/catalog/apps': apps,
      'GET /api/v1/orgs/acme-e2e/environments': () => environments(...created)(),
      'POST /api/v1/orgs/acme-e2e/environments': (call) => {
        const { name } = call.body as { name: string };
        created = [...created, name];
        return answer(environmentSchema, make.environment(name), 201);
      },
      'GET /api/v1/orgs/acme-e2e/apps': () => answer(appInstallListSchema, { apps: installs }),
      'POST /api/v1/orgs/acme-e2e/environments/production/apps': () => {
        balance -= installed.monthlyPriceBaisa;
        installs = [installed];
        return answer(appInstallSchema, installed, 201);
      },
      [`DELETE /api/v1/orgs/acme-e2e/apps/${installed.id}`]: () => {
        installs = [];
        return noContent();
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

    const link = await screen.findByRole('link', { name: installed.url });
    expect(link.getAttribute('href')).toBe(installed.url);
    expect(screen.getByTestId('install-status').textContent).toBe('Installing');
    await waitFor(() => expect(screen.getByTestId('wallet-balance').textContent).toBe('95.000 OMR'));
    expect(api.callsTo('POST', '/api/v1/orgs/acme-e2e/environments/production/apps')[0]?.body).toEqual({
      appId: 'wordpress',
    });
    expect(await screen.findByRole('status')).toBeTruthy();
    expect(screen.getByText(`WordPress is being installed in production at ${installed.url}.`)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Install WordPress' }) as HTMLButtonElement).disabled).toBe(
      true,
    );

    fireEvent.click(screen.getByRole('button', { name: 'Uninstall WordPress from production' }));
    const dialog = await screen.findByRole('dialog', { name: 'Uninstall WordPress from production?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Uninstall' }));
    expect(await screen.findByText('WordPress was uninstalled from production.')).toBeTruthy();
    expect(api.callsTo('DELETE', `/api/v1/orgs/acme-e2e/apps/${installed.id}`)).toHaveLength(1);
    await waitFor(() => expect(screen.queryByRole('link', { name: installed.url })).toBeNull());
  });

  it('shows insufficient credit from the api', async () => {
    stubApi({
      ...acmeWorkspace,
      'POST /api/v1/orgs/acme-e2e/environments/production/apps': () =>
        apiError(422, 'insufficient_credit', 'The wallet holds 1.000 OMR; this needs 5.000 OMR.'),
    });
    renderApp('/marketplace/');

    const install = (await screen.findByRole('button', { name: 'Install WordPress' })) as HTMLButtonElement;
    await waitFor(() => expect(install.disabled).toBe(false));
    fireEvent.click(install);

    expect((await screen.findByRole('alert')).textContent).toBe(
      'Not enough credit to install WordPress. The wallet holds 1.000 OMR; this needs 5.000 OMR.',
    );
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
