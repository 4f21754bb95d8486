import {
  bssSettingsSchema,
  defaultSelection,
  nodeSizes,
  subdomainCheckResponseSchema,
} from '@catalyst/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, apiError, stubApi } from '../../test/api';
import * as make from '../../test/factories';
import { mapServerIssues } from './StepReview';
import { loadWizardState, STORAGE_KEY } from './store';
import { renderWizard } from './testUtils';
import { stepOfPath } from './validation';

const pressed = (id: string) => screen.getByTestId(`component-card-${id}`).getAttribute('aria-pressed');

describe('Components step', () => {
  it('adds transitive dependencies and asks before removing a needed component', () => {
    renderWizard({ step: 4 });
    expect(screen.queryByText(/Choose Your Stack/)).toBeNull();
    expect(screen.queryByText(/Always Included/)).toBeNull();
    const start = defaultSelection().length;
    expect(screen.getByTestId('selected-counter').textContent).toContain(`(${start})`);
    expect(pressed('librechat')).toBe('false');
    expect(pressed('ferretdb')).toBe('false');

    // LibreChat needs FerretDB, which needs CloudNative PG (already mandatory).
    fireEvent.click(screen.getByTestId('component-card-librechat'));
    expect(pressed('librechat')).toBe('true');
    expect(pressed('ferretdb')).toBe('true');
    expect(screen.getByTestId('selected-counter').textContent).toContain(`(${start + 2})`);

    // Removing FerretDB would take LibreChat with it: the dialog names it.
    fireEvent.click(screen.getByTestId('component-card-ferretdb'));
    const dialog = screen.getByTestId('cascade-dialog');
    expect(within(dialog).getByTestId('cascade-dependents').textContent).toContain('LibreChat');
    fireEvent.click(screen.getByTestId('cascade-cancel'));
    expect(screen.queryByTestId('cascade-dialog')).toBeNull();
    expect(pressed('ferretdb')).toBe('true');

    fireEvent.click(screen.getByTestId('component-card-ferretdb'));
    fireEvent.click(screen.getByTestId('cascade-confirm'));
    expect(pressed('ferretdb')).toBe('false');
    expect(pressed('librechat')).toBe('false');

    // A component nothing selected needs goes without asking.
    fireEvent.click(screen.getByTestId('component-card-grafana'));
    expect(screen.queryByTestId('cascade-dialog')).toBeNull();
    expect(pressed('grafana')).toBe('false');

    // Mandatory cards are locked.
    fireEvent.click(screen.getByTestId('component-card-cnpg'));
    expect(pressed('cnpg')).toBe('true');

    fireEvent.click(screen.getByTestId('reset-defaults'));
    expect(screen.getByTestId('selected-counter').textContent).toContain(`(${start})`);
    expect(pressed('grafana')).toBe('true');
  });

  it('filters by search and family, shows logo tiles on the brand surface and letter-marks', () => {
    renderWizard({ step: 4 });
    const tile = screen.getByTestId('logo-temporal').parentElement as HTMLElement;
    expect(tile.style.background.toLowerCase()).toMatch(/#127ed1|rgb\(18, 126, 209\)/);
    // PowerDNS has no logo: a letter-mark on its surface.
    expect(screen.getByTestId('logo-powerdns').textContent).toBe('P');

    fireEvent.click(screen.getByTestId('category-chip-relay'));
    expect(screen.queryByTestId('component-card-flux')).toBeNull();
    expect(screen.getByTestId('component-card-matrix')).toBeTruthy();

    fireEvent.click(screen.getByTestId('category-chip-all'));
    fireEvent.change(screen.getByTestId('component-search'), { target: { value: 'postgres' } });
    expect(screen.getByTestId('component-card-cnpg')).toBeTruthy();
    expect(screen.queryByTestId('component-card-flux')).toBeNull();
  });
});

describe('Provider step', () => {
  it('offers only the region provider’s SKUs, preselects cpx32 and disables unavailable providers', () => {
    renderWizard({ step: 2 });
    const cp = screen.getByTestId('cp-size-select-0') as HTMLSelectElement;
    expect(cp.value).toBe('cpx32');
    const ids = [...cp.options].map((o) => o.value);
    expect(ids).toEqual(nodeSizes.hetzner.map((s) => s.id));
    expect(ids.some((id) => nodeSizes.huawei.some((h) => h.id === id))).toBe(false);
    const cpx32 = [...cp.options].find((o) => o.value === 'cpx32');
    expect(cpx32?.textContent).toBe(
      'CPX32 — 4 vCPU · 8 GB RAM · 160 GB · €0.0232/h · €14.49/mo · recommended',
    );

    const provider = screen.getByTestId('provider-select-0') as HTMLSelectElement;
    const huawei = [...provider.options].find((o) => o.value === 'huawei');
    expect(huawei?.disabled).toBe(true);
    expect(huawei?.textContent).toContain('not yet available');

    expect(screen.queryByTestId('worker-size-select-0')).toBeNull();
    fireEvent.change(screen.getByTestId('worker-count-0'), { target: { value: '99' } });
    expect((screen.getByTestId('worker-count-0') as HTMLInputElement).value).toBe('50');
    expect((screen.getByTestId('worker-size-select-0') as HTMLSelectElement).value).toBe('cpx32');
  });

  it('shows a restored region on another provider with that provider’s SKUs and blocks it', () => {
    renderWizard({
      step: 2,
      regions: [
        {
          provider: 'huawei',
          cloudRegion: 'eu-west-101',
          controlPlaneSize: 'c7n.xlarge.2',
          workerSize: 'c7n.xlarge.2',
          workerCount: 0,
        },
      ],
    });
    const ids = [...(screen.getByTestId('cp-size-select-0') as HTMLSelectElement).options].map(
      (o) => o.value,
    );
    expect(ids).toEqual(nodeSizes.huawei.map((s) => s.id));
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByText(/Huawei Cloud is not available yet/)).toBeTruthy();
    expect(screen.getByTestId('wizard-step-3').getAttribute('aria-current')).toBe('step');
  });
});

