import {
  bssSettingsSchema,
  defaultSelection,
  expectedKitReleases,
  findComponent,
  installSet,
  installSetFootprint,
  notInstallable,
} from '@catalyst/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, apiError, stubApi } from '../../test/api';
import * as make from '../../test/factories';
import { formatGib, formatVcpu } from './capacity';
import type { RegionDraft, WizardState } from './store';
import { renderWizard } from './testUtils';

const TOKEN = 'T'.repeat(64);
const SSH = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN8iCw9NhqjBwzzOKJeDTT2brxnEV4nikQzKbgc15cqu ada@laptop';

const hetzner = (size: string, workerCount = 0, cloudRegion = 'fsn1'): RegionDraft => ({
  provider: 'hetzner',
  cloudRegion,
  controlPlaneSize: size,
  workerSize: size,
  workerCount,
});
/** Two vCPU and 4 GB: 1.8 vCPU and 3.6 GiB once the system has its 10%; less than any install set requests. */
const tiny = hetzner('cx23');
/**
 * Six ccx63 (48 vCPU, 192 GB each) with HA: 288 vCPU and 1152 GiB, of which 259.2 vCPU and 1036.8 GiB are usable;
 * more than the whole catalog requests.
 */
const huge = hetzner('ccx63', 3);

/** A Review the operator could provision from (every step valid). */
const ready = (patch: Partial<WizardState> = {}): Partial<WizardState> => ({
  step: 6,
  org: { name: 'Acme', industry: 'Banking', size: '100–500', headquarters: 'Muscat, Oman', compliance: [] },
  hetznerToken: TOKEN,
  hetznerProjectId: '42',
  tokenCheck: { token: TOKEN, status: 'valid', message: 'ok' },
  sshPublicKey: SSH,
  domainMode: 'byo-manual',
  byoDomain: 'cloud.acme.io',
  adminEmail: 'ops@acme.example',
  ...patch,
});

const requestedText = (selected: string[]) => {
  const footprint = installSetFootprint(installSet(selected));
  return `The selected components request ${formatVcpu(footprint.cpuMillis)} vCPU and ${formatGib(footprint.memoryMiB)} GiB`;
};

/** The releases Review lists, in the order shown. */
const listed = () =>
  [...screen.getByTestId('review-install-set').querySelectorAll('.sov-install-list > li')].map((li) =>
    li.getAttribute('data-testid')?.replace(/^review-install-/, ''),
  );

describe('Review: the install set', () => {
  it('is exactly what the run watches, grouped by family with counts, the platform’s own releases included', () => {
    renderWizard(ready({ components: defaultSelection(), regions: [huge], haEnabled: true }));
    const watched = expectedKitReleases(installSet(defaultSelection()));
    expect(screen.getByRole('heading', { name: `Install set (${watched.length})` })).toBeTruthy();
    expect([...listed()].sort()).toEqual([...watched].sort());
    expect(listed()).toHaveLength(watched.length);

    // The platform's own releases, which no component card stands for, in a group of their own.
    const platform = within(screen.getByTestId('review-install-group-platform'));
    for (const name of ['Flux Operator', 'Sealed Secrets', 'NATS JetStream', 'Catalyst Platform']) {
      expect(platform.getByText(name)).toBeTruthy();
    }
    expect(screen.getByTestId('review-install-count-platform').textContent).toBe('(4)');
    // Catalog components under their family, by their catalog name.
    const family = findComponent('grafana')?.family;
    const group = screen.getByTestId(`review-install-group-${family}`);
    expect(within(group).getByTestId('review-install-grafana').textContent).toBe('Grafana');
    const inFamily = watched.filter((id) => findComponent(id)?.family === family);
    expect(screen.getByTestId(`review-install-count-${family}`).textContent).toBe(`(${inFamily.length})`);
  });

  it('with nothing optional selected lists the base kit only, and grows with a selection and its needs', () => {
    renderWizard(ready({ components: [], regions: [huge] }));
    const base = expectedKitReleases(installSet([]));
    expect(screen.getByRole('heading', { name: `Install set (${base.length})` })).toBeTruthy();
    expect([...listed()].sort()).toEqual([...base].sort());
    expect(screen.queryByTestId('review-install-grafana')).toBeNull();
    expect(screen.queryByTestId('review-install-librechat')).toBeNull();

    // Edit → Components: select LibreChat, which brings FerretDB; back on Review both are listed.
    fireEvent.click(screen.getByTestId('wizard-step-5'));
    fireEvent.click(screen.getByTestId('component-card-librechat'));
    fireEvent.click(screen.getByTestId('wizard-step-7'));
    expect(screen.getByRole('heading', { name: `Install set (${base.length + 2})` })).toBeTruthy();
    expect(screen.getByTestId('review-install-librechat').textContent).toBe('LibreChat');
    expect(screen.getByTestId('review-install-ferretdb').textContent).toBe('FerretDB');
  });
});

