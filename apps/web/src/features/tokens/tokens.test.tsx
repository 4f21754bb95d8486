import {
  type AccessToken,
  accessTokenListSchema,
  createdTokenSchema,
  orgListSchema,
  sessionResponseSchema,
} from '@catalyst/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { answer, noContent, stubApi, testUser } from '../../test/api';
import { NOW } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { TOKEN_PLACEHOLDER } from './mcpSnippet';

// As GET /api/v1/tokens answers: newest first, a scoped active one, one used, one revoked, one expired.
const active: AccessToken = {
  id: '6a1e2f3c-4b5d-4e6f-8a7b-9c0d1e2f3a4b',
  name: 'laptop claude',
  orgSlug: 'acme',
  createdAt: NOW,
  expiresAt: '2099-01-01T00:00:00.000Z',
};
const used: AccessToken = {
  id: '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9',
  name: 'ci agent',
  createdAt: NOW,
  expiresAt: '2099-02-01T00:00:00.000Z',
  lastUsedAt: NOW,
};
const revoked: AccessToken = {
  id: '2c3d4e5f-6071-4829-93a4-b5c6d7e8f901',
  name: 'old one',
  createdAt: '2025-06-01T00:00:00.000Z',
  expiresAt: '2099-01-01T00:00:00.000Z',
  revokedAt: NOW,
};
const expired: AccessToken = {
  id: '3d4e5f60-7182-4a39-a4b5-c6d7e8f90112',
  name: 'stale',
  createdAt: '2019-12-01T00:00:00.000Z',
  expiresAt: '2020-01-01T00:00:00.000Z',
};
const SECRET = `cat_pat_${'Zx9-'.repeat(10)}abc`;
const acme = { slug: 'acme', name: 'Acme', fqdn: 'acme.omani.homes', role: 'owner' as const, createdAt: NOW };

function stubTokens(lists: AccessToken[][], extra: Parameters<typeof stubApi>[0] = {}, me = testUser) {
  return stubApi({
    'GET /auth/me': () => answer(sessionResponseSchema, { user: me }),
    'GET /api/v1/tokens': lists.map((tokens) => () => answer(accessTokenListSchema, { tokens })),
    'GET /api/v1/orgs': () => answer(orgListSchema, { orgs: [acme] }),
    ...extra,
  });
}

const row = (name: string) => screen.getByTestId(`token-row-${name}`);