describe('Regions', () => {
  const hetzner = {
    provider: 'hetzner' as const,
    controlPlaneSize: 'cpx32',
    workerSize: 'cpx32',
    workerCount: 0,
  };
  const regionSelect = (i: number) => screen.getByTestId(`cloud-region-select-${i}`) as HTMLSelectElement;
  const option = (i: number, value: string) => [...regionSelect(i).options].find((o) => o.value === value);

  it('adds each new region in a location no other region uses', () => {
    renderWizard({
      step: 1,
      org: { name: 'Acme', industry: 'Retail', size: '1–50', headquarters: 'Muscat', compliance: [] },
    });
    fireEvent.click(screen.getByTestId('topology-regions-5'));
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('wizard-step-3').getAttribute('aria-current')).toBe('step');
    expect([0, 1, 2, 3, 4].map((i) => regionSelect(i).value)).toEqual(['fsn1', 'nbg1', 'hel1', 'ash', 'hil']);
    // Back to two, then three again: the third takes the first free location, not a copy of the first.
    fireEvent.click(screen.getByTestId('wizard-step-2'));
    fireEvent.click(screen.getByTestId('topology-regions-2'));
    fireEvent.click(screen.getByTestId('topology-regions-3'));
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect([0, 1, 2].map((i) => regionSelect(i).value)).toEqual(['fsn1', 'nbg1', 'hel1']);
  });

  it('cannot choose a location twice, and shows other providers’ regions without letting them be chosen', () => {
    renderWizard({
      step: 2,
      regions: [
        { ...hetzner, cloudRegion: 'fsn1' },
        { ...hetzner, cloudRegion: 'nbg1' },
      ],
    });
    // Region 2's own location is chosen; Region 1's is there, marked and disabled.
    expect(option(1, 'nbg1')?.disabled).toBe(false);
    expect(option(1, 'fsn1')?.disabled).toBe(true);
    expect(option(1, 'fsn1')?.textContent).toBe('Falkenstein (fsn1) — already region 1');
    expect(option(1, 'hel1')?.disabled).toBe(false);
    expect(option(0, 'nbg1')?.textContent).toBe('Nuremberg (nbg1) — already region 2');

    // Huawei's regions are listed under "not yet available", every one disabled.
    const huawei = [...regionSelect(0).querySelectorAll('optgroup')].find((g) =>
      g.label.startsWith('Huawei Cloud'),
    );
    expect(huawei?.label).toBe('Huawei Cloud — not yet available');
    const dublin = [...(huawei?.querySelectorAll('option') ?? [])].find(
      (o) => o.textContent === 'Dublin (eu-west-101)',
    );
    expect(dublin?.disabled).toBe(true);
    expect(
      [...regionSelect(0).querySelectorAll('optgroup option')].every(
        (o) => (o as HTMLOptionElement).disabled,
      ),
    ).toBe(true);

    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('wizard-step-4').getAttribute('aria-current')).toBe('step');
  });

  it('stops a draft that names one location twice at the Provider step, on the second region', () => {
    renderWizard({
      step: 2,
      regions: [
        { ...hetzner, cloudRegion: 'fsn1' },
        { ...hetzner, cloudRegion: 'fsn1' },
      ],
    });
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('wizard-step-3').getAttribute('aria-current')).toBe('step');
    const second = screen.getByTestId('region-card-1');
    expect(second.textContent).toContain('fsn1 is already one of the regions: each region once');
    expect(screen.getByTestId('region-card-0').textContent).not.toContain('already one of the regions');

    // Choosing another location for it lets the operator on.
    fireEvent.change(regionSelect(1), { target: { value: 'hel1' } });
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('wizard-step-4').getAttribute('aria-current')).toBe('step');
  });

  it('lists every region on Review, and says nothing of regions being left out', () => {
    const { container } = renderWizard({
      step: 6,
      regions: [
        { ...hetzner, cloudRegion: 'fsn1' },
        { ...hetzner, cloudRegion: 'nbg1', workerCount: 2 },
      ],
    });
    expect(screen.getByTestId('review-region-0').textContent).toBe(
      'Hetzner Cloud · Falkenstein (fsn1) · CP cpx32 · no workers',
    );
    expect(screen.getByTestId('review-region-1').textContent).toBe(
      'Hetzner Cloud · Nuremberg (nbg1) · CP cpx32 · 2 × cpx32',
    );
    expect(container.textContent).not.toMatch(/informational|first region only/i);
  });
});

