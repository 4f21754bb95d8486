import {
  bssSettingsSchema,
  deploymentListSchema,
  metaSchema,
  type SovereignFacts,
  sessionResponseSchema,
  sovereignFactsResponseSchema,
} from '@catalyst/contracts';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, apiError, stubApi, testUser } from '../../test/api';
import * as make from '../../test/factories';
import { renderApp } from '../../test/renderApp';

const admin = { ...testUser, roles: ['sovereign-admin' as const] };

/** As the api serves the kit's sovereign.json (clusters/_template/bootstrap-kit/11-catalyst-platform.yaml). */
const FACTS: SovereignFacts = {
  fqdn: 'omantel.omani.works',
  deploymentId: '0b9f6c1e-5d2a-4c8e-9f3b-1a2b3c4d5e6f',
  createdAt: '2026-01-01T09:30:00Z',
  ha: true,
  k3sVersion: 'v1.31.4+k3s1',
  regions: [
    { provider: 'hetzner', region: 'fsn1', controlPlaneSize: 'cpx32', workerSize: 'cpx42', workerCount: 2 },
    { provider: 'hetzner', region: 'hel1', controlPlaneSize: 'cpx22', workerSize: '', workerCount: 0 },
  ],
  components: ['cilium', 'harbor'],
  orgName: 'Omantel Cloud',
};

function stub(
  facts: SovereignFacts | null,
  mode: 'mothership' | 'sovereign' = facts ? 'sovereign' : 'mothership',
) {
  return stubApi({
    'GET /api/v1/meta': () => answer(metaSchema, { mode }),
    'GET /auth/me': () => answer(sessionResponseSchema, { user: admin }),
    'GET /api/v1/sovereign': () => answer(sovereignFactsResponseSchema, { facts }),
    'GET /api/v1/deployments': () => answer(deploymentListSchema, { deployments: [] }),
    'GET /api/v1/bss/settings': () => answer(bssSettingsSchema, make.bssSettings()),
  });
}

async function expectFacts() {
  const card = await screen.findByTestId('sovereign-facts');
  expect(within(card).getByTestId('sovereign-fqdn').textContent).toBe('omantel.omani.works');
  expect(within(card).getByTestId('sovereign-org').textContent).toBe('Omantel Cloud');
  expect(within(card).getByTestId('sovereign-ha').textContent).toMatch(/^Yes/);
  expect(within(card).getByTestId('sovereign-deployment').textContent).toBe(FACTS.deploymentId);
  expect(within(card).getByTestId('sovereign-k3s').textContent).toBe('v1.31.4+k3s1');
  expect(within(card).getByTestId('sovereign-workers').textContent).toBe('2');
  expect(within(card).getByTestId('sovereign-created').querySelector('time')?.getAttribute('dateTime')).toBe(
    FACTS.createdAt,
  );
  const cells = (id: string) =>
    [...within(card).getByTestId(id).querySelectorAll('th, td')].map((c) => c.textContent);
  expect(cells('sovereign-region-fsn1')).toEqual(['fsn1', 'hetzner', 'cpx32', 'cpx42', '2']);
  expect(cells('sovereign-region-hel1')).toEqual(['hel1', 'hetzner', 'cpx22', '—', '0']);
  const components = within(card).getByTestId('sovereign-components');
  expect(
    within(components)
      .getAllByRole('listitem')
      .map((li) => li.textContent),
  ).toEqual(['Cilium cilium', 'Harbor harbor']);
}

describe("the Sovereign's facts in the console", () => {
  it('shows them on the Dashboard, with no fleet and no "New Sovereign" (a Sovereign provisions nothing)', async () => {
    const api = stub(FACTS);
    renderApp('/console/');
    await expectFacts();
    expect(api.callsTo('GET', '/api/v1/sovereign')).toHaveLength(1);
    expect(screen.queryByTestId('console-new-sovereign')).toBeNull();
    expect(screen.queryByTestId('deployments-table')).toBeNull();
    expect(api.callsTo('GET', '/api/v1/deployments')).toHaveLength(0);
  });

  it('shows them on Settings, above the server configuration', async () => {
    stub(FACTS);
    renderApp('/console/settings');
    await expectFacts();
    const settings = await screen.findByTestId('console-settings');
    const facts = screen.getByTestId('sovereign-facts');
    expect(facts.compareDocumentPosition(settings) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.queryByTestId('sovereign-facts-none')).toBeNull();
  });

  it('says a single-node Sovereign is not highly available', async () => {
    stub({ ...FACTS, ha: false, orgName: undefined });
    renderApp('/console/');
    expect((await screen.findByTestId('sovereign-ha')).textContent).toMatch(/^No/);
    expect(screen.queryByTestId('sovereign-org')).toBeNull();
  });

  it('shows no facts on a mothership: nothing on the Dashboard, a note on Settings', async () => {
    stub(null);
    const { router } = renderApp('/console/');
    expect(await screen.findByTestId('deployments-empty')).toBeTruthy();
    expect(screen.queryByTestId('sovereign-facts')).toBeNull();
    await router.navigate({ to: '/console/settings' });
    expect((await screen.findByTestId('sovereign-facts-none')).textContent).toContain(
      'CATALYST_SOVEREIGN_FILE',
    );
    expect(screen.queryByTestId('sovereign-facts')).toBeNull();
    expect(await screen.findByTestId('console-settings')).toBeTruthy();
  });

  it('keeps Settings usable when the facts cannot be loaded', async () => {
    stubApi({
      'GET /auth/me': () => answer(sessionResponseSchema, { user: admin }),
      'GET /api/v1/sovereign': () => apiError(503, 'unavailable', 'Try again'),
      'GET /api/v1/bss/settings': () => answer(bssSettingsSchema, make.bssSettings()),
    });
    renderApp('/console/settings');
    expect((await screen.findByRole('alert')).textContent).toContain("Could not load the Sovereign's facts");
    expect(await screen.findByTestId('console-settings')).toBeTruthy();
  });
});
