import {
  type AppInstall,
  appInstallListSchema,
  catalogAppListSchema,
  environmentListSchema,
  type Org,
  type OrgMember,
  orgListSchema,
  orgMemberListSchema,
  orgMemberSchema,
  orgWalletSchema,
  sessionResponseSchema,
  walletSchema,
} from '@catalyst/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, apiError, noContent, stubApi } from '../../test/api';
import * as make from '../../test/factories';
import { renderApp } from '../../test/renderApp';

const JOINED = '2025-01-01T00:00:00.000Z';
const member = (overrides: Partial<OrgMember>): OrgMember => ({
  userId: '9d2c1b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  email: 'someone@acme.test',
  role: 'member',
  joinedAt: JOINED,
  ...overrides,
});

const ownerRow = member({
  userId: '11111111-1111-4111-8111-111111111111',
  email: 'owner@acme.test',
  role: 'owner',
});
const adminRow = member({
  userId: '22222222-2222-4222-8222-222222222222',
  email: 'ops@acme.test',
  role: 'org-admin',
});
const memberRow = member({
  userId: '33333333-3333-4333-8333-333333333333',
  email: 'user@acme.test',
  role: 'member',
});

const wordpress = make.appInstall({
  appId: 'wordpress',
  environment: 'production',
  url: 'https://wordpress.production.acme-e2e.tenants.test',
  status: 'failed',
  message: 'chart pull failed',
});

/** The marketplace of acme-e2e as someone whose role there is `role`; `members` answers the members list. */
function workspace(
  role: Org['role'],
  members: () => Response,
  extra: Record<string, (() => Response) | (() => Response)[]> = {},
) {
  const me = make.user({
    id: (role === 'owner' ? ownerRow : role === 'org-admin' ? adminRow : memberRow).userId,
  });
  return stubApi({
    'GET /auth/me': () => answer(sessionResponseSchema, { user: me }),
    'GET /billing/wallet': () => answer(walletSchema, make.wallet(0)),
    'GET /api/v1/orgs': () => answer(orgListSchema, { orgs: [make.org({ role })] }),
    'GET /api/v1/catalog/apps': () =>
      answer(catalogAppListSchema, {
        apps: [
          make.catalogApp({ id: 'wordpress', name: 'WordPress', monthlyPriceBaisa: 5_000 }),
          make.catalogApp({ id: 'ghost', name: 'Ghost', monthlyPriceBaisa: 6_000 }),
        ],
      }),
    'GET /api/v1/orgs/acme-e2e/environments': () =>
      answer(environmentListSchema, { environments: [make.environment('production')] }),
    'GET /api/v1/orgs/acme-e2e/apps': () =>
      answer(appInstallListSchema, { apps: [wordpress] satisfies AppInstall[] }),
    'GET /api/v1/orgs/acme-e2e/wallet': () =>
      answer(orgWalletSchema, { balanceBaisa: 40_000, balanceOmr: '40.000' }),
    'GET /api/v1/orgs/acme-e2e/members': members,
    ...extra,
  });
}

const everyone = () => answer(orgMemberListSchema, { members: [ownerRow, adminRow, memberRow] });