describe('Access tokens page', () => {
  it('is linked from the user menu and lists scope, last use and state of each token', async () => {
    stubTokens([[active, used, revoked, expired]]);
    renderApp('/tokens');
    await screen.findByTestId('token-row-laptop claude');
    expect(screen.getByTestId('user-menu-tokens').getAttribute('href')).toBe('/tokens');

    expect(within(row('laptop claude')).getByTestId('token-org').textContent).toBe('acme');
    expect(within(row('laptop claude')).getByTestId('token-last-used').textContent).toBe('never');
    expect(within(row('laptop claude')).getByTestId('token-status').textContent).toBe('active');
    expect(within(row('ci agent')).getByTestId('token-org').textContent).toBe('all of yours');
    expect(within(row('ci agent')).getByTestId('token-last-used').textContent).not.toBe('never');
    expect(within(row('old one')).getByTestId('token-status').textContent).toMatch(/^revoked /);
    expect(within(row('old one')).queryByRole('button')).toBeNull();
    expect(within(row('stale')).getByTestId('token-status').textContent).toBe('expired');
    expect(within(row('stale')).getByRole('button', { name: 'Revoke stale' })).toBeTruthy();
  });

  it('is there for a sovereign-admin too', async () => {
    stubTokens([[]], {}, { ...testUser, roles: ['member', 'sovereign-admin'] });
    renderApp('/tokens');
    expect(await screen.findByText('No tokens yet.')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Access tokens');
  });

  it('creates a token scoped to an org, shows it once with a copy button, and keeps it out of the snippet', async () => {
    const writeText = vi.fn(async (_text: string) => {});
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
    const made = { ...active, id: '4e5f6071-8293-4a4b-b5c6-d7e8f9011223', name: 'agent' };
    const api = stubTokens([[], [made]], {
      'POST /api/v1/tokens': () => answer(createdTokenSchema, { ...made, token: SECRET }, 201),
    });
    renderApp('/tokens');
    const form = await screen.findByTestId('token-create');
    expect((within(form).getByLabelText('Expires after (days)') as HTMLInputElement).value).toBe('30');
    await within(form).findByRole('option', { name: 'Acme (acme)' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: ' agent ' } });
    fireEvent.change(within(form).getByLabelText('Expires after (days)'), { target: { value: '90' } });
    fireEvent.change(within(form).getByLabelText('Organisation'), { target: { value: 'acme' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create token' }));

    const panel = await screen.findByTestId('token-created');
    expect(api.callsTo('POST', '/api/v1/tokens')[0]?.body).toEqual({
      name: 'agent',
      expiresInDays: 90,
      orgSlug: 'acme',
    });
    expect(within(panel).getByTestId('token-value').textContent).toBe(SECRET);
    fireEvent.click(within(panel).getByRole('button', { name: 'Copy token' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(SECRET));
    expect(await within(panel).findByText('Copied.')).toBeTruthy();

    const snippet = screen.getByTestId('token-mcp-snippet');
    const endpoint = `${window.location.origin}/mcp`;
    expect(screen.getByTestId('token-mcp-endpoint').textContent).toBe(endpoint);
    expect(screen.getByTestId('token-snippet-claude').textContent).toBe(
      `claude mcp add --transport http catalyst ${endpoint} --header "Authorization: Bearer ${TOKEN_PLACEHOLDER}"`,
    );
    expect(JSON.parse(screen.getByTestId('token-snippet-json').textContent ?? '')).toEqual({
      mcpServers: {
        catalyst: { httpUrl: endpoint, headers: { Authorization: `Bearer ${TOKEN_PLACEHOLDER}` } },
      },
    });
    expect(snippet.textContent).not.toContain(SECRET);
    expect(await screen.findByTestId('token-row-agent')).toBeTruthy();

    fireEvent.click(within(panel).getByRole('button', { name: 'Done, I have copied it' }));
    expect(screen.queryByTestId('token-created')).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it('refuses more than 90 days and an empty name in the form, without asking the api', async () => {
    const api = stubTokens([[]]);
    renderApp('/tokens');
    const form = await screen.findByTestId('token-create');
    fireEvent.change(within(form).getByLabelText('Expires after (days)'), { target: { value: '91' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create token' }));
    expect(await within(form).findByText('At most 90 days')).toBeTruthy();
    expect(within(form).getByText('Give the token a name')).toBeTruthy();
    expect(api.callsTo('POST', '/api/v1/tokens')).toHaveLength(0);
  });

  it('revokes after confirming, and lists the token as revoked', async () => {
    const api = stubTokens([[active], [{ ...active, revokedAt: NOW }]], {
      [`DELETE /api/v1/tokens/${active.id}`]: () => noContent(),
    });
    renderApp('/tokens');
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke laptop claude' }));
    const dialog = await screen.findByTestId('token-revoke-dialog');
    expect(api.callsTo('DELETE', `/api/v1/tokens/${active.id}`)).toHaveLength(0);
    fireEvent.click(within(dialog).getByTestId('token-revoke-confirm'));
    expect((await screen.findByRole('status')).textContent).toBe(
      'Token “laptop claude” revoked: agents using it are refused from now on.',
    );
    expect(api.callsTo('DELETE', `/api/v1/tokens/${active.id}`)).toHaveLength(1);
    await waitFor(() =>
      expect(within(row('laptop claude')).getByTestId('token-status').textContent).toMatch(/^revoked /),
    );
  });
});
