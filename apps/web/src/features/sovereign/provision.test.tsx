import { deploymentSchema, handoverLinkSchema, sessionResponseSchema } from '@catalyst/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answer, apiError, type RecordedCall, stubApi, testUser, unauthenticated } from '../../test/api';
import * as make from '../../test/factories';
import { FakeEventSource } from '../../test/fakeEventSource';
import { renderApp } from '../../test/renderApp';
import { leaveTo } from './navigation';

vi.mock('./navigation', () => ({ leaveTo: vi.fn() }));

const ID = make.DEPLOYMENT_ID;
const now = make.NOW;

const deployment = (overrides: Parameters<typeof make.deployment>[0] = {}) =>
  make.deployment({
    phases: [
      { name: 'preflight', status: 'succeeded', startedAt: now, finishedAt: now },
      { name: 'tofu-init', status: 'running', startedAt: now },
    ],
    ...overrides,
  });

const signedIn = () => answer(sessionResponseSchema, { user: testUser });

/** A run that stopped at `failedPhase`, every phase before it done. */
const failedAt = (failedPhase: 'tofu-apply' | 'dns') => {
  const names = ['preflight', 'tofu-init', 'tofu-plan', 'tofu-apply', 'tofu-output', 'dns'] as const;
  const at = names.indexOf(failedPhase);
  return deployment({
    status: 'failed',
    error: `${failedPhase} failed`,
    phases: names.map((name, i) =>
      i < at
        ? { name, status: 'succeeded', startedAt: now, finishedAt: now }
        : i === at
          ? { name, status: 'failed', startedAt: now, finishedAt: now, error: 'it broke' }
          : { name, status: 'pending' },
    ),
  });
};

/**
 * Answers a retry as DeploymentsService.retry does: a stopped run no longer holds the Hetzner token,
 * so a retry that runs OpenTofu without one is refused with 422 hetzner_token_required.
 */
