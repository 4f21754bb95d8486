import {
  bssSettingsSchema,
  bssTenantListSchema,
  sessionResponseSchema,
  type User,
  type Voucher,
  voucherListSchema,
  voucherRevokedSchema,
  voucherSchema,
} from '@catalyst/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { answer, apiError, stubApi, testUser } from '../../test/api';
import * as make from '../../test/factories';
import { renderApp } from '../../test/renderApp';

const admin: User = { ...testUser, email: 'admin@example.com', roles: ['superadmin', 'sovereign-admin'] };
const signedInAsAdmin = () => answer(sessionResponseSchema, { user: admin });
const vouchers =
  (...list: Voucher[]) =>
  () =>
    answer(voucherListSchema, { vouchers: list });
const voucher = make.voucher;

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('BSS vouchers', () => {
  it('issues a voucher: OMR converted to baisa, then the list shows it', async () => {
    const api = stubApi({
      'GET /auth/me': signedInAsAdmin,
      'GET /billing/vouchers/list': [vouchers(), vouchers(voucher())],
      'POST /billing/vouchers/issue': () => answer(voucherSchema, voucher(), 201),
    });
    renderApp('/bss/vouchers');

    expect(await screen.findByText('No vouchers yet. Issue the first one above.')).toBeTruthy();
    fill('Code', 'welcome-e2e');
    fill('Credit (OMR)', '100');
    fill('Description', 'Welcome credit');
    fill('Max redemptions', '1');
    fill('Recipient e-mail (optional)', 'Tenant@E2E.test');
    fireEvent.click(screen.getByRole('button', { name: 'Issue voucher' }));

    await screen.findByText('Voucher WELCOME-E2E issued (100.000 OMR) and e-mailed to tenant@e2e.test.');
    expect(api.callsTo('POST', '/billing/vouchers/issue')[0]?.body).toEqual({
      code: 'WELCOME-E2E',
      creditBaisa: 100_000,
      description: 'Welcome credit',
      active: true,
      maxRedemptions: 1,
      recipientEmail: 'tenant@e2e.test',
    });
    // The form is cleared for the next voucher.
    expect((screen.getByLabelText('Code') as HTMLInputElement).value).toBe('');

    const row = await screen.findByTestId('voucher-row-WELCOME-E2E');
    expect(within(row).getByTestId('voucher-redemptions').textContent).toBe('0/1');
    expect(within(row).getByTestId('voucher-status').textContent).toBe('Active');
    expect(within(row).getByText('100.000 OMR')).toBeTruthy();
  });

  it('shows field errors from the shared schema without calling the api', async () => {
    const api = stubApi({
      'GET /auth/me': signedInAsAdmin,
      'GET /billing/vouchers/list': vouchers(),
    });
    renderApp('/bss/vouchers');

    await screen.findByLabelText('Code');
    fill('Code', 'x');
    fill('Credit (OMR)', '1.2345');
    fill('Recipient e-mail (optional)', 'nobody');
    fireEvent.click(screen.getByRole('button', { name: 'Issue voucher' }));

    expect(await screen.findByText('Use 3–64 letters, digits and hyphens')).toBeTruthy();
    expect(screen.getByText('Use at most 3 decimals (1 baisa = 0.001 OMR)')).toBeTruthy();
    expect(screen.getByText('Enter a valid e-mail address')).toBeTruthy();
    const code = screen.getByLabelText('Code');
    expect(code.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(code);
    expect(api.callsTo('POST', '/billing/vouchers/issue')).toHaveLength(0);
  });

  it("puts the server's details.issues next to their fields", async () => {
    stubApi({
      'GET /auth/me': signedInAsAdmin,
      'GET /billing/vouchers/list': vouchers(),
      'POST /billing/vouchers/issue': () =>
        apiError(400, 'validation_failed', 'The request is not valid.', {
          issues: [{ path: 'recipientEmail', message: 'That domain does not receive mail' }],
        }),
    });
    renderApp('/bss/vouchers');

    await screen.findByLabelText('Code');
    fill('Code', 'SPRING');
    fill('Credit (OMR)', '2.5');
    fill('Recipient e-mail (optional)', 'a@nowhere.invalid');
    fireEvent.click(screen.getByRole('button', { name: 'Issue voucher' }));

    expect(await screen.findByText('That domain does not receive mail')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Check the highlighted fields.');
    expect(screen.getByLabelText('Recipient e-mail (optional)').getAttribute('aria-invalid')).toBe('true');
  });

  it('lists redemptions and states, copies the link, and revokes after confirming', async () => {
    const writeText = vi.fn(async (_text: string) => {});
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
    const api = stubApi({
      'GET /auth/me': signedInAsAdmin,
      'GET /billing/vouchers/list': [
        vouchers(
          voucher({ timesRedeemed: 1 }),
          voucher({
            code: 'OPEN',
            maxRedemptions: 0,
            timesRedeemed: 3,
            redeemUrl: 'http://market.test/redeem/?code=OPEN',
          }),
          voucher({ code: 'OFF', active: false }),
          voucher({ code: 'OLD', expiresAt: '2020-01-01T00:00:00.000Z' }),
        ),
        vouchers(voucher({ timesRedeemed: 1 })),
      ],
      'DELETE /billing/vouchers/revoke/OPEN': () =>
        answer(voucherRevokedSchema, { code: 'OPEN', revoked: true }),
    });
    renderApp('/bss/vouchers');

    const row = (code: string) => screen.getByTestId(`voucher-row-${code}`);
    await screen.findByTestId('voucher-row-OPEN');
    expect(within(row('WELCOME-E2E')).getByTestId('voucher-redemptions').textContent).toBe('1/1');
    expect(within(row('WELCOME-E2E')).getByTestId('voucher-status').textContent).toBe('Exhausted');
    expect(within(row('OPEN')).getByTestId('voucher-redemptions').textContent).toBe('3/∞');
    expect(within(row('OPEN')).getByTestId('voucher-status').textContent).toBe('Active');
    expect(within(row('OFF')).getByTestId('voucher-status').textContent).toBe('Inactive');
    expect(within(row('OLD')).getByTestId('voucher-status').textContent).toBe('Expired');

    fireEvent.click(screen.getByRole('button', { name: 'Copy redeem link for OPEN' }));
    await screen.findByText('Redeem link for OPEN copied.');
    expect(writeText).toHaveBeenCalledWith('http://market.test/redeem/?code=OPEN');

    fireEvent.click(screen.getByRole('button', { name: 'Revoke OPEN' }));
    const dialog = await screen.findByRole('dialog', { name: 'Revoke voucher OPEN?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.callsTo('DELETE', '/billing/vouchers/revoke/OPEN')).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Revoke OPEN' }));
    fireEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', { name: 'Revoke voucher' }),
    );
    await screen.findByText('Voucher OPEN revoked: it can no longer be redeemed.');
    expect(api.callsTo('DELETE', '/billing/vouchers/revoke/OPEN')).toHaveLength(1);
    await waitFor(() => expect(screen.queryByTestId('voucher-row-OPEN')).toBeNull());
  });

  it('tells other users the area needs the sovereign-admin role', async () => {
    stubApi({ 'GET /auth/me': () => answer(sessionResponseSchema, { user: testUser }) });
    renderApp('/bss/vouchers');

    expect(await screen.findByRole('heading', { name: 'You need the sovereign-admin role' })).toBeTruthy();
    expect(screen.queryByLabelText('Code')).toBeNull();
    expect(screen.queryByRole('navigation', { name: 'Business support' })).toBeNull();
  });

  it('has a sub-navigation to tenants, orders and settings', async () => {
    stubApi({
      'GET /auth/me': signedInAsAdmin,
      'GET /api/v1/bss/tenants': () =>
        answer(bssTenantListSchema, {
          tenants: [
            make.bssTenant({
              slug: 'acme',
              name: 'Acme',
              owner: 'tenant@example.com',
              fqdn: 'acme.tenants.test',
              balanceBaisa: 95_000,
              balanceOmr: '95.000',
            }),
          ],
        }),
      'GET /api/v1/bss/settings': () =>
        answer(
          bssSettingsSchema,
          make.bssSettings({
            publicUrl: 'http://console.test',
            marketplaceUrl: 'http://market.test',
            tenantPoolDomains: ['tenants.test'],
            sovereignPoolDomains: [],
            mailMode: 'smtp',
            plans: [{ id: 'starter', name: 'Starter (free)', priceOmr: '0.000' }],
          }),
        ),
    });
    const { router } = renderApp('/bss/');

    const nav = await screen.findByRole('navigation', { name: 'Business support' });
    fireEvent.click(within(nav).getByRole('link', { name: 'Tenants' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/bss/tenants'));
    const tenants = await screen.findByRole('table', { name: 'Tenants' });
    expect(within(tenants).getByText('acme.tenants.test')).toBeTruthy();
    expect(within(tenants).getByText('95.000 OMR')).toBeTruthy();

    fireEvent.click(within(nav).getByRole('link', { name: 'Settings' }));
    expect(await screen.findByText('tenants.test')).toBeTruthy();
    expect(screen.getByText('http://market.test')).toBeTruthy();
  });
});
