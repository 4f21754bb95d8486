import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { setTofuKnobs } from '../support/provision.js';
import { HETZNER_TOKEN, provisionRequest, signInAsAdmin, uniqueSubdomain } from '../support/wizard.js';

test.afterEach(async () => {
  await setTofuKnobs({ resourceDelayMs: 50 });
});

test('a failed tofu-apply is retried from the provision page with the Hetzner token, and the run resumes', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await signInAsAdmin(context);
  // The stand-in's first apply fails at its first change; the next one succeeds.
  await setTofuKnobs({ resourceDelayMs: 50, failCommand: 'apply', failTimes: 1 });
  const settings = (await (await page.request.get('/api/v1/bss/settings')).json()) as {
    sovereignPoolDomains: string[];
  };
  const created = await page.request.post('/api/v1/deployments', {
    data: provisionRequest(uniqueSubdomain('retry'), settings.sovereignPoolDomains[0] ?? ''),
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  await page.goto(`/sovereign/provision/${id}`);
  await expect(page.getByTestId('phase-status-tofu-apply')).toHaveText('failed', { timeout: 60_000 });
  await expect(page.getByTestId('deployment-status')).toHaveText('failed');
  for (const phase of ['preflight', 'tofu-init', 'tofu-plan']) {
    await expect(page.getByTestId(`phase-status-${phase}`)).toHaveText('succeeded');
  }
  // The api forgot the token when the run stopped: a retry without it is refused, as the page's was.
  const withoutToken = await page.request.post(`/api/v1/deployments/${id}/phases/tofu-apply/retry`, {
    data: {},
  });
  expect(withoutToken.status()).toBe(422);
  expect(((await withoutToken.json()) as { error: { code: string } }).error.code).toBe(
    'hetzner_token_required',
  );

  // So the page asks for it before it retries.
  await page.getByTestId('retry-tofu-apply').click();
  const dialog = page.getByRole('dialog', { name: 'Retry from tofu-apply?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('rerun-confirm')).toBeDisabled();
  await dialog.getByLabel('Hetzner API token').fill(HETZNER_TOKEN);
  const retried = page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' &&
      response.url().endsWith(`/api/v1/deployments/${id}/phases/tofu-apply/retry`),
  );
  await dialog.getByTestId('rerun-confirm').click();
  const answer = await retried;
  expect(answer.status()).toBe(200);
  expect(answer.request().postDataJSON()).toEqual({ hetznerToken: HETZNER_TOKEN });
  await expect(dialog).toHaveCount(0);

  // The run resumes from tofu-apply, which succeeds this time, and goes on past OpenTofu: dns is next
  // (and fails there, since this product has no PowerDNS configured).
  await expect(page.getByTestId('log-pane')).toContainText(
    'Retry from tofu-apply requested by admin@e2e.test',
    {
      timeout: 30_000,
    },
  );
  await expect(page.getByTestId('phase-status-tofu-apply')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(page.getByTestId('phase-status-tofu-output')).toHaveText('succeeded', { timeout: 30_000 });
  await expect(page.getByTestId('phase-status-dns')).toHaveText('failed', { timeout: 30_000 });
  await expect(page.getByTestId('phase-card-dns')).toContainText('PowerDNS is not configured');
  await expect(page.getByRole('alert').filter({ hasText: 'Hetzner token' })).toHaveCount(0);
  await page.screenshot({
    path: fileURLToPath(new URL('../artifacts/provision-retried.png', import.meta.url)),
    fullPage: true,
  });
});
