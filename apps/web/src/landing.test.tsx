import {
  type CatalystMode,
  meResponseSchema,
  metaSchema,
  pinRequestedSchema,
  type Role,
  sessionResponseSchema,
} from '@catalyst/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, stubApi, unauthenticated } from './test/api';
import * as make from './test/factories';
import { renderApp } from './test/renderApp';

/** The four people of issue #15, with the roles the api gives them (an admin e-mail gets both admin roles). */
const people: Record<string, Role[]> = {
  tenant: ['member'],
  'org-admin': ['member', 'org-admin'],
  'sovereign-admin': ['member', 'sovereign-admin'],
  superadmin: ['member', 'superadmin', 'sovereign-admin'],
};

const meta = (mode: CatalystMode) => () => answer(metaSchema, { mode });
const me = (roles: Role[], mode: CatalystMode) => () =>
  answer(meResponseSchema, { user: make.user({ roles }), mode });

function signedInAs(roles: Role[], mode: CatalystMode) {
  return stubApi({ 'GET /api/v1/meta': meta(mode), 'GET /auth/me': me(roles, mode) });
}

/** The labels of the top navigation's links, in order. */
async function mainNav(): Promise<string[]> {
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  return within(nav)
    .queryAllByRole('link')
    .map((link) => link.textContent ?? '');
}

/** Every link on the page that leads to the wizard or a provisioning run. */
const wizardLinks = () =>
  screen.queryAllByRole('link').filter((link) => link.getAttribute('href')?.startsWith('/sovereign'));

const cases: [CatalystMode, string, string, string[]][] = [
  ['mothership', 'tenant', '/marketplace/', ['Marketplace']],
  ['mothership', 'org-admin', '/marketplace/', ['Marketplace']],
  ['mothership', 'sovereign-admin', '/console/', ['Sovereign', 'Console', 'BSS', 'Marketplace']],
  ['mothership', 'superadmin', '/sovereign/', ['Sovereign', 'Console', 'BSS', 'Marketplace']],
  ['sovereign', 'tenant', '/marketplace/', ['Marketplace']],
  ['sovereign', 'org-admin', '/marketplace/', ['Marketplace']],
  ['sovereign', 'sovereign-admin', '/console/', ['Console', 'BSS', 'Marketplace']],
  ['sovereign', 'superadmin', '/console/', ['Console', 'BSS', 'Marketplace']],
];

describe('landing and navigation by role', () => {
  it.each(cases)(
    'on a %s, a %s opening / lands on %s and sees the tabs %j',
    async (mode, who, landing, tabs) => {
      signedInAs(people[who] ?? [], mode);
      const { router } = renderApp('/');

      await waitFor(() => expect(router.state.location.pathname).toBe(landing));
      await waitFor(async () => expect(await mainNav()).toEqual(tabs));
      expect(router.state.location.href).toBe(landing);
    },
  );

  it.each([
    ['mothership', 'tenant', '/marketplace/'],
    ['sovereign', 'sovereign-admin', '/console/'],
    ['mothership', 'superadmin', '/sovereign/'],
  ] as const)('on a %s, a %s signing in without a destination lands on %s', async (mode, who, landing) => {
    const user = make.user({ roles: people[who] ?? [] });
    stubApi({
      'GET /api/v1/meta': meta(mode),
      'GET /auth/me': unauthenticated,
      'POST /auth/pin/request': () => answer(pinRequestedSchema, { message: 'On its way.' }, 202),
      'POST /auth/pin/verify': () => answer(sessionResponseSchema, { user }),
    });
    const { router } = renderApp('/login');

    fireEvent.change(await screen.findByLabelText('E-mail'), { target: { value: user.email } });
    fireEvent.click(screen.getByRole('button', { name: 'Send code' }));
    fireEvent.change(await screen.findByLabelText('Sign-in code'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(router.state.location.pathname).toBe(landing));
    expect((await screen.findByTestId('current-user')).textContent).toBe(user.email);
  });

  it('sends a visitor without a session from / to sign in, and shows them only the marketplace tab', async () => {
    stubApi({ 'GET /api/v1/meta': meta('sovereign'), 'GET /auth/me': unauthenticated });
    const { router } = renderApp('/');

    expect(await screen.findByLabelText('E-mail')).toBeTruthy();
    expect(router.state.location.href).toBe('/login');
    expect(await mainNav()).toEqual(['Marketplace']);
  });
});

describe('a Sovereign offers no wizard', () => {
  it.each(['/sovereign/', '/sovereign', `/sovereign/provision/${make.DEPLOYMENT_ID}`])(
    'answers %s with the not-found page, even for a superadmin, and links nowhere near it',
    async (path) => {
      signedInAs(people.superadmin ?? [], 'sovereign');
      const { router } = renderApp(path);

      expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
      expect(router.state.location.pathname).toBe(path);
      expect(screen.queryByRole('heading', { name: 'Provision a Sovereign' })).toBeNull();
      await waitFor(async () => expect(await mainNav()).toEqual(['Console', 'BSS', 'Marketplace']));
      expect(wizardLinks()).toEqual([]);
      expect(screen.getByRole('link', { name: 'Go to the start page' }).getAttribute('href')).toBe('/');
    },
  );

  it('answers the wizard with the not-found page without asking anyone to sign in first', async () => {
    const api = stubApi({ 'GET /api/v1/meta': meta('sovereign'), 'GET /auth/me': unauthenticated });
    const { router } = renderApp('/sovereign/');

    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/sovereign/');
    expect(screen.queryByLabelText('E-mail')).toBeNull();
    expect(api.callsTo('GET', '/api/v1/meta')).toHaveLength(1);
  });

  it('still shows the wizard to a superadmin of a mothership', async () => {
    signedInAs(people.superadmin ?? [], 'mothership');
    renderApp('/sovereign/');

    expect(await screen.findByRole('heading', { name: 'Provision a Sovereign' })).toBeTruthy();
    expect(await mainNav()).toEqual(['Sovereign', 'Console', 'BSS', 'Marketplace']);
  });
});
