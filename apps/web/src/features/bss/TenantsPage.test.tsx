import { bssTenantListSchema, sessionResponseSchema, type User } from '@catalyst/contracts';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, stubApi, testUser } from '../../test/api';
import * as make from '../../test/factories';
import { renderApp } from '../../test/renderApp';

const admin: User = { ...testUser, email: 'admin@example.com', roles: ['sovereign-admin'] };

describe('BSS tenants', () => {
  it("shows each tenant's monthly run-rate and its suspended apps", async () => {
    stubApi({
      'GET /auth/me': () => answer(sessionResponseSchema, { user: admin }),
      'GET /api/v1/bss/tenants': () =>
        answer(bssTenantListSchema, {
          tenants: [
            make.bssTenant({
              slug: 'acme',
              name: 'Acme',
              fqdn: 'acme.tenants.test',
              balanceBaisa: 2_000,
              balanceOmr: '2.000',
              monthlyRunRateBaisa: 13_000,
              monthlyRunRateOmr: '13.000',
              suspendedApps: [
                { appId: 'wordpress', environment: 'production' },
                { appId: 'nextcloud', environment: 'staging' },
              ],
            }),
            make.bssTenant({
              slug: 'bolt',
              name: 'Bolt',
              fqdn: 'bolt.tenants.test',
              monthlyRunRateBaisa: 5_500,
              monthlyRunRateOmr: '5.500',
              suspendedApps: [],
            }),
          ],
        }),
    });
    renderApp('/bss/tenants');

    const table = await screen.findByRole('table', { name: 'Tenants' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((header) => header.textContent);
    expect(headers).toContain('Monthly run-rate');
    expect(headers).toContain('Suspended apps');

    const acme = within(table).getByTestId('tenant-row-acme');
    expect(within(acme).getByTestId('tenant-run-rate').textContent).toBe('13.000 OMR');
    expect(within(acme).getByTestId('tenant-suspended').textContent).toBe(
      'wordpress (production), nextcloud (staging)',
    );
    const bolt = within(table).getByTestId('tenant-row-bolt');
    expect(within(bolt).getByTestId('tenant-run-rate').textContent).toBe('5.500 OMR');
    expect(within(bolt).getByTestId('tenant-suspended').textContent).toBe('—');
  });
});
