import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { mailCount, waitForMail } from '../support/mail.js';
import { signInWithPin } from '../support/session.js';

const ADMIN = 'admin@e2e.test';
const TENANT = 'tenant@e2e.test';
const CODE = 'WELCOME-E2E';

function artifact(name: string): string {
  return fileURLToPath(new URL(`../artifacts/${name}.png`, import.meta.url));
}

test('an admin issues a voucher; the tenant redeems it, creates an environment and installs WordPress', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  // Two people, two browsers: separate cookies.
  const adminContext = await browser.newContext();
  const tenantContext = await browser.newContext();
  const admin = await adminContext.newPage();
  const tenant = await tenantContext.newPage();

  // The admin signs in straight into the voucher screen and issues WELCOME-E2E to the tenant.
  await admin.goto('/bss/vouchers');
  await expect(admin).toHaveURL(/\/login\?redirect=%2Fbss%2Fvouchers$/);
  await signInWithPin(admin, ADMIN);
  await expect(admin).toHaveURL(/\/bss\/vouchers$/);
  await expect(admin.getByRole('navigation', { name: 'Business support' })).toBeVisible();

  await admin.getByLabel('Code', { exact: true }).fill(CODE);
  await admin.getByLabel('Credit (OMR)').fill('100');
  await admin.getByLabel('Description').fill('Welcome credit for the e2e tenant');
  await admin.getByLabel('Max redemptions').fill('1');
  await admin.getByLabel('Recipient e-mail (optional)').fill(TENANT);
  const tenantMails = await mailCount(TENANT);
  await admin.getByRole('button', { name: 'Issue voucher' }).click();
  await expect(
    admin.getByText(`Voucher ${CODE} issued (100.000 OMR) and e-mailed to ${TENANT}.`),
  ).toBeVisible();

  const adminRow = admin.getByTestId(`voucher-row-${CODE}`);
  await expect(adminRow.getByTestId('voucher-redemptions')).toHaveText('0/1');
  await expect(adminRow.getByTestId('voucher-status')).toHaveText('Active');
  await expect(adminRow.getByText('100.000 OMR')).toBeVisible();
  await admin.screenshot({ path: artifact('journey-1-voucher-issued'), fullPage: true });

  // The tenant opens the redeem link from the voucher mail.
  const mail = await waitForMail(TENANT, /Redeem it here:/, { after: tenantMails });
  const redeemUrl = /Redeem it here: (\S+)/.exec(mail)?.[1];
  expect(redeemUrl).toMatch(new RegExp(`/redeem/\\?code=${CODE}$`));
  await tenant.goto(redeemUrl ?? '');
  await expect(tenant.getByTestId('voucher-credit')).toHaveText('100.000 OMR');
  await expect(tenant.getByText('Welcome credit for the e2e tenant')).toBeVisible();
  await tenant.screenshot({ path: artifact('journey-2-redeem-preview'), fullPage: true });

  // Signing up is the PIN sign-in; it comes back to the voucher.
  await tenant.getByRole('link', { name: 'Sign up to redeem' }).click();
  await expect(tenant).toHaveURL(/\/login\?redirect=/);
  await signInWithPin(tenant, TENANT);
  await expect(tenant).toHaveURL(new RegExp(`/redeem/\\?code=${CODE}$`));

  // Name the organisation, wait for the subdomain check, redeem.
  await tenant.getByLabel('Organisation name').fill('Acme E2E');
  await tenant.getByLabel('Subdomain').fill('acme-e2e');
  await expect(tenant.getByTestId('slug-availability')).toHaveText('acme-e2e is available');
  await tenant.screenshot({ path: artifact('journey-3-redeem-org'), fullPage: true });
  await tenant.getByRole('button', { name: 'Redeem' }).click();

  await expect(tenant).toHaveURL(/\/marketplace\/(\?org=acme-e2e)?$/);
  await expect(tenant.getByTestId('wallet-balance')).toHaveText('100.000 OMR');

  // A first environment, then WordPress into it.
  await tenant.getByLabel('Environment name').fill('production');
  await tenant.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(tenant.getByLabel('Environment', { exact: true })).toHaveValue('production');

  const wordpress = tenant.getByTestId('app-card-wordpress');
  const afterText = await wordpress.getByText(/^Balance after install: /).textContent();
  const expectedBalance = /Balance after install: (\d+\.\d{3} OMR)/.exec(afterText ?? '')?.[1];
  expect(expectedBalance).toBeDefined();
  expect(expectedBalance).not.toBe('100.000 OMR');
  await tenant.getByRole('button', { name: 'Install WordPress' }).click();

  // Installing… on the cluster (nothing charged yet), then Running with its address, without a reload.
  const row = tenant.getByTestId('install-row-wordpress-production');
  await expect(row.getByTestId('install-status')).toHaveText(/Installing/);
  await expect(tenant.getByTestId('wallet-balance')).toHaveText('100.000 OMR');
  await expect(row.getByTestId('install-status')).toHaveText('Running', { timeout: 20_000 });
  const url = tenant.getByRole('link', { name: /^https:\/\/wordpress\.production\.acme-e2e\./ });
  await expect(url).toBeVisible();
  // Charged when it started running.
  await expect(tenant.getByTestId('wallet-balance')).toHaveText(expectedBalance ?? '');
  await tenant.screenshot({ path: artifact('journey-4-marketplace-installed'), fullPage: true });

  // Back at the BSS: the voucher has been used once of once.
  await admin.reload();
  await expect(adminRow.getByTestId('voucher-redemptions')).toHaveText('1/1');
  await expect(adminRow.getByTestId('voucher-status')).toHaveText('Exhausted');
  await admin.screenshot({ path: artifact('journey-5-voucher-redeemed'), fullPage: true });

  await adminContext.close();
  await tenantContext.close();
});
