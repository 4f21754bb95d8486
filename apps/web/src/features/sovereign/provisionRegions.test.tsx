import { deploymentSchema, sessionResponseSchema } from '@catalyst/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answer, stubApi, testUser } from '../../test/api';
import * as make from '../../test/factories';
import { FakeEventSource } from '../../test/fakeEventSource';
import { renderApp } from '../../test/renderApp';

const ID = make.DEPLOYMENT_ID;
const now = make.NOW;

/** A two-region run part-way: Falkenstein's kit installing, Nuremberg's control plane not posted back yet. */
const twoRegions = (overrides: Parameters<typeof make.deployment>[0] = {}) =>
  make.deployment({
    status: 'running',
    phases: [{ name: 'bootstrap-kit', status: 'running', startedAt: now }],
    regions: [
      make.regionSnapshot({
        region: 'fsn1',
        phases: [
          { name: 'infrastructure', status: 'succeeded' },
          { name: 'kubeconfig', status: 'succeeded' },
          { name: 'bootstrap-kit', status: 'running' },
        ],
        controlPlaneIP: '198.51.100.2',
        loadBalancerIP: '203.0.113.7',
      }),
      make.regionSnapshot({
        region: 'nbg1',
        phases: [
          { name: 'infrastructure', status: 'succeeded' },
          { name: 'kubeconfig', status: 'running' },
          { name: 'bootstrap-kit', status: 'pending' },
        ],
        controlPlaneIP: '198.51.100.3',
        loadBalancerIP: '203.0.113.8',
      }),
    ],
    components: [
      make.deploymentComponent({ region: 'fsn1', id: 'cilium', state: 'installed' }),
      make.deploymentComponent({ region: 'fsn1', id: 'gitea', state: 'installing' }),
      make.deploymentComponent({ region: 'nbg1', id: 'cilium', state: 'pending' }),
      make.deploymentComponent({ region: 'nbg1', id: 'gitea', state: 'pending' }),
    ],
    ...overrides,
  });

const row = (region: string) => screen.getByTestId(`region-${region}`);
const phase = (region: string, name: string) =>
  screen.getByTestId(`region-phase-${region}-${name}`).textContent;
