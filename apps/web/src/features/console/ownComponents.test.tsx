import {
  componentListSchema,
  deploymentListSchema,
  metaSchema,
  type SovereignComponent,
  sessionResponseSchema,
  sovereignComponentListSchema,
  sovereignFactsResponseSchema,
} from '@catalyst/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answer, apiError, stubApi, testUser } from '../../test/api';
import * as make from '../../test/factories';
import { FakeEventSource } from '../../test/fakeEventSource';
import { renderApp } from '../../test/renderApp';
import { COMPONENTS_POLL_MS } from './queries';

const admin = { ...testUser, roles: ['sovereign-admin' as const] };
const T1 = '2026-01-02T08:00:00.000Z';
const T2 = '2026-01-02T08:05:00.000Z';

/** As GET /api/v1/sovereign/components answers for the cluster a Sovereign runs on. */
const cilium: SovereignComponent = {
  id: 'cilium',
  namespace: 'flux-system',
  name: 'bp-cilium',
  state: 'installed',
  message: 'Helm install succeeded for release kube-system/cilium.v1',
  reason: 'InstallSucceeded',
  chart: 'bp-cilium',
  version: '1.16.5',
  updatedAt: T1,
};
const gitea: SovereignComponent = {
  id: 'gitea',
  namespace: 'flux-system',
  name: 'bp-gitea',
  state: 'failed',
  message: 'Helm upgrade failed for release gitea/gitea: timed out waiting for the condition',
  reason: 'UpgradeFailed',
  chart: 'bp-gitea',
  version: '10.6.0',
  updatedAt: T2,
};
const platform: SovereignComponent = {
  id: 'catalyst-platform',
  namespace: 'catalyst',
  name: 'catalyst-platform',
  state: 'installed',
  reason: 'UpgradeSucceeded',
  chart: 'catalyst',
  version: '0.3.1',
  updatedAt: T1,
};

const list =
  (...components: SovereignComponent[]) =>
  () =>
    answer(sovereignComponentListSchema, { components });