describe('MembersPanel and what each role sees', () => {
  it('a member sees the list read-only and no install, environment, retry or uninstall controls, with why', async () => {
    const api = workspace('member', everyone);
    renderApp('/marketplace/');

    const panel = await screen.findByTestId('members-panel');
    await within(panel).findByTestId(`member-row-${ownerRow.email}`);
    expect(within(panel).getByTestId('members-read-only').textContent).toContain('Only the owner');
    expect(within(panel).queryByRole('button')).toBeNull();
    expect(within(panel).queryByLabelText('E-mail')).toBeNull();
    expect(within(screen.getByTestId(`member-row-${memberRow.email}`)).getByText('(you)')).toBeTruthy();

    expect(screen.getByTestId('member-note').textContent).toContain('you use its apps');
    const card = screen.getByTestId('app-card-ghost');
    expect((within(card).getByRole('button', { name: 'Install Ghost' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    expect(within(card).getByText('An owner or org-admin installs apps.')).toBeTruthy();
    // Its failed install is shown as it is, without pointing to buttons a member does not have.
    expect(within(screen.getByTestId('app-card-wordpress')).getByText('Failed in production.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New environment' })).toBeNull();
    const row = screen.getByTestId('install-row-wordpress-production');
    expect(within(row).getByTestId('install-message').textContent).toBe('chart pull failed');
    expect(within(row).queryByRole('button')).toBeNull();
    // A member is not shown the org's balance, so it is not asked for (the api would answer 403).
    expect(api.callsTo('GET', '/api/v1/orgs/acme-e2e/wallet')).toHaveLength(0);
  });

  it("an org-admin installs against the org's balance and sees the members read-only", async () => {
    workspace('org-admin', everyone);
    renderApp('/marketplace/');

    const card = await screen.findByTestId('app-card-ghost');
    await waitFor(() => expect(within(card).getByText('Balance after install: 34.000 OMR')).toBeTruthy());
    expect((within(card).getByRole('button', { name: 'Install Ghost' }) as HTMLButtonElement).disabled).toBe(
      false,
    );
    expect(screen.getByRole('button', { name: 'New environment' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Retry WordPress in production' })).toBeTruthy();
    const panel = screen.getByTestId('members-panel');
    await within(panel).findByTestId(`member-row-${adminRow.email}`);
    expect(within(panel).queryByRole('button')).toBeNull();
    expect(screen.queryByTestId('member-note')).toBeNull();
  });

  it('the owner invites by e-mail and role, and is told when the person already belongs', async () => {
    let members = [ownerRow];
    const invited = member({ email: 'new@acme.test', role: 'org-admin' });
    const api = workspace('owner', () => answer(orgMemberListSchema, { members }), {
      'POST /api/v1/orgs/acme-e2e/members': [
        () => {
          members = [ownerRow, invited];
          return answer(orgMemberSchema, invited, 201);
        },
        () => apiError(409, 'already_member', 'new@acme.test already belongs to acme-e2e'),
      ],
    });
    renderApp('/marketplace/');

    const panel = await screen.findByTestId('members-panel');
    fireEvent.change(await within(panel).findByLabelText('E-mail'), { target: { value: 'not an address' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Send invitation' }));
    expect(await within(panel).findByText('Enter a valid e-mail address')).toBeTruthy();
    expect(api.callsTo('POST', '/api/v1/orgs/acme-e2e/members')).toHaveLength(0);

    fireEvent.change(within(panel).getByLabelText('E-mail'), { target: { value: ' New@Acme.test ' } });
    fireEvent.change(within(panel).getByLabelText('Role'), { target: { value: 'org-admin' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Send invitation' }));
    expect(await within(panel).findByText('Invitation sent to new@acme.test (org-admin).')).toBeTruthy();
    expect(api.callsTo('POST', '/api/v1/orgs/acme-e2e/members')[0]?.body).toEqual({
      email: 'new@acme.test',
      role: 'org-admin',
    });
    const row = await within(panel).findByTestId('member-row-new@acme.test');
    expect(within(row).getByTestId('member-role').textContent).toBe('Org-admin');
    // The owner's own row offers nothing to change.
    expect(within(screen.getByTestId(`member-row-${ownerRow.email}`)).queryByRole('button')).toBeNull();

    fireEvent.change(within(panel).getByLabelText('E-mail'), { target: { value: 'new@acme.test' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Send invitation' }));
    expect(await within(panel).findByText('new@acme.test already belongs to Acme E2E.')).toBeTruthy();
  });

  it('the owner changes a role and removes a member, each after confirming what it does', async () => {
    let members = [ownerRow, adminRow, memberRow];
    const api = workspace('owner', () => answer(orgMemberListSchema, { members }), {
      [`PATCH /api/v1/orgs/acme-e2e/members/${adminRow.userId}`]: () => {
        const lowered = { ...adminRow, role: 'member' as const };
        members = [ownerRow, lowered, memberRow];
        return answer(orgMemberSchema, lowered);
      },
      [`DELETE /api/v1/orgs/acme-e2e/members/${memberRow.userId}`]: () => {
        members = members.filter((row) => row.userId !== memberRow.userId);
        return noContent();
      },
    });
    renderApp('/marketplace/');

    const adminLine = await screen.findByTestId(`member-row-${adminRow.email}`);
    fireEvent.click(within(adminLine).getByRole('button', { name: /Make member/ }));
    const dialog = await screen.findByRole('dialog', { name: `Make ${adminRow.email} member?` });
    expect(dialog.textContent).toContain('signed out everywhere');
    // Cancelling changes nothing.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.callsTo('PATCH', `/api/v1/orgs/acme-e2e/members/${adminRow.userId}`)).toHaveLength(0);

    fireEvent.click(within(adminLine).getByRole('button', { name: /Make member/ }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Change role' }));
    expect(await screen.findByText(`${adminRow.email} is now member.`)).toBeTruthy();
    expect(api.callsTo('PATCH', `/api/v1/orgs/acme-e2e/members/${adminRow.userId}`)[0]?.body).toEqual({
      role: 'member',
    });
    await waitFor(() =>
      expect(
        within(screen.getByTestId(`member-row-${adminRow.email}`)).getByTestId('member-role').textContent,
      ).toBe('Member'),
    );

    fireEvent.click(screen.getByRole('button', { name: `Remove ${memberRow.email}` }));
    const removal = await screen.findByRole('dialog', { name: `Remove ${memberRow.email} from Acme E2E?` });
    expect(removal.textContent).toContain('lose access');
    fireEvent.click(within(removal).getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText(`${memberRow.email} no longer belongs to Acme E2E.`)).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId(`member-row-${memberRow.email}`)).toBeNull());
    expect(api.callsTo('DELETE', `/api/v1/orgs/acme-e2e/members/${memberRow.userId}`)).toHaveLength(1);
  });
});
