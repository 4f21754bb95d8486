import {
  deploymentListSchema,
  sessionResponseSchema,
  sovereignFactsResponseSchema,
  type TeamMember,
  teamListSchema,
  teamMemberResponseSchema,
} from '@catalyst/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, apiError, stubApi, testUser } from '../../test/api';
import * as make from '../../test/factories';
import { renderApp } from '../../test/renderApp';

const now = make.NOW;
const admin = {
  ...testUser,
  email: 'root@example.com',
  roles: ['member' as const, 'sovereign-admin' as const],
};

// As GET /api/v1/users answers: the configured root, an assigned admin and a tenant who has not signed in yet.
const root = make.teamMember({
  ...admin,
  roles: ['member', 'sovereign-admin', 'superadmin'],
  configuredRoles: ['superadmin', 'sovereign-admin'],
  lastSignInAt: now,
});
const assigned = make.teamMember({
  id: '0b6f3c1e-2d4a-4e8b-9c7d-5a1f2e3d4c5b',
  email: 'ops@example.com',
  roles: ['member', 'sovereign-admin'],
  assignedRoles: ['sovereign-admin'],
  lastSignInAt: now,
});
const tenant = make.teamMember({
  id: '7b0e8a2c-9d1f-4e5a-8b3c-2f6d4e1a9c07',
  email: 'tenant@example.com',
  roles: ['member'],
});

function stubTeam(users: TeamMember[][], extra: Parameters<typeof stubApi>[0] = {}) {
  return stubApi({
    'GET /auth/me': () => answer(sessionResponseSchema, { user: { ...admin, id: root.id } }),
    'GET /api/v1/deployments': () => answer(deploymentListSchema, { deployments: [] }),
    'GET /api/v1/sovereign': () => answer(sovereignFactsResponseSchema, { facts: null }),
    'GET /api/v1/users': users.map((list) => () => answer(teamListSchema, { users: list })),
    ...extra,
  });
}

