import { expect, test } from '@playwright/test';
import { artifact, door, sovereignJourney } from '../support/sovereign-journey.js';
import {
  activeStep,
  signInAsAdmin,
  uniqueSubdomain,
  walkFromComponentsToReview,
  walkToComponentsIn,
} from '../support/wizard.js';

/*
 * A Sovereign in two Hetzner regions, provisioned from the wizard in one run: the tofu stand-in builds both
 * regions, PowerDNS (serve.mjs's side door) serves their records, serve.mjs plays both control planes posting
 * their kubeconfig back (one token per region), and the provision page shows one row per region with that
 * region's phases, load balancer and bootstrap kit.
 */

const REGIONS = ['fsn1', 'nbg1'] as const;
const LABELS: Record<(typeof REGIONS)[number], string> = {
  fsn1: 'Falkenstein (fsn1)',
  nbg1: 'Nuremberg (nbg1)',
};

const journey = sovereignJourney();

test('the wizard provisions two Hetzner regions in one run and the provision page follows both', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  await signInAsAdmin(context);

  // Two regions, each in its own location; Review lists both.
  await walkToComponentsIn(page, [...REGIONS]);
  const subdomain = uniqueSubdomain('mesh');
  await walkFromComponentsToReview(page, subdomain);
  await expect(activeStep(page)).toHaveText(/Review$/);
  await expect(page.getByTestId('review-region-0')).toContainText(LABELS.fsn1);
  await expect(page.getByTestId('review-region-1')).toContainText(LABELS.nbg1);
  await page.getByTestId('provision-button').click();
  await expect(page).toHaveURL(/\/sovereign\/provision\/[0-9a-f-]{36}$/);
  const id = /provision\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
  journey.track(id);

  // One row per region, in the request's order, each named from the catalog.
  const rows = page.getByTestId('region-rows').locator(':scope > li');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).getByRole('heading', { level: 2 }).first()).toHaveText(LABELS.fsn1);
  await expect(rows.nth(1).getByRole('heading', { level: 2 }).first()).toHaveText(LABELS.nbg1);

  // One OpenTofu run builds both regions, each with its own load balancer; DNS is served for both.
  for (const phase of ['preflight', 'tofu-init', 'tofu-plan', 'tofu-apply', 'tofu-output', 'dns']) {
    await expect(page.getByTestId(`phase-status-${phase}`)).toHaveText('succeeded', { timeout: 60_000 });
  }
  // (Every server and load balancer of the tofu stand-in reports 127.0.0.1 here, so both show that address.)
  for (const region of REGIONS) {
    await expect(page.getByTestId(`region-phase-${region}-infrastructure`)).toHaveText('succeeded');
    await expect(page.getByTestId(`region-resources-${region}`)).toContainText('resources');
    await expect(page.getByTestId(`region-lb-${region}`)).toHaveText(/^\d{1,3}(\.\d{1,3}){3}$/);
  }
  const deployment = await page.request.get(`/api/v1/deployments/${id}`);
  const { fqdn } = (await deployment.json()) as { fqdn: string };
  await page.screenshot({ path: artifact('multi-region-1-infrastructure'), fullPage: true });

  // Both control planes post their kubeconfig back (serve.mjs plays them); each region's kit converges.
  await door('/sovereign', { fqdn });
  for (const region of REGIONS) {
    await expect(page.getByTestId(`region-phase-${region}-kubeconfig`)).toHaveText('succeeded', {
      timeout: 60_000,
    });
    await expect(page.getByTestId(`region-phase-${region}-bootstrap-kit`)).toHaveText('succeeded', {
      timeout: 60_000,
    });
  }
  await expect(page.getByTestId('deployment-status')).toHaveText('ready', { timeout: 60_000 });

  // Each row holds its own region's components, grouped by family, all installed.
  const counts: string[] = [];
  for (const [i, region] of REGIONS.entries()) {
    const row = rows.nth(i);
    await expect(row.getByTestId('kit-grid').getByRole('heading', { level: 2 })).toHaveText(
      `Bootstrap kit in ${LABELS[region]}`,
    );
    for (const component of ['cilium', 'cert-manager', 'flux', 'catalyst-platform']) {
      await expect(row.getByTestId(`kit-card-${component}`)).toContainText('installed');
    }
    const summary = await row.getByTestId('kit-summary').textContent();
    expect(summary).toMatch(/^(\d+) of \1 installed$/);
    counts.push(summary ?? '');
  }
  expect(counts[0]).toBe(counts[1]);
  await page.screenshot({ path: artifact('multi-region-2-ready'), fullPage: true });
});
