import { expect, test } from '@playwright/test';
import { E2E_PORTS } from '../support/ports.mjs';
import { artifact, door, sovereignJourney } from '../support/sovereign-journey.js';
import {
  activeStep,
  signInAsAdmin,
  uniqueSubdomain,
  walkFromComponentsToReview,
  walkToComponents,
} from '../support/wizard.js';

/*
 * The handover across two instances of the product: the operator provisions on the mothership (serve.mjs,
 * here with PowerDNS so the run gets past dns), serve.mjs plays the new Sovereign from what the run wrote
 * for it — its cluster converges, its own Catalyst starts in sovereign mode on the console port, cloud-init
 * posts the kubeconfig back — and "Open your console" lands the browser signed in on that second instance.
 */

/** The Sovereign's console (the mothership's CATALYST_SOVEREIGN_CONSOLE_URL in serve.mjs). */
const CONSOLE = `http://localhost:${E2E_PORTS.sovereign}`;
/** The wizard's admin e-mail (support/wizard.ts): the Sovereign's first sovereign-admin. */
const SOVEREIGN_ADMIN = 'ops@e2e.test';

const journey = sovereignJourney();

test("the operator provisions, opens the new Sovereign's console and lands signed in on its own Catalyst", async ({
  page,
  context,
  browser,
}) => {
  test.setTimeout(240_000);
  await signInAsAdmin(context);

  // The wizard, with its defaults, under a fresh pool name.
  await walkToComponents(page);
  const subdomain = uniqueSubdomain('handover');
  await walkFromComponentsToReview(page, subdomain);
  await expect(activeStep(page)).toHaveText(/Review$/);
  await page.getByTestId('provision-button').click();
  await expect(page).toHaveURL(/\/sovereign\/provision\/[0-9a-f-]{36}$/);
  const id = /provision\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
  journey.track(id);

  // OpenTofu and DNS succeed; the run then waits for the new control plane's kubeconfig.
  for (const phase of ['preflight', 'tofu-init', 'tofu-plan', 'tofu-apply', 'tofu-output', 'dns']) {
    await expect(page.getByTestId(`phase-status-${phase}`)).toHaveText('succeeded', { timeout: 60_000 });
  }
  await expect(page.getByTestId('phase-status-flux-bootstrap')).toHaveText('running', { timeout: 30_000 });
  const deployment = await page.request.get(`/api/v1/deployments/${id}`);
  const { fqdn } = (await deployment.json()) as { fqdn: string };
  expect(fqdn.startsWith(`${subdomain}.`)).toBe(true);

  // The new Sovereign comes up from what the run wrote for it (tfvars: handover key, fqdn, regions).
  const started = await door('/sovereign', { fqdn });
  expect(started).toEqual({ fqdn, consoleUrl: CONSOLE });

  await expect(page.getByTestId('phase-status-flux-bootstrap')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(page.getByTestId('phase-status-bootstrap-kit')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(page.getByTestId('phase-status-handover')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(page.getByTestId('deployment-status')).toHaveText('ready');
  await expect(page.getByTestId('deployment-result')).toContainText(CONSOLE);

  // "Open your console": the mothership mints a one-time link and the browser follows it. The link is read from
  // the navigation itself: the minting answer's body is gone once the page has navigated away.
  const minted = page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.url().endsWith(`/api/v1/deployments/${id}/handover`),
  );
  const followed = page.waitForRequest((r) => r.url().startsWith(`${CONSOLE}/auth/handover?token=`));
  await page.getByTestId('open-console').click();
  expect((await minted).status()).toBe(200);
  const link = (await followed).url();

  // Signed in on the Sovereign's own Catalyst, on its console dashboard.
  await expect(page).toHaveURL(`${CONSOLE}/console/`, { timeout: 30_000 });
  await expect(page.getByTestId('current-user')).toHaveText(SOVEREIGN_ADMIN);
  const me = await page.request.get(`${CONSOLE}/auth/me`);
  expect(me.status()).toBe(200);
  const session = (await me.json()) as { user: { email: string; roles: string[] }; mode: string };
  expect(session.mode).toBe('sovereign');
  expect(session.user.email).toBe(SOVEREIGN_ADMIN);
  expect(session.user.roles).toContain('sovereign-admin');
  // A Sovereign provisions nothing: no Sovereign tab, no fleet.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link')).toHaveText(['Console', 'BSS', 'Marketplace']);
  await expect(page.getByTestId('deployments-table')).toHaveCount(0);

  // Its facts: the run's fqdn and region.
  await expect(page.getByTestId('sovereign-fqdn')).toHaveText(fqdn);
  await expect(page.getByTestId('sovereign-deployment')).toHaveText(id);
  await expect(page.getByTestId('sovereign-org')).toHaveText('Acme E2E');
  const regions = page.getByTestId('sovereign-regions');
  await expect(regions.getByTestId('sovereign-region-fsn1')).toContainText('hetzner');
  await expect(regions.getByTestId('sovereign-region-fsn1')).toContainText('cpx32');
  await expect(page.getByTestId('sovereign-component-cilium')).toBeVisible();
  await page.screenshot({ path: artifact('handover-1-sovereign-dashboard'), fullPage: true });

  // Its components: the HelmReleases of its own cluster (the kit Flux converged there), all Ready.
  await page.getByTestId('console-nav-apps').click();
  await expect(page).toHaveURL(`${CONSOLE}/console/apps`);
  const grid = page.getByTestId('apps-grid');
  for (const component of ['cilium', 'cert-manager', 'flux', 'catalyst-platform']) {
    await expect(grid.getByTestId(`app-card-${component}`)).toContainText('installed');
  }
  const listed = (await (await page.request.get(`${CONSOLE}/api/v1/sovereign/components`)).json()) as {
    components: { name: string; state: string }[];
  };
  expect(listed.components.map((c) => c.name)).toEqual(
    expect.arrayContaining(['bp-cilium', 'bp-cert-manager', 'bp-flux', 'bp-catalyst-platform']),
  );
  await expect(grid.locator('li')).toHaveCount(listed.components.length);
  await page.screenshot({ path: artifact('handover-2-sovereign-components'), fullPage: true });

  // The same link again, in a browser with no session: refused, and no session comes of it.
  const stranger = await browser.newContext();
  const replay = await stranger.newPage();
  const replayed = await replay.goto(link);
  expect(replayed?.status()).toBe(401);
  expect(await replayed?.headerValue('set-cookie')).toBeNull();
  expect(await replayed?.json()).toEqual({
    error: { code: 'handover_refused', message: expect.stringContaining('not valid') },
  });
  expect(await stranger.cookies()).toEqual([]);
  expect((await replay.request.get(`${CONSOLE}/auth/me`)).status()).toBe(401);
  await stranger.close();
});