describe('Team page', () => {
  it('shows roles from the configuration as such, with no remove button, and offers the others', async () => {
    stubTeam([[root, assigned, tenant]]);
    renderApp('/console/team');
    const me = await screen.findByTestId('team-me');
    expect(within(me).getByTestId('team-role-superadmin').textContent).toContain('(configuration)');
    expect(within(me).getByTestId('team-role-sovereign-admin').textContent).toContain('(configuration)');
    expect(me.textContent).toContain('Admin by configuration');
    expect(within(me).queryByRole('button')).toBeNull();

    const ops = screen.getByTestId('team-row-ops@example.com');
    expect(within(ops).getByTestId('team-role-sovereign-admin').textContent).toBe('sovereign-admin');
    expect(
      within(ops).getByRole('button', { name: 'Remove sovereign-admin from ops@example.com' }),
    ).toBeTruthy();
    const newcomer = screen.getByTestId('team-row-tenant@example.com');
    expect(newcomer.textContent).toContain('not yet');
    expect(
      within(newcomer).getByRole('button', { name: 'Make tenant@example.com sovereign-admin' }),
    ).toBeTruthy();
  });

  it('invites by e-mail with the sovereign-admin box, then lists the invited person', async () => {
    const invited = make.teamMember({
      id: '5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716',
      email: 'new@example.com',
      roles: ['member', 'sovereign-admin'],
      assignedRoles: ['sovereign-admin'],
    });
    const api = stubTeam([[root], [root, invited]], {
      'POST /api/v1/users/invitations': () => answer(teamMemberResponseSchema, { user: invited }, 201),
    });
    renderApp('/console/team');
    const form = await screen.findByTestId('team-invite');
    fireEvent.change(within(form).getByLabelText('E-mail'), { target: { value: ' New@Example.com ' } });
    fireEvent.click(within(form).getByLabelText('Sovereign-admin'));
    fireEvent.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect((await screen.findByRole('status')).textContent).toBe(
      'Invitation sent to new@example.com (sovereign-admin).',
    );
    expect(api.callsTo('POST', '/api/v1/users/invitations')[0]?.body).toEqual({
      email: 'new@example.com',
      roles: ['sovereign-admin'],
    });
    expect(await screen.findByTestId('team-row-new@example.com')).toBeTruthy();
    expect((within(form).getByLabelText('E-mail') as HTMLInputElement).value).toBe('');
  });

  it('refuses a bad e-mail in the form without asking the api', async () => {
    const api = stubTeam([[root]]);
    renderApp('/console/team');
    const form = await screen.findByTestId('team-invite');
    fireEvent.change(within(form).getByLabelText('E-mail'), { target: { value: 'not-an-address' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(await within(form).findByText('Enter a valid e-mail address')).toBeTruthy();
    expect(api.callsTo('POST', '/api/v1/users/invitations')).toHaveLength(0);
  });

  it('grants sovereign-admin with one click', async () => {
    const promoted = {
      ...tenant,
      roles: ['member' as const, 'sovereign-admin' as const],
      assignedRoles: ['sovereign-admin' as const],
    };
    const api = stubTeam(
      [
        [root, tenant],
        [root, promoted],
      ],
      {
        [`PUT /api/v1/users/${tenant.id}/roles/sovereign-admin`]: () =>
          answer(teamMemberResponseSchema, { user: promoted }),
      },
    );
    renderApp('/console/team');
    fireEvent.click(await screen.findByRole('button', { name: 'Make tenant@example.com sovereign-admin' }));
    expect((await screen.findByRole('status')).textContent).toBe(
      'tenant@example.com is now sovereign-admin.',
    );
    expect(api.callsTo('PUT', `/api/v1/users/${tenant.id}/roles/sovereign-admin`)).toHaveLength(1);
    expect(
      await screen.findByRole('button', { name: 'Remove sovereign-admin from tenant@example.com' }),
    ).toBeTruthy();
  });

  it('asks before removing a role, and shows the 409 of the last admin inside the dialog', async () => {
    const api = stubTeam([[root, assigned]], {
      [`DELETE /api/v1/users/${assigned.id}/roles/sovereign-admin`]: () =>
        apiError(
          409,
          'last_admin',
          'This is the last administrator. Make someone else a sovereign-admin first, so the console is not left without one.',
        ),
    });
    renderApp('/console/team');
    fireEvent.click(
      await screen.findByRole('button', { name: 'Remove sovereign-admin from ops@example.com' }),
    );
    const dialog = await screen.findByTestId('team-remove-dialog');
    expect(dialog.textContent).toContain('signed out everywhere');
    expect(api.callsTo('DELETE', `/api/v1/users/${assigned.id}/roles/sovereign-admin`)).toHaveLength(0);
    fireEvent.click(within(dialog).getByTestId('team-remove-confirm'));
    expect(await within(dialog).findByText(/This is the last administrator/)).toBeTruthy();
    expect(api.callsTo('DELETE', `/api/v1/users/${assigned.id}/roles/sovereign-admin`)).toHaveLength(1);
  });

  it('removes a role once confirmed and says the person was signed out', async () => {
    const demoted = { ...assigned, roles: ['member' as const], assignedRoles: [] };
    stubTeam(
      [
        [root, assigned],
        [root, demoted],
      ],
      {
        [`DELETE /api/v1/users/${assigned.id}/roles/sovereign-admin`]: () =>
          answer(teamMemberResponseSchema, { user: demoted }),
      },
    );
    renderApp('/console/team');
    fireEvent.click(
      await screen.findByRole('button', { name: 'Remove sovereign-admin from ops@example.com' }),
    );
    fireEvent.click(
      within(await screen.findByTestId('team-remove-dialog')).getByTestId('team-remove-confirm'),
    );
    expect((await screen.findByRole('status')).textContent).toBe(
      'ops@example.com is no longer sovereign-admin and was signed out everywhere.',
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Make ops@example.com sovereign-admin' })).toBeTruthy(),
    );
  });
});
