import {
  deploymentSchema,
  expectedKitReleases,
  findComponent,
  installSet,
  sessionResponseSchema,
} from '@catalyst/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answer, stubApi, testUser } from '../../test/api';
import * as make from '../../test/factories';
import { FakeEventSource } from '../../test/fakeEventSource';
import { renderApp } from '../../test/renderApp';

const ID = make.DEPLOYMENT_ID;
const now = make.NOW;
/** What GET /api/v1/deployments/:id lists for a run with nothing optional selected: every watched release. */
const watched = expectedKitReleases(installSet([]));
const familyOf = (id: string) => findComponent(id)?.family ?? 'platform';
const inFamily = (family: string) => watched.filter((id) => familyOf(id) === family);

/** The run part-way through the kit: the platform's own and SURGE done, one of each other state in PILOT. */
const stateOf = (id: string): string => {
  if (familyOf(id) === 'platform' || familyOf(id) === 'surge') return 'installed';
  if (id === 'gitea') return 'failed';
  if (id === 'flux') return 'installing';
  if (id === 'harbor') return 'degraded';
  return 'pending';
};

const kitRun = (state: (id: string) => string = stateOf) =>
  make.deployment({
    status: 'running',
    phases: [{ name: 'bootstrap-kit', status: 'running', startedAt: now }],
    components: watched.map((id) =>
      make.deploymentComponent({
        id,
        state: state(id),
        ...(state(id) === 'failed' ? { message: 'install retries exhausted' } : {}),
      }),
    ),
  });

const group = (id: string) => screen.getByTestId(`kit-group-${id}`) as HTMLDetailsElement;

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ProvisionPage: the bootstrap kit', () => {
  it('groups the components by family with counts per state, collapses finished groups, follows the stream', async () => {
    const retryPath = `/api/v1/deployments/${ID}/phases/gitea/retry`;
    const api = stubApi({
      'GET /auth/me': () => answer(sessionResponseSchema, { user: testUser }),
      [`GET /api/v1/deployments/${ID}`]: () => answer(deploymentSchema, kitRun()),
      [`POST ${retryPath}`]: () =>
        answer(
          deploymentSchema,
          kitRun((id) => (id === 'gitea' ? 'pending' : stateOf(id))),
        ),
    });
    renderApp(`/sovereign/provision/${ID}`);
    const summary = await screen.findByTestId('kit-summary');
    const installed = watched.filter((id) => stateOf(id) === 'installed').length;
    expect(summary.textContent).toBe(`${installed} of ${watched.length} installed · 1 failed`);

    // Every watched release has its card, in exactly one group.
    for (const id of watched) expect(screen.getByTestId(`kit-card-${id}`)).toBeTruthy();
    const grouped = screen.getByTestId('kit-grid').querySelectorAll('[data-testid^="kit-card-"]');
    expect(grouped).toHaveLength(watched.length);

    // Groups where everything is installed are collapsed; the others open, with their counts.
    expect(group('platform').open).toBe(false);
    expect(group('surge').open).toBe(false);
    expect(screen.getByTestId('kit-group-counts-platform').textContent).toBe(
      `${inFamily('platform').length} installed`,
    );
    expect(group('pilot').open).toBe(true);
    const pilotPending = inFamily('pilot').filter((id) => stateOf(id) === 'pending').length;
    expect(screen.getByTestId('kit-group-pilot-installing').textContent).toBe('1 installing');
    expect(screen.getByTestId('kit-group-pilot-failed').textContent).toBe('1 failed');
    expect(screen.getByTestId('kit-group-pilot-pending').textContent).toBe(`${pilotPending} pending`);
    expect(screen.queryByTestId('kit-group-pilot-installed')).toBeNull();
    expect(screen.getByTestId('kit-group-silo-degraded').textContent).toBe('1 degraded');

    // A card names the component as Review did, and the HelmRelease it is.
    const gitea = screen.getByTestId('kit-card-gitea');
    expect(within(gitea).getByRole('heading').textContent).toBe('Gitea');
    expect(gitea.textContent).toContain('bp-gitea');
    expect(gitea.textContent).toContain('install retries exhausted');
    expect(within(screen.getByTestId('kit-card-catalyst-platform')).getByRole('heading').textContent).toBe(
      'Catalyst Platform',
    );

    // Retry stays per component.
    expect(screen.queryByTestId('retry-flux')).toBeNull();
    fireEvent.click(within(gitea).getByTestId('retry-gitea'));
    await waitFor(() => expect(api.callsTo('POST', retryPath)).toHaveLength(1));
    expect(api.callsTo('POST', retryPath)[0]?.body).toEqual({});

    // The stream finishes SILO: its counts follow and it collapses.
    const source = FakeEventSource.instances.at(-1);
    if (!source) throw new Error('no stream');
    const silo = inFamily('silo').filter((id) => stateOf(id) !== 'installed');
    expect(silo.length).toBeGreaterThan(0);
    silo.forEach((component, i) => {
      source.emit('component', { seq: 100 + i, time: now, component, state: 'installed' });
    });
    await waitFor(() => expect(group('silo').open).toBe(false));
    expect(screen.getByTestId('kit-group-counts-silo').textContent).toBe(
      `${inFamily('silo').length} installed`,
    );
    await waitFor(() =>
      expect(screen.getByTestId('kit-summary').textContent).toMatch(
        new RegExp(`^${installed + silo.length} of ${watched.length} installed`),
      ),
    );
    expect(group('pilot').open).toBe(true);
  });

  it('says all of it is installed, every group collapsed, once the kit is done', async () => {
    stubApi({
      'GET /auth/me': () => answer(sessionResponseSchema, { user: testUser }),
      [`GET /api/v1/deployments/${ID}`]: () =>
        answer(
          deploymentSchema,
          kitRun(() => 'installed'),
        ),
    });
    renderApp(`/sovereign/provision/${ID}`);
    expect((await screen.findByTestId('kit-summary')).textContent).toBe(
      `${watched.length} of ${watched.length} installed`,
    );
    const groups = screen.getByTestId('kit-grid').querySelectorAll('details');
    expect(groups.length).toBe(new Set(watched.map(familyOf)).size);
    for (const details of groups) expect(details.open).toBe(false);
  });
});