function stubSovereign(components: ReturnType<typeof list> | ReturnType<typeof list>[], extra = {}) {
  return stubApi({
    'GET /api/v1/meta': () => answer(metaSchema, { mode: 'sovereign' }),
    'GET /auth/me': () => answer(sessionResponseSchema, { user: admin }),
    'GET /api/v1/sovereign': () => answer(sovereignFactsResponseSchema, { facts: null }),
    'GET /api/v1/sovereign/components': components,
    ...extra,
  });
}

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('a Sovereign’s console reads its own cluster', () => {
  it('lists its components as cards with their state and message, and never asks for deployments', async () => {
    const api = stubSovereign(list(platform, cilium, gitea));
    renderApp('/console/apps');
    const card = await screen.findByTestId('app-card-gitea');
    expect(card.getAttribute('href')).toBe('/console/apps/gitea');
    expect(within(card).getByText('Gitea')).toBeTruthy();
    expect(card.querySelector('.console-badge')?.textContent).toBe('failed');
    expect(screen.getByTestId('app-message-gitea').textContent).toBe(gitea.message);
    expect(screen.getByTestId('app-card-cilium').querySelector('.console-badge')?.textContent).toBe(
      'installed',
    );
    expect(screen.getByTestId('app-card-cilium').querySelector('img')).not.toBeNull();
    expect(screen.getByTestId('app-card-catalyst-platform')).toBeTruthy();
    expect(api.callsTo('GET', '/api/v1/deployments')).toHaveLength(0);
    expect(screen.queryByTestId('console-deployment')).toBeNull();
  });

  it('shows one job per release, its last reconcile, opened in place', async () => {
    const api = stubSovereign(list(cilium, gitea));
    const { router } = renderApp('/console/jobs');
    const row = await screen.findByTestId('job-row-gitea');
    expect(row.textContent).toContain('Upgrade Gitea');
    expect(row.textContent).toContain('bp-gitea');
    expect(row.textContent).toContain('failed');
    expect(screen.getByTestId('job-row-cilium').textContent).toContain('Install Cilium');
    fireEvent.click(row);
    const expansion = await screen.findByTestId('job-expansion-gitea');
    expect(expansion.textContent).toContain('failed (UpgradeFailed)');
    expect(expansion.textContent).toContain(gitea.message);
    expect(expansion.textContent).toContain('bp-gitea 10.6.0');
    expect(screen.queryByTestId('job-expansion-cilium')).toBeNull();
    expect(router.state.location.pathname).toBe('/console/jobs');
    expect(FakeEventSource.instances).toHaveLength(0);
    expect(api.callsTo('GET', '/api/v1/deployments')).toHaveLength(0);
  });

  it('retries a failed component from its page, then shows what the cluster says now', async () => {
    let retried = false;
    const api = stubSovereign([], {
      'GET /api/v1/sovereign/components': () =>
        retried
          ? list(cilium, {
              ...gitea,
              state: 'installing',
              message: 'Reconcile requested; waiting for helm-controller',
            })()
          : list(cilium, gitea)(),
      'POST /api/v1/sovereign/components/flux-system/bp-gitea/retry': () => {
        retried = true;
        return new Response(null, { status: 202 });
      },
    });
    renderApp('/console/apps/gitea');
    await screen.findByTestId('app-detail');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Gitea');
    expect(screen.getByTestId('app-status').textContent).toBe('failed');
    expect(screen.getByTestId('app-release').textContent).toBe('flux-system/bp-gitea');
    expect(await screen.findByTestId('job-row-gitea')).toBeTruthy();
    expect(screen.queryByTestId('job-row-cilium')).toBeNull();

    fireEvent.click(screen.getByTestId('app-retry'));
    await waitFor(() => expect(screen.getByTestId('app-status').textContent).toBe('installing'));
    expect(api.callsTo('POST', '/api/v1/sovereign/components/flux-system/bp-gitea/retry')).toHaveLength(1);
    expect(screen.getByTestId('app-retry-done').textContent).toContain('bp-gitea');
    expect(screen.getByTestId('app-state-line').textContent).toContain('Reconcile requested');
  });

  it('says so when the retry is refused, and keeps the state it had', async () => {
    stubSovereign(list(cilium, gitea), {
      'POST /api/v1/sovereign/components/flux-system/bp-gitea/retry': () =>
        apiError(503, 'cluster_unavailable', 'The cluster’s API did not answer'),
    });
    renderApp('/console/apps/gitea');
    fireEvent.click(await screen.findByTestId('app-retry'));
    expect((await screen.findByTestId('app-retry-error')).textContent).toContain('not accepted');
    expect(screen.getByTestId('app-status').textContent).toBe('failed');
  });

  it('polls every 5 s while a component is on its way, and stops once all have settled', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const installing = { ...gitea, state: 'installing' as const, message: 'Running upgrade' };
    const api = stubSovereign([list(cilium, installing), list(cilium, installing), list(cilium, gitea)]);
    renderApp('/console/apps');
    await screen.findByTestId('app-card-gitea');
    const calls = () => api.callsTo('GET', '/api/v1/sovereign/components').length;
    expect(calls()).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(COMPONENTS_POLL_MS));
    await waitFor(() => expect(calls()).toBe(2));
    await act(() => vi.advanceTimersByTimeAsync(COMPONENTS_POLL_MS));
    await waitFor(() =>
      expect(screen.getByTestId('app-card-gitea').querySelector('.console-badge')?.textContent).toBe(
        'failed',
      ),
    );
    expect(calls()).toBe(3);
    await act(() => vi.advanceTimersByTimeAsync(COMPONENTS_POLL_MS * 3));
    expect(calls()).toBe(3);
  });
});

describe('a mothership’s console', () => {
  it('still shows the bootstrap kit of its deployments, and never asks for components of its own', async () => {
    const deployment = make.deployment({
      components: [make.deploymentComponent({ id: 'cilium', state: 'installed' })],
    });
    const api = stubApi({
      'GET /auth/me': () => answer(sessionResponseSchema, { user: admin }),
      'GET /api/v1/sovereign': () => answer(sovereignFactsResponseSchema, { facts: null }),
      'GET /api/v1/deployments': () => answer(deploymentListSchema, { deployments: [deployment] }),
      [`GET /api/v1/deployments/${deployment.id}/components`]: () =>
        answer(componentListSchema, {
          components: [make.kitComponent({ id: 'cilium', state: 'installed' })],
        }),
    });
    const { router } = renderApp('/console/apps');
    const card = await screen.findByTestId('app-card-cilium');
    expect(card.getAttribute('href')).toBe(`/console/apps/cilium?deployment=${deployment.id}`);
    expect(screen.getByTestId('console-deployment').textContent).toContain(deployment.fqdn);
    await router.navigate({ to: '/console/jobs' });
    expect(await screen.findByTestId('job-row-cilium')).toBeTruthy();
    expect(FakeEventSource.instances[0]?.url).toBe(`/api/v1/deployments/${deployment.id}/logs`);
    expect(api.callsTo('GET', '/api/v1/sovereign/components')).toHaveLength(0);
  });
});