const card = (region: string, id: string) => within(row(region)).getByTestId(`kit-card-${id}`);

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ProvisionPage: one row per region', () => {
  it('shows each region’s phases, load balancer and kit, and moves only the region an event names', async () => {
    stubApi({
      'GET /auth/me': () => answer(sessionResponseSchema, { user: testUser }),
      [`GET /api/v1/deployments/${ID}`]: () => answer(deploymentSchema, twoRegions()),
    });
    renderApp(`/sovereign/provision/${ID}`);
    await screen.findByTestId('region-fsn1');

    // In the request's order, named from the catalog, the first one marked primary.
    const rows = within(screen.getByTestId('region-rows')).getAllByRole('heading', { level: 2 });
    expect(rows.map((h) => h.textContent)).toEqual([
      'Falkenstein (fsn1)',
      'Bootstrap kit in Falkenstein (fsn1)',
      'Nuremberg (nbg1)',
      'Bootstrap kit in Nuremberg (nbg1)',
    ]);
    expect(screen.getByTestId('region-row-fsn1').textContent).toContain('Hetzner Cloud · primary');
    expect(screen.getByTestId('region-row-nbg1').textContent).not.toContain('primary');

    expect(phase('fsn1', 'infrastructure')).toBe('succeeded');
    expect(phase('fsn1', 'kubeconfig')).toBe('succeeded');
    expect(phase('fsn1', 'bootstrap-kit')).toBe('running');
    expect(phase('nbg1', 'infrastructure')).toBe('succeeded');
    expect(phase('nbg1', 'kubeconfig')).toBe('running');
    expect(phase('nbg1', 'bootstrap-kit')).toBe('pending');
    expect(screen.getByTestId('region-lb-fsn1').textContent).toBe('203.0.113.7');
    expect(screen.getByTestId('region-lb-nbg1').textContent).toBe('203.0.113.8');

    // Each region's kit holds its own releases, with its own counts.
    expect(card('fsn1', 'cilium').textContent).toContain('installed');
    expect(card('fsn1', 'gitea').textContent).toContain('installing');
    expect(card('nbg1', 'cilium').textContent).toContain('pending');
    expect(within(row('fsn1')).getByTestId('kit-summary').textContent).toBe('1 of 2 installed');
    expect(within(row('nbg1')).getByTestId('kit-summary').textContent).toBe('0 of 2 installed');
    expect(within(row('nbg1')).getAllByTestId(/^kit-card-/)).toHaveLength(2);

    const source = FakeEventSource.instances.at(-1);
    if (!source) throw new Error('no stream');

    // A region event moves that region's phase only.
    source.emit('region', { seq: 10, time: now, region: 'nbg1', phase: 'kubeconfig', status: 'succeeded' });
    source.emit('region', { seq: 11, time: now, region: 'nbg1', phase: 'bootstrap-kit', status: 'running' });
    await waitFor(() => expect(phase('nbg1', 'kubeconfig')).toBe('succeeded'));
    expect(phase('nbg1', 'bootstrap-kit')).toBe('running');
    expect(phase('fsn1', 'bootstrap-kit')).toBe('running');

    // A component event lands in the region it names, not in the other one with the same release.
    source.emit('component', { seq: 12, time: now, component: 'cilium', region: 'nbg1', state: 'installed' });
    await waitFor(() => expect(card('nbg1', 'cilium').textContent).toContain('installed'));
    expect(within(row('nbg1')).getByTestId('kit-summary').textContent).toBe('1 of 2 installed');
    expect(card('fsn1', 'gitea').textContent).toContain('installing');

    // One stored before runs had regions names none: it was the first region's.
    source.emit('component', {
      seq: 13,
      time: now,
      component: 'gitea',
      state: 'failed',
      message: 'timed out',
    });
    await waitFor(() => expect(card('fsn1', 'gitea').textContent).toContain('failed'));
    expect(card('nbg1', 'gitea').textContent).toContain('pending');

    // Tofu's resources count towards their region's infrastructure; shared ones only towards the run's.
    const resource = (seq: number, address: string, status: string, region?: string) =>
      source.emit('resource', {
        seq,
        time: now,
        phase: 'tofu-apply',
        address,
        action: 'create',
        status,
        ...(region ? { region } : {}),
      });
    resource(14, 'hcloud_server.control_plane["fsn1/cp1"]', 'complete', 'fsn1');
    resource(15, 'hcloud_server.control_plane["nbg1/cp1"]', 'complete', 'nbg1');
    resource(16, 'hcloud_network.main["nbg1"]', 'started', 'nbg1');
    resource(17, 'hcloud_ssh_key.main', 'complete');
    await waitFor(() =>
      expect(screen.getByTestId('region-resources-nbg1').textContent).toBe(' 1 / 2 resources'),
    );
    expect(screen.getByTestId('region-resources-fsn1').textContent).toBe(' 1 / 1 resources');
  });

  it('names the failed region in its row and keeps the run’s error as the api wrote it', async () => {
    const failed = twoRegions({
      status: 'failed',
      phases: [
        { name: 'bootstrap-kit', status: 'failed', startedAt: now, finishedAt: now, error: 'kit failed' },
      ],
      error: 'bootstrap-kit failed in nbg1: gitea did not become Ready',
    });
    const nbg1 = failed.regions[1];
    if (!nbg1) throw new Error('no second region');
    nbg1.phases = [
      { name: 'infrastructure', status: 'succeeded' },
      { name: 'kubeconfig', status: 'succeeded' },
      { name: 'bootstrap-kit', status: 'failed', error: 'gitea did not become Ready' },
    ];
    stubApi({
      'GET /auth/me': () => answer(sessionResponseSchema, { user: testUser }),
      [`GET /api/v1/deployments/${ID}`]: () => answer(deploymentSchema, failed),
    });
    renderApp(`/sovereign/provision/${ID}`);
    expect((await screen.findByTestId('deployment-error')).textContent).toBe(
      'bootstrap-kit failed in nbg1: gitea did not become Ready',
    );
    expect(phase('nbg1', 'bootstrap-kit')).toBe('failed');
    expect(screen.getByTestId('region-error-nbg1').textContent).toBe(
      'Nuremberg (nbg1), bootstrap-kit: gitea did not become Ready',
    );
    expect(screen.queryByTestId('region-error-fsn1')).toBeNull();
  });

  it('shows one region compactly: its row, and the kit titled as before', async () => {
    stubApi({
      'GET /auth/me': () => answer(sessionResponseSchema, { user: testUser }),
      [`GET /api/v1/deployments/${ID}`]: () =>
        answer(
          deploymentSchema,
          make.deployment({
            regions: [make.regionSnapshot({ loadBalancerIP: '203.0.113.7' })],
            components: [make.deploymentComponent({ id: 'cilium', state: 'installing' })],
          }),
        ),
    });
    renderApp(`/sovereign/provision/${ID}`);
    expect((await screen.findByTestId('region-row-fsn1')).textContent).not.toContain('primary');
    expect(screen.getAllByTestId(/^region-row-/)).toHaveLength(1);
    expect(within(screen.getByTestId('kit-grid')).getByRole('heading', { level: 2 }).textContent).toBe(
      'Bootstrap kit',
    );
    expect(screen.getByTestId('kit-card-cilium').textContent).toContain('installing');
    expect(screen.getByTestId('region-lb-fsn1').textContent).toBe('203.0.113.7');
  });
});
