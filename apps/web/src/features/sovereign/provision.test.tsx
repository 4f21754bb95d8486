import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { json, stubApi, testUser, unauthenticated } from '../../test/api';
import { FakeEventSource } from '../../test/fakeEventSource';
import { renderApp } from '../../test/renderApp';

const ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const now = '2026-01-01T10:00:00.000Z';

function deployment(overrides: Record<string, unknown> = {}) {
  return {
    id: ID,
    fqdn: 'acme.pool.example',
    status: 'running',
    orgName: 'Acme',
    domainMode: 'pool',
    phases: [
      { name: 'preflight', status: 'succeeded', startedAt: now, finishedAt: now },
      { name: 'tofu-init', status: 'running', startedAt: now },
    ],
    components: [],
    hasCloudResources: true,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ProvisionPage', () => {
  it('follows the stream: phases, tofu resources, logs, a failure with retry, then stops', async () => {
    const api = stubApi({
      'GET /auth/me': () => json(200, { user: testUser }),
      [`GET /api/v1/deployments/${ID}`]: () => json(200, deployment()),
      [`POST /api/v1/deployments/${ID}/phases/tofu-apply/retry`]: () => json(202, { status: 'running' }),
      [`POST /api/v1/deployments/${ID}/cancel`]: () => json(202, { status: 'cancelled' }),
    });
    renderApp(`/sovereign/provision/${ID}`);
    expect(await screen.findByTestId('phase-card-preflight')).toBeTruthy();
    expect(screen.getByTestId('phase-status-tofu-init').textContent).toBe('running');
    const source = FakeEventSource.instances[0];
    expect(source?.url).toBe(`/api/v1/deployments/${ID}/logs`);
    if (!source) return;

    source.emit('phase', { seq: 1, time: now, phase: 'tofu-init', status: 'succeeded' });
    source.emit('phase', { seq: 2, time: now, phase: 'tofu-apply', status: 'running' });
    source.emit('resource', {
      seq: 3,
      time: now,
      phase: 'tofu-apply',
      address: 'hcloud_server.cp[0]',
      action: 'create',
      status: 'complete',
    });
    source.emit('resource', {
      seq: 4,
      time: now,
      phase: 'tofu-apply',
      address: 'hcloud_network.main',
      action: 'create',
      status: 'started',
    });
    source.emit('log', {
      seq: 5,
      time: now,
      phase: 'tofu-apply',
      stream: 'stdout',
      line: 'Creating server…',
    });
    source.emit('log', {
      seq: 5,
      time: now,
      phase: 'tofu-apply',
      stream: 'stdout',
      line: 'Creating server…',
    });
    source.emit('log', { seq: 6, time: now, phase: 'tofu-apply', stream: 'stderr', line: 'quota exceeded' });

    await waitFor(() => expect(screen.getByTestId('tofu-progress').textContent).toContain('1 / 2 resources'));
    expect(screen.getByTestId('phase-status-tofu-init').textContent).toBe('succeeded');
    const pane = screen.getByTestId('log-pane');
    expect(pane.textContent?.match(/Creating server/g)).toHaveLength(1);
    fireEvent.change(screen.getByTestId('log-filter'), { target: { value: 'quota' } });
    expect(pane.textContent).not.toContain('Creating server');
    expect(pane.textContent).toContain('quota exceeded');
    expect(within(screen.getByTestId('phase-card-tofu-apply')).getByText('quota exceeded')).toBeTruthy();

    // Cancel needs a confirmation while the run is going.
    fireEvent.click(screen.getByTestId('cancel-deployment'));
    fireEvent.click(screen.getByTestId('cancel-confirm'));
    await waitFor(() => expect(api.callsTo('POST', `/api/v1/deployments/${ID}/cancel`)).toHaveLength(1));

    source.emit('phase', {
      seq: 7,
      time: now,
      phase: 'tofu-apply',
      status: 'failed',
      error: 'quota exceeded',
    });
    source.emit('deployment', { seq: 8, time: now, status: 'failed', error: 'tofu-apply failed' });
    await waitFor(() => expect(screen.getByTestId('deployment-status').textContent).toBe('failed'));
    expect(source.closed).toBe(true);
    expect(screen.queryByTestId('cancel-deployment')).toBeNull();
    expect(screen.getByTestId('wipe-deployment')).toBeTruthy();

    fireEvent.click(screen.getByTestId('retry-tofu-apply'));
    await waitFor(() =>
      expect(api.callsTo('POST', `/api/v1/deployments/${ID}/phases/tofu-apply/retry`)).toHaveLength(1),
    );
    // A new stream follows the retried run.
    await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(1));
  });

  it('shows the result and the kubeconfig download when ready, and wipes with a token', async () => {
    const api = stubApi({
      'GET /auth/me': () => json(200, { user: testUser }),
      [`GET /api/v1/deployments/${ID}`]: () =>
        json(
          200,
          deployment({
            status: 'ready',
            phases: [],
            components: [{ id: 'cilium', state: 'installed' }],
            result: {
              controlPlaneIP: '10.0.0.2',
              loadBalancerIP: '203.0.113.7',
              consoleURL: 'https://console.acme.pool.example',
            },
          }),
        ),
      [`POST /api/v1/deployments/${ID}/wipe`]: () => json(202, { status: 'wiping' }),
    });
    renderApp(`/sovereign/provision/${ID}`);
    expect((await screen.findByTestId('deployment-result')).textContent).toContain('203.0.113.7');
    expect(screen.getByTestId('kubeconfig-download').getAttribute('href')).toBe(
      `/api/v1/deployments/${ID}/kubeconfig`,
    );
    expect(screen.getByTestId('kit-card-cilium').textContent).toContain('installed');

    fireEvent.click(screen.getByTestId('wipe-deployment'));
    const confirm = screen.getByTestId('wipe-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('wipe-token-input'), { target: { value: 'b'.repeat(64) } });
    fireEvent.click(confirm);
    await waitFor(() => expect(api.callsTo('POST', `/api/v1/deployments/${ID}/wipe`)).toHaveLength(1));
    expect(api.callsTo('POST', `/api/v1/deployments/${ID}/wipe`)[0]?.body).toEqual({
      hetznerToken: 'b'.repeat(64),
    });
  });

  it('is behind the sign-in guard', async () => {
    stubApi({ 'GET /auth/me': unauthenticated });
    const { router } = renderApp(`/sovereign/provision/${ID}`);
    expect(await screen.findByLabelText('E-mail')).toBeTruthy();
    expect(router.state.location.pathname).toBe('/login');
    expect(router.state.location.search).toEqual({ redirect: `/sovereign/provision/${ID}` });
  });
});