const retryAnsweredAsTheApi = (runsTofu: boolean) => (call: RecordedCall) =>
  runsTofu && !(call.body as { hetznerToken?: string }).hetznerToken
    ? apiError(422, 'hetzner_token_required', 'This retry runs OpenTofu: send the Hetzner token with it', {
        issues: [{ path: 'hetznerToken', message: 'Required to run OpenTofu again' }],
      })
    : answer(deploymentSchema, deployment({ status: 'queued' }));

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
      'GET /auth/me': signedIn,
      [`GET /api/v1/deployments/${ID}`]: () => answer(deploymentSchema, deployment()),
      [`POST /api/v1/deployments/${ID}/phases/tofu-apply/retry`]: retryAnsweredAsTheApi(true),
      [`POST /api/v1/deployments/${ID}/cancel`]: () => answer(deploymentSchema, deployment()),
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

    // The retry runs OpenTofu again, so it goes with the Hetzner token (asked for in a dialog).
    fireEvent.click(screen.getByTestId('retry-tofu-apply'));
    fireEvent.change(screen.getByTestId('rerun-token-input'), { target: { value: 'c'.repeat(64) } });
    fireEvent.click(screen.getByTestId('rerun-confirm'));
    await waitFor(() =>
      expect(api.callsTo('POST', `/api/v1/deployments/${ID}/phases/tofu-apply/retry`)).toHaveLength(1),
    );
    // A new stream follows the retried run, from the last event seen.
    await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(1));
    expect(FakeEventSource.instances[1]?.url).toBe(`/api/v1/deployments/${ID}/logs?lastEventId=8`);
  });

  it('shows the result and the kubeconfig download when ready, and wipes with a token', async () => {
    const api = stubApi({
      'GET /auth/me': signedIn,
      [`GET /api/v1/deployments/${ID}`]: () =>
        answer(
          deploymentSchema,
          deployment({
            status: 'ready',
            phases: [],
            components: [make.deploymentComponent({ id: 'cilium', state: 'installed' })],
            result: {
              controlPlaneIP: '10.0.0.2',
              loadBalancerIP: '203.0.113.7',
              consoleURL: 'https://console.acme.pool.example',
            },
          }),
        ),
      [`POST /api/v1/deployments/${ID}/wipe`]: () =>
        answer(deploymentSchema, deployment({ status: 'wiping' }), 202),
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

  describe('"Open your console"', () => {
    const readyDeployment = () =>
      answer(
        deploymentSchema,
        deployment({
          status: 'ready',
          phases: [],
          result: {
            controlPlaneIP: '10.0.0.2',
            loadBalancerIP: '203.0.113.7',
            consoleURL: 'https://console.acme.pool.example',
          },
        }),
      );
    const handoverPath = `/api/v1/deployments/${ID}/handover`;
    const LINK =
      'https://console.acme.pool.example/auth/handover?token=eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhIn0.c2ln';

    beforeEach(() => vi.mocked(leaveTo).mockClear());

    it('asks the api for a one-time link and goes there', async () => {
      const api = stubApi({
        'GET /auth/me': signedIn,
        [`GET /api/v1/deployments/${ID}`]: readyDeployment,
        [`POST ${handoverPath}`]: () =>
          answer(handoverLinkSchema, { url: LINK, expiresAt: '2030-01-01T00:10:00.000Z' }),
      });
      renderApp(`/sovereign/provision/${ID}`);
      const open = await screen.findByTestId('open-console');
      expect(open.textContent).toBe('Open your console');
      fireEvent.click(open);
      await waitFor(() => expect(leaveTo).toHaveBeenCalledWith(LINK));
      expect(api.callsTo('POST', handoverPath)).toHaveLength(1);
      expect(screen.queryByTestId('open-console-error')).toBeNull();
    });

    it('shows why inline when there is no link, and asks again on the next click', async () => {
      const api = stubApi({
        'GET /auth/me': signedIn,
        [`GET /api/v1/deployments/${ID}`]: readyDeployment,
        [`POST ${handoverPath}`]: [
          () =>
            apiError(
              409,
              'not_ready',
              'The run is failed; a handover link exists only once the Sovereign is ready',
            ),
          () => answer(handoverLinkSchema, { url: LINK, expiresAt: '2030-01-01T00:10:00.000Z' }),
        ],
      });
      renderApp(`/sovereign/provision/${ID}`);
      fireEvent.click(await screen.findByTestId('open-console'));
      expect((await screen.findByTestId('open-console-error')).textContent).toContain(
        'a handover link exists only once the Sovereign is ready',
      );
      expect(leaveTo).not.toHaveBeenCalled();
      fireEvent.click(screen.getByTestId('open-console'));
      await waitFor(() => expect(leaveTo).toHaveBeenCalledWith(LINK));
      expect(api.callsTo('POST', handoverPath)).toHaveLength(2);
      expect(screen.queryByTestId('open-console-error')).toBeNull();
    });

    it('is not offered before the run is ready', async () => {
      stubApi({
        'GET /auth/me': signedIn,
        [`GET /api/v1/deployments/${ID}`]: () => answer(deploymentSchema, deployment()),
      });
      renderApp(`/sovereign/provision/${ID}`);
      expect(await screen.findByTestId('phase-card-preflight')).toBeTruthy();
      expect(screen.queryByTestId('open-console')).toBeNull();
    });
  });

  it('asks for the wipe token in a modal dialog that Escape closes, giving focus back', async () => {
    const api = stubApi({
      'GET /auth/me': signedIn,
      [`GET /api/v1/deployments/${ID}`]: () => answer(deploymentSchema, deployment({ status: 'failed' })),
    });
    renderApp(`/sovereign/provision/${ID}`);
    const wipe = await screen.findByTestId('wipe-deployment');
    wipe.focus();
    fireEvent.click(wipe);

    const dialog = screen.getByRole('dialog', { name: 'Wipe every cloud resource of this run?' });
    expect(dialog.getAttribute('data-testid')).toBe('wipe-dialog');
    const token = within(dialog).getByLabelText('Hetzner API token');
    expect(document.activeElement).toBe(token);
    fireEvent.change(token, { target: { value: 'short' } });
    expect((within(dialog).getByTestId('wipe-confirm') as HTMLButtonElement).disabled).toBe(true);

    fireEvent.keyDown(token, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(wipe);
    expect(api.callsTo('POST', `/api/v1/deployments/${ID}/wipe`)).toHaveLength(0);

    // Asked again, it starts empty: the token does not outlive the question.
    fireEvent.click(wipe);
    expect((screen.getByTestId('wipe-token-input') as HTMLInputElement).value).toBe('');
  });

  it('asks for the Hetzner token before a retry that runs OpenTofu, and sends it with the retry', async () => {
    const retryPath = `/api/v1/deployments/${ID}/phases/tofu-apply/retry`;
    const api = stubApi({
      'GET /auth/me': signedIn,
      [`GET /api/v1/deployments/${ID}`]: [
        () => answer(deploymentSchema, failedAt('tofu-apply')),
        () => answer(deploymentSchema, deployment({ status: 'queued' })),
      ],
      [`POST ${retryPath}`]: retryAnsweredAsTheApi(true),
    });
    renderApp(`/sovereign/provision/${ID}`);
    const retry = await screen.findByTestId('retry-tofu-apply');
    retry.focus();
    fireEvent.click(retry);

    // Nothing is sent until the token is given; Escape drops the question and sends nothing.
    const dialog = screen.getByRole('dialog', { name: 'Retry from tofu-apply?' });
    expect(dialog.getAttribute('data-testid')).toBe('rerun-dialog');
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Hetzner API token'));
    expect(api.callsTo('POST', retryPath)).toHaveLength(0);
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(retry);
    expect(api.callsTo('POST', retryPath)).toHaveLength(0);

    fireEvent.click(retry);
    const confirm = screen.getByTestId('rerun-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('rerun-token-input'), { target: { value: 'd'.repeat(64) } });
    fireEvent.click(confirm);
    await waitFor(() => expect(api.callsTo('POST', retryPath)).toHaveLength(1));
    expect(api.callsTo('POST', retryPath)[0]?.body).toEqual({ hetznerToken: 'd'.repeat(64) });
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('deployment-status').textContent).toBe('queued'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('retries a phase after OpenTofu (dns) at once, without asking for the token', async () => {
    const retryPath = `/api/v1/deployments/${ID}/phases/dns/retry`;
    const api = stubApi({
      'GET /auth/me': signedIn,
      [`GET /api/v1/deployments/${ID}`]: [
        () => answer(deploymentSchema, failedAt('dns')),
        () => answer(deploymentSchema, deployment({ status: 'queued' })),
      ],
      [`POST ${retryPath}`]: retryAnsweredAsTheApi(false),
    });
    renderApp(`/sovereign/provision/${ID}`);
    fireEvent.click(await screen.findByTestId('retry-dns'));
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(api.callsTo('POST', retryPath)).toHaveLength(1));
    expect(api.callsTo('POST', retryPath)[0]?.body).toEqual({});
  });

  it('is behind the sign-in guard', async () => {
    stubApi({ 'GET /auth/me': unauthenticated });
    const { router } = renderApp(`/sovereign/provision/${ID}`);
    expect(await screen.findByLabelText('E-mail')).toBeTruthy();
    expect(router.state.location.pathname).toBe('/login');
    expect(router.state.location.search).toEqual({ redirect: `/sovereign/provision/${ID}` });
  });
});
