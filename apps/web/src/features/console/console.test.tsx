import {
  allocationListSchema,
  componentListSchema,
  deploymentListSchema,
  sessionResponseSchema,
  sovereignFactsResponseSchema,
  teamListSchema,
} from '@catalyst/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answer, stubApi, testUser } from '../../test/api';
import * as make from '../../test/factories';
import { FakeEventSource } from '../../test/fakeEventSource';
import { renderApp } from '../../test/renderApp';
import { applyKitEvent, emptyKitLog, jobLog, mentions } from './model';

const ID = make.DEPLOYMENT_ID;
const now = make.NOW;
const admin = { ...testUser, roles: ['sovereign-admin' as const] };

const deployment = make.deployment({
  phases: [{ name: 'preflight', status: 'succeeded', startedAt: now, finishedAt: now }],
  components: [make.deploymentComponent({ id: 'cilium', state: 'installed' })],
});

const kit = {
  components: [
    make.kitComponent({ id: 'cilium', state: 'installed' }),
    make.kitComponent({ id: 'gitea', state: 'installing', message: 'Reconciliation in progress' }),
  ],
};

function stubConsole(extra: Parameters<typeof stubApi>[0] = {}) {
  return stubApi({
    'GET /auth/me': () => answer(sessionResponseSchema, { user: admin }),
    'GET /api/v1/deployments': () => answer(deploymentListSchema, { deployments: [deployment] }),
    [`GET /api/v1/deployments/${ID}/components`]: () => answer(componentListSchema, kit),
    // A mothership: no facts about a Sovereign (sovereignFacts.test.tsx shows them).
    'GET /api/v1/sovereign': () => answer(sovereignFactsResponseSchema, { facts: null }),
    ...extra,
  });
}

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Sovereign console', () => {
  it('has a 224 px sidebar with the seven sections, and lists the deployments', async () => {
    stubConsole();
    renderApp('/console/');
    const sidebar = await screen.findByTestId('admin-sidebar');
    expect(sidebar.tagName).toBe('ASIDE');
    expect(sidebar.style.width).toBe('224px');
    expect(sidebar.className).toContain('w-56');
    const links = within(sidebar).getAllByRole('link');
    expect(links.map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Dashboard', '/console/'],
      ['Apps', '/console/apps'],
      ['Jobs', '/console/jobs'],
      ['Domains', '/console/domains'],
      ['Billing', '/console/billing'],
      ['Team', '/console/team'],
      ['Settings', '/console/settings'],
    ]);
    expect((await screen.findByTestId(`deployment-status-${ID}`)).textContent).toBe('running');
    expect(screen.getByTestId(`deployment-link-${ID}`).getAttribute('href')).toBe(
      `/sovereign/provision/${ID}`,
    );
    expect(screen.getByTestId('console-new-sovereign').getAttribute('href')).toBe('/sovereign/');
  });

  it('tells other users they need the sovereign-admin role', async () => {
    stubApi({ 'GET /auth/me': () => answer(sessionResponseSchema, { user: testUser }) });
    renderApp('/console/apps');
    expect((await screen.findByTestId('console-forbidden')).textContent).toContain('sovereign-admin');
    expect(screen.queryByTestId('admin-sidebar')).toBeNull();
  });

  it('expands a job row in place to its log, without navigating', async () => {
    stubConsole();
    const { router } = renderApp('/console/jobs');
    const row = await screen.findByTestId('job-row-gitea');
    expect(row.tagName).toBe('BUTTON');
    expect(row.getAttribute('aria-expanded')).toBe('false');
    const source = FakeEventSource.instances[0];
    expect(source?.url).toBe(`/api/v1/deployments/${ID}/logs`);
    source?.emit('log', {
      seq: 1,
      time: now,
      phase: 'bootstrap-kit',
      stream: 'stdout',
      line: 'Watching 2 bootstrap-kit HelmReleases: cilium, gitea',
    });
    source?.emit('component', {
      seq: 2,
      time: now,
      component: 'gitea',
      state: 'installing',
      message: 'chart pulled',
    });
    source?.emit('component', { seq: 3, time: now, component: 'cilium', state: 'installed' });
    source?.emit('log', {
      seq: 4,
      time: now,
      phase: 'tofu-apply',
      stream: 'stdout',
      line: 'gitea elsewhere',
    });

    fireEvent.click(row);
    const expansion = await screen.findByTestId('job-expansion-gitea');
    expect(row.getAttribute('aria-expanded')).toBe('true');
    expect(expansion.textContent).toContain('installing: chart pulled');
    expect(expansion.textContent).toContain('Watching 2 bootstrap-kit HelmReleases');
    expect(expansion.textContent).not.toContain('gitea elsewhere');
    expect(screen.queryByTestId('job-expansion-cilium')).toBeNull();
    expect(router.state.location.pathname).toBe('/console/jobs');

    fireEvent.click(row);
    await waitFor(() => expect(screen.queryByTestId('job-expansion-gitea')).toBeNull());
    expect(router.state.location.pathname).toBe('/console/jobs');
  });

  it('shows an app as sections with headings, not a tab strip', async () => {
    stubConsole();
    renderApp(`/console/apps/gitea?deployment=${ID}`);
    await screen.findByTestId('app-detail');
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings).toEqual([
      'About',
      'Connection',
      'Bundled dependencies',
      'Tenant',
      'Configuration',
      'Jobs',
    ]);
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Gitea');
    expect(screen.getByTestId('app-status').textContent).toBe('installing');
    expect(await screen.findByTestId('job-row-gitea')).toBeTruthy();
    expect(screen.queryByTestId('job-row-cilium')).toBeNull();
  });

  it('shows the apps grid of the most recent deployment', async () => {
    stubConsole();
    renderApp('/console/apps');
    const card = await screen.findByTestId('app-card-gitea');
    expect(card.getAttribute('href')).toBe(`/console/apps/gitea?deployment=${ID}`);
    expect(screen.getByTestId('app-card-cilium').textContent).toContain('Cilium');
  });

  it('lists domain allocations, team, billing counts and settings', async () => {
    stubConsole({
      'GET /api/v1/pool/allocations': () =>
        answer(allocationListSchema, {
          allocations: [make.allocation({ fqdn: 'acme.pool.example', state: 'active' })],
        }),
      'GET /api/v1/users': () =>
        answer(teamListSchema, {
          users: [
            make.teamMember({ ...admin, lastSignInAt: now, assignedRoles: ['sovereign-admin'] }),
            make.teamMember({
              id: '7b0e8a2c-9d1f-4e5a-8b3c-2f6d4e1a9c07',
              email: 'tenant@example.com',
              roles: ['member'],
              createdAt: now,
              lastSignInAt: null,
            }),
          ],
        }),
    });
    const { router } = renderApp('/console/domains');
    expect((await screen.findByTestId('domain-row-acme.pool.example')).textContent).toContain('active');
    await router.navigate({ to: '/console/team' });
    expect((await screen.findByTestId('team-me')).textContent).toContain('sovereign-admin');
    expect(screen.getByTestId('team-row-tenant@example.com').textContent).toContain('member');
  });
});

describe('job log model', () => {
  it('matches whole component names only', () => {
    expect(mentions('Flux reconciles bp-flux again', 'flux')).toBe(true);
    expect(mentions('bp-flux-operator ready', 'flux')).toBe(false);
    expect(mentions('cilium, gitea', 'gitea')).toBe(true);
  });

  it('keeps component events and kit lines once, in order', () => {
    let state = emptyKitLog();
    state = applyKitEvent(state, {
      type: 'component',
      seq: 2,
      time: now,
      component: 'gitea',
      state: 'failed',
    });
    state = applyKitEvent(state, {
      type: 'component',
      seq: 2,
      time: now,
      component: 'gitea',
      state: 'failed',
    });
    state = applyKitEvent(state, {
      type: 'log',
      seq: 3,
      time: now,
      phase: 'bootstrap-kit',
      stream: 'stderr',
      line: 'Retry of gitea requested',
    });
    expect(jobLog(state, 'gitea').map((l) => l.text)).toEqual(['failed', 'Retry of gitea requested']);
  });
});