describe('Capacity check', () => {
  it('on the Components step: warns with the figures when the set exceeds the nodes, and leads to them', () => {
    const selected = defaultSelection();
    const footprint = installSetFootprint(installSet(selected));
    // cx23 leaves 1800m and 3686 MiB: the set does not fit (else this test proves nothing).
    expect(footprint.cpuMillis > 1800 || footprint.memoryMiB > 3686).toBe(true);
    // Continue leads to the Domain step, which reads the pool domains.
    stubApi({ 'GET /api/v1/bss/settings': () => answer(bssSettingsSchema, make.bssSettings()) });
    renderWizard(ready({ step: 4, components: selected, regions: [tiny] }));

    expect(screen.getByTestId('capacity-check').getAttribute('data-fits')).toBe('false');
    expect(screen.getByTestId('capacity-warning').textContent).toBe(
      `${requestedText(selected)}; your nodes have 1.8 vCPU and 3.6 GiB. Choose larger or more nodes, or fewer components.`,
    );
    expect(screen.getByTestId('capacity-check').textContent).toContain(
      '10% of each node is kept for the system',
    );
    // A warning, not a block: Continue still goes on.
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('wizard-step-6').getAttribute('aria-current')).toBe('step');

    fireEvent.click(screen.getByTestId('wizard-step-5'));
    fireEvent.click(screen.getByTestId('capacity-choose-nodes'));
    expect(screen.getByTestId('wizard-step-3').getAttribute('aria-current')).toBe('step');
    expect((screen.getByTestId('cp-size-select-0') as HTMLSelectElement).value).toBe('cx23');

    // Larger nodes: the figures stay, quietly.
    fireEvent.change(screen.getByTestId('cp-size-select-0'), { target: { value: 'ccx63' } });
    fireEvent.click(screen.getByTestId('wizard-step-5'));
    expect(screen.getByTestId('capacity-check').getAttribute('data-fits')).toBe('true');
    expect(screen.queryByTestId('capacity-warning')).toBeNull();
    expect(screen.getByTestId('capacity-check').textContent).toContain(
      `${requestedText(selected)}; your nodes have 43.2 vCPU and 172.8 GiB.`,
    );
  });

  it('counts every node of a region: three control planes with HA, and the workers', () => {
    renderWizard({ step: 4, components: defaultSelection(), regions: [huge], haEnabled: true });
    const check = screen.getByTestId('capacity-check');
    expect(check.getAttribute('data-fits')).toBe('true');
    expect(check.textContent).toContain('your nodes have 259.2 vCPU and 1036.8 GiB.');
  });

  it('holds each region to the whole set, and names the region that is short', () => {
    renderWizard({
      step: 4,
      components: defaultSelection(),
      regions: [huge, hetzner('cx23', 0, 'hel1')],
      haEnabled: false,
    });
    expect(screen.getByTestId('capacity-warning').textContent).toBe(
      `${requestedText(defaultSelection())}; your nodes in region 2 (Helsinki) have 1.8 vCPU and 3.6 GiB. Choose larger or more nodes, or fewer components.`,
    );
    expect(screen.getByTestId('capacity-check').textContent).toContain('each region runs the whole set');
  });

  it('on Review: warns the same way, links to the nodes, and does not stop Provision', async () => {
    const api = stubApi({
      'POST /api/v1/deployments': () => apiError(503, 'unavailable', 'The api is busy, try again'),
    });
    renderWizard(ready({ components: defaultSelection(), regions: [tiny] }));
    expect(screen.queryByTestId('review-blocking')).toBeNull();
    expect(screen.getByTestId('capacity-warning').textContent).toContain(
      'your nodes have 1.8 vCPU and 3.6 GiB. Choose larger or more nodes, or fewer components.',
    );

    fireEvent.click(screen.getByTestId('provision-button'));
    await waitFor(() => expect(api.callsTo('POST', '/api/v1/deployments')).toHaveLength(1));
    const body = api.callsTo('POST', '/api/v1/deployments')[0]?.body as { components: string[] };
    expect([...body.components].sort()).toEqual([...defaultSelection()].sort());
    expect(await screen.findByText('The api is busy, try again')).toBeTruthy();

    fireEvent.click(screen.getByTestId('capacity-choose-nodes'));
    expect(screen.getByTestId('wizard-step-3').getAttribute('aria-current')).toBe('step');
  });
});

describe('Components step', () => {
  it('does not offer a component that cannot be installed', () => {
    renderWizard({ step: 4 });
    const notOffered = Object.keys(notInstallable);
    expect(notOffered.length).toBeGreaterThan(0);
    for (const id of notOffered) expect(screen.queryByTestId(`component-card-${id}`)).toBeNull();
    fireEvent.change(screen.getByTestId('component-search'), { target: { value: notOffered[0] } });
    expect(screen.getByTestId('empty-state')).toBeTruthy();
  });
});
