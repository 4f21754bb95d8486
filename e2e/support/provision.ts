import { expect, type Page } from '@playwright/test';
import { E2E_PORTS } from './ports.mjs';
import { provisionRequest, uniqueSubdomain } from './wizard.js';

/** The product's side door (serve.mjs): the inbox, the api restart and the tofu stand-in's knobs. */
export const sideDoor = `http://127.0.0.1:${E2E_PORTS.inbox}`;

/** Sets the tofu stand-in's knobs (apps/api/test/fixtures/tofu/tofu-fixture.ts TofuControl) through serve.mjs. */
export async function setTofuKnobs(knobs: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sideDoor}/tofu-control`, { method: 'POST', body: JSON.stringify(knobs) });
  expect(response.ok).toBe(true);
}

/**
 * A deployment made through the api under the first sovereign pool domain, so that the provision
 * page has a real run to show: it goes through the tofu stand-in and, unless the knobs make tofu
 * fail, stops at dns (this product has no PowerDNS).
 */
export async function createDeployment(page: Page, subdomainPrefix: string): Promise<string> {
  const settings = await page.request.get('/api/v1/bss/settings');
  expect(settings.ok()).toBe(true);
  const pool = ((await settings.json()) as { sovereignPoolDomains: string[] }).sovereignPoolDomains[0] ?? '';
  const response = await page.request.post('/api/v1/deployments', {
    data: provisionRequest(uniqueSubdomain(subdomainPrefix), pool),
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}
