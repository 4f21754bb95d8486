/// <reference lib="dom" />
// (Code passed to page.evaluate runs in the browser; the e2e tsconfig has no DOM library.)
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import {
  activeStep,
  fakeEd25519PublicKey,
  fillCredentials,
  HETZNER_TOKEN,
  next,
  REJECTED_HETZNER_TOKEN,
  signInAsAdmin,
  uniqueSubdomain,
  WIZARD_STORAGE_KEY,
} from '../support/wizard.js';

function artifact(name: string): string {
  return fileURLToPath(new URL(`../artifacts/${name}.png`, import.meta.url));
}

async function savedWizard(page: Page): Promise<string> {
  return page.evaluate((key) => localStorage.getItem(key) ?? '', WIZARD_STORAGE_KEY);
}

test('an admin walks the wizard, is stopped by bad input, and launches a run that fails readably at dns', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await signInAsAdmin(context);
  await page.goto('/sovereign/');
  await page.evaluate((key) => localStorage.removeItem(key), WIZARD_STORAGE_KEY);
  await page.reload();

  // Organisation: Continue with nothing filled in shows what is missing and stays.
  await expect(activeStep(page)).toHaveText(/Organisation$/);
  await next(page);
  await expect(activeStep(page)).toHaveText(/Organisation$/);
  await expect(page.getByText('Enter the organisation name')).toBeVisible();
  await expect(page.getByText('Enter the headquarters')).toBeVisible();
  await expect(page.getByTestId('org-name')).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: artifact('wizard-1-organisation-errors'), fullPage: true });

  await page.getByTestId('org-name').fill('Acme E2E');
  await page.getByTestId('org-headquarters').fill('Frankfurt, Germany');
  await page.getByTestId('org-industry').selectOption('Financial Services');
  await page.getByTestId('org-size').selectOption('100–500');
  await page.getByRole('button', { name: 'GDPR' }).click();
  await expect(page.getByText('Enter the organisation name')).toHaveCount(0);
  await next(page);

  // Topology and Provider: the defaults (one region, Hetzner fsn1, CPX32).
  await expect(activeStep(page)).toHaveText(/Topology$/);
  await next(page);
  await expect(activeStep(page)).toHaveText(/Provider$/);
  await expect(page.getByTestId('cp-size-select-0')).toHaveValue('cpx32');
  await page.screenshot({ path: artifact('wizard-2-provider'), fullPage: true });
  await next(page);

  // Credentials: a malformed token and key are named, and Continue does not move on.
  await expect(activeStep(page)).toHaveText(/Credentials$/);
  await page.getByTestId('hetzner-token-input').fill('too-short');
  await page.getByTestId('ssh-mode-paste').click();
  await page.getByTestId('ssh-paste-input').fill('not a key');
  await expect(page.getByText('Hetzner API tokens are 64 characters', { exact: false })).toBeVisible();
  await expect(page.getByText('Paste an OpenSSH public key', { exact: false })).toBeVisible();
  await next(page);
  await expect(activeStep(page)).toHaveText(/Credentials$/);
  await expect(
    page.getByRole('alert').filter({ hasText: 'The Hetzner project ID is the number in the Console URL' }),
  ).toBeVisible();
  await page.screenshot({ path: artifact('wizard-3-credentials-errors'), fullPage: true });
  await page.getByTestId('hetzner-project-input').fill('1234567');
  // A well-formed token Hetzner does not know: the api asks the Hetzner emulator it is pointed at
  // (serve.mjs), which rejects it as Hetzner would. The good token is then accepted the same way.
  await page.getByTestId('hetzner-token-input').fill(REJECTED_HETZNER_TOKEN);
  await expect(page.getByTestId('token-status')).toHaveAttribute('data-status', 'invalid');
  await expect(page.getByTestId('token-status')).toContainText('Hetzner Cloud rejected the token');
  await fillCredentials(page);

  // Components: the defaults.
  await expect(page.getByTestId('selected-counter')).toHaveText(/^Selected \(\d+\) of \d+$/);
  await page.screenshot({ path: artifact('wizard-4-components'), fullPage: true });

  // A reload keeps the draft but not the token: it was never written to the browser's storage.
  await page.reload();
  await expect(activeStep(page)).toHaveText(/Components$/);
  const saved = await savedWizard(page);
  expect(saved).toContain('Acme E2E');
  expect(saved).not.toContain(HETZNER_TOKEN);
  expect(saved).not.toContain('hetznerToken');
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  expect(storage).not.toContain(HETZNER_TOKEN);
  await page.getByTestId('wizard-step-1').click();
  await expect(page.getByTestId('org-name')).toHaveValue('Acme E2E');
  await page.getByTestId('wizard-step-4').click();
  await expect(page.getByTestId('hetzner-project-input')).toHaveValue('1234567');
  await expect(page.getByTestId('hetzner-token-input')).toHaveValue('');
  await expect(page.getByTestId('ssh-paste-input')).toHaveValue(fakeEd25519PublicKey());
  // So the token is entered again.
  await fillCredentials(page);
  await next(page);

  // Domain: a reserved name and a malformed one are refused; so is a bad admin e-mail.
  await expect(activeStep(page)).toHaveText(/Domain$/);
  await page.getByTestId('domain-mode-pool').check();
  await expect(page.getByTestId('pool-domain-select')).not.toHaveValue('');
  const subdomain = page.getByTestId('pool-subdomain-input');
  const status = page.getByTestId('subdomain-status');
  await subdomain.fill('admin');
  await expect(status).toHaveAttribute('data-status', 'reserved');
  await subdomain.fill('-bad');
  await expect(status).toHaveAttribute('data-status', 'invalid');
  await expect(page.getByText('Use lower-case letters, digits and hyphens', { exact: false })).toBeVisible();
  await page.getByTestId('admin-email-input').fill('not-an-email');
  await next(page);
  await expect(activeStep(page)).toHaveText(/Domain$/);
  await expect(page.getByTestId('admin-email-input')).toHaveAttribute('aria-invalid', 'true');
  await expect(subdomain).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: artifact('wizard-5-domain-errors'), fullPage: true });

  const name = uniqueSubdomain('journey');
  await subdomain.fill(name);
  await expect(status).toHaveAttribute('data-status', 'available');
  await page.getByTestId('admin-email-input').fill('ops@e2e.test');
  await expect(page.getByTestId('domain-preview')).toContainText(`${name}.`);
  await next(page);

  // Review, then launch.
  await expect(activeStep(page)).toHaveText(/Review$/);
  await expect(page.getByTestId('review-blocking')).toHaveCount(0);
  await expect(page.getByTestId('review-token')).toHaveText(`••••••••${HETZNER_TOKEN.slice(-4)}`);
  await expect(page.getByTestId('review-fqdn')).toHaveText(new RegExp(`^${name}\\.`));
  await page.screenshot({ path: artifact('wizard-6-review'), fullPage: true });
  await page.getByTestId('provision-button').click();

  // The provision page: the api accepted the run; the tofu phases succeed against the tofu fixture,
  // and dns fails because this product has no PowerDNS configured.
  await expect(page).toHaveURL(/\/sovereign\/provision\/[0-9a-f-]{36}$/);
  for (const phase of ['preflight', 'tofu-init', 'tofu-plan', 'tofu-apply', 'tofu-output']) {
    await expect(page.getByTestId(`phase-status-${phase}`)).toHaveText('succeeded', { timeout: 60_000 });
  }
  await expect(page.getByTestId('tofu-progress')).toContainText('resources');
  await expect(page.getByTestId('phase-status-dns')).toHaveText('failed', { timeout: 30_000 });
  const dns = page.getByTestId('phase-card-dns');
  await expect(dns.locator('.sov-field__error')).toContainText('PowerDNS is not configured');
  await expect(page.getByTestId('retry-dns')).toBeVisible();
  await expect(page.getByTestId('deployment-status')).toHaveText('failed');
  for (const phase of ['flux-bootstrap', 'bootstrap-kit', 'handover']) {
    await expect(page.getByTestId(`phase-status-${phase}`)).toHaveText('pending');
  }
  await expect(page.getByTestId('log-pane')).toContainText('[tofu-apply]');
  await page.screenshot({ path: artifact('wizard-7-provision-dns-failed'), fullPage: true });
});