describe('Domain step', () => {
  it('checks the subdomain after a pause and reports invalid, taken and available', async () => {
    const api = stubApi({
      'GET /api/v1/bss/settings': () => apiError(403, 'forbidden', 'Needs sovereign-admin'),
      'POST /api/v1/subdomains/check': (call) => {
        const { subdomain } = call.body as { subdomain: string };
        return subdomain === 'acme'
          ? answer(
              subdomainCheckResponseSchema,
              make.subdomainCheck({
                available: false,
                reason: 'taken',
                message: 'acme.pool.example is taken',
              }),
            )
          : answer(subdomainCheckResponseSchema, make.subdomainCheck({ fqdn: `${subdomain}.pool.example` }));
      },
    });
    renderWizard({ step: 5 });
    // No readable pool list: free text.
    const pool = await screen.findByTestId('pool-domain-input');
    fireEvent.change(pool, { target: { value: 'pool.example' } });

    const sub = screen.getByTestId('pool-subdomain-input');
    fireEvent.change(sub, { target: { value: '9lives' } });
    expect(screen.getByTestId('subdomain-status').getAttribute('data-status')).toBe('invalid');

    fireEvent.change(sub, { target: { value: 'Acme' } });
    expect((sub as HTMLInputElement).value).toBe('acme');
    expect(screen.getByTestId('subdomain-status').getAttribute('data-status')).toBe('checking');
    await waitFor(() =>
      expect(screen.getByTestId('subdomain-status').getAttribute('data-status')).toBe('taken'),
    );
    expect(screen.getByText('acme.pool.example is taken')).toBeTruthy();

    fireEvent.change(sub, { target: { value: 'globex' } });
    await waitFor(() =>
      expect(screen.getByTestId('subdomain-status').getAttribute('data-status')).toBe('available'),
    );
    expect(screen.getByTestId('domain-preview').textContent).toContain('globex.pool.example');
    // Invalid names were never sent; each valid one once, after the debounce.
    expect(api.callsTo('POST', '/api/v1/subdomains/check').map((c) => c.body)).toEqual([
      { poolDomain: 'pool.example', subdomain: 'acme' },
      { poolDomain: 'pool.example', subdomain: 'globex' },
    ]);

    // The admin e-mail is still missing: Continue shows why.
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(await screen.findByText('Enter a valid e-mail address')).toBeTruthy();
  });

  it('uses the pool domains from the settings and lists nameservers for a manual delegation', async () => {
    stubApi({
      'GET /api/v1/bss/settings': () =>
        answer(
          bssSettingsSchema,
          make.bssSettings({
            sovereignPoolDomains: ['sov.example', 'other.example'],
            nameservers: ['ns-a.catalyst.example', 'ns-b.catalyst.example'],
          }),
        ),
    });
    renderWizard({ step: 5 });
    const select = (await screen.findByTestId('pool-domain-select')) as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe('sov.example'));
    fireEvent.click(screen.getByTestId('domain-mode-byo-manual'));
    fireEvent.change(screen.getByTestId('byo-domain-input'), { target: { value: 'cloud.acme.io' } });
    // The nameservers the api is configured with, not a guess from the pool domain.
    await waitFor(() =>
      expect(screen.getByTestId('byo-ns-instructions').textContent).toContain('ns-a.catalyst.example'),
    );
    expect(screen.getByTestId('byo-ns-instructions').textContent).toContain('ns-b.catalyst.example');
    expect(screen.getByTestId('byo-ns-copy-1')).toBeTruthy();
  });
});

