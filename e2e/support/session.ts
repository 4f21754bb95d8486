import { type APIRequestContext, expect, type Page, request } from '@playwright/test';
import { mailCount, waitForPin } from './mail.js';
import { E2E_PORTS } from './ports.mjs';

const BASE_URL = `http://127.0.0.1:${E2E_PORTS.app}`;

/** On the sign-in page: asks for a code, reads the newest one from the inbox, signs in. */
export async function signInWithPin(page: Page, email: string): Promise<void> {
  const before = await mailCount(email);
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByText(`We sent a 6-digit code to ${email}`)).toBeVisible();
  await page.getByLabel('Sign-in code').fill(await waitForPin(email, before));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toHaveText(email);
}

/** An api client of the product signed in as `email` (PIN from the SMTP peer's inbox), without a browser. */
export async function apiSession(email: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: BASE_URL });
  const before = await mailCount(email);
  expect((await api.post('/auth/pin/request', { data: { email } })).status()).toBe(202);
  const pin = await waitForPin(email, before);
  expect((await api.post('/auth/pin/verify', { data: { email, pin } })).ok()).toBe(true);
  return api;
}
