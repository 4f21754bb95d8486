import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { mailCount, waitForPin } from '../support/mail.js';

test('a tenant signs in with an e-mailed PIN, lands on the marketplace, and signs out', async ({ page }) => {
  const email = 'operator@e2e.test';
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByText(`We sent a 6-digit code to ${email}`)).toBeVisible();

  await page.getByLabel('Sign-in code').fill(await waitForPin(email));
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByTestId('current-user')).toHaveText(email);
  // Not an admin: a tenant's start page is the marketplace (the wizard is for the mothership's admins).
  await expect(page).toHaveURL(/\/marketplace\/$/);
  await page.screenshot({
    path: fileURLToPath(new URL('../artifacts/signed-in.png', import.meta.url)),
    fullPage: true,
  });

  // Signing out of a page that needs a session lands on the sign-in page, and the session is gone server-side.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?redirect=%2Fmarketplace%2F/);
  await expect(page.getByTestId('current-user')).toHaveCount(0);
  expect((await page.request.get('/auth/me')).status()).toBe(401);
});

test('a signed-out visitor is sent to sign in and back to where they were going', async ({ page }) => {
  const email = 'admin@e2e.test';
  await page.goto('/bss/');
  await expect(page).toHaveURL(/\/login\?redirect=/);

  const before = await mailCount(email);
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Send code' }).click();
  const pin = await waitForPin(email, before);

  // A wrong code first: the page says so and how many tries are left.
  const wrong = ((Number(pin) + 1) % 1_000_000).toString().padStart(6, '0');
  await page.getByLabel('Sign-in code').fill(wrong);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('4');

  await page.getByLabel('Sign-in code').fill(pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/bss\/$/);
  await expect(page.getByTestId('current-user')).toHaveText(email);
});