describe('Wizard store', () => {
  it('never persists secrets, keeps the step, and only lets reachable steps be clicked', () => {
    renderWizard({
      step: 3,
      hetznerToken: 'a'.repeat(64),
      registrarCredentials: { apiToken: 'reg-cred-xyz' },
      org: { name: 'Acme', industry: 'Banking', size: '100–500', headquarters: 'Muscat', compliance: [] },
    });
    const saved = window.localStorage.getItem(STORAGE_KEY) ?? '';
    expect(saved).not.toContain('a'.repeat(64));
    expect(saved).not.toContain('reg-cred-xyz');
    const restored = loadWizardState();
    expect(restored.step).toBe(3);
    expect(restored.org.name).toBe('Acme');
    expect(restored.hetznerToken).toBe('');

    // Earlier steps stay reachable; Domain is not (Credentials is incomplete).
    expect((screen.getByTestId('wizard-step-1') as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByTestId('wizard-step-6') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('wizard-step-4').getAttribute('aria-current')).toBe('step');
    const labels = [1, 2, 3, 4, 5, 6, 7].map((i) => screen.getByTestId(`wizard-step-${i}`).textContent);
    expect(labels).toEqual([
      '1Organisation',
      '2Topology',
      '3Provider',
      '4Credentials',
      '5Components',
      '6Domain',
      '7Review',
    ]);
  });

  it('maps server issues back to their steps', () => {
    const issues = mapServerIssues({
      issues: [
        { path: ['topology', 'regions', 0, 'cloudRegion'], message: 'Hetzner Cloud has no region "x"' },
        { path: 'adminEmail', message: 'Enter a valid e-mail address' },
      ],
    });
    expect(issues.map((i) => [i.path, stepOfPath(i.path)])).toEqual([
      ['topology.regions.0.cloudRegion', 2],
      ['adminEmail', 5],
    ]);
    expect(stepOfPath('topology.regions')).toBe(1);
    expect(stepOfPath('credentials.hetznerToken')).toBe(3);
  });
});
