/// <reference lib="dom" />
// (Code passed to page.evaluate runs in the browser; the e2e tsconfig has no DOM library.)
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, expect, type Page, request } from '@playwright/test';
import { E2E_HETZNER } from './hetzner.mjs';
import { mailCount, waitForPin } from './mail.js';
import { E2E_PORTS } from './ports.mjs';

/** The configured admin (CATALYST_ADMIN_EMAILS in serve.mjs): superadmin + sovereign-admin. */
export const ADMIN = 'admin@e2e.test';
const BASE_URL = `http://127.0.0.1:${E2E_PORTS.app}`;
const ADMIN_STATE = fileURLToPath(new URL('../artifacts/.auth/admin.json', import.meta.url));

/**
 * A signed-in admin session as a Playwright storage-state file. The PIN is asked for at most once
 * per run of the product (PIN requests are limited to 5 per address per 15 minutes); a file left by
 * an earlier run is reused only while its session is still known to the running product.
 */
export async function adminStorageState(): Promise<string> {
  if (existsSync(ADMIN_STATE)) {
    const known = await request.newContext({ baseURL: BASE_URL, storageState: ADMIN_STATE });
    const ok = (await known.get('/auth/me')).ok();
    await known.dispose();
    if (ok) return ADMIN_STATE;
  }
  const api = await request.newContext({ baseURL: BASE_URL });
  const before = await mailCount(ADMIN);
  expect((await api.post('/auth/pin/request', { data: { email: ADMIN } })).status()).toBe(202);
  const pin = await waitForPin(ADMIN, before);
  expect((await api.post('/auth/pin/verify', { data: { email: ADMIN, pin } })).ok()).toBe(true);
  mkdirSync(dirname(ADMIN_STATE), { recursive: true });
  await api.storageState({ path: ADMIN_STATE });
  await api.dispose();
  return ADMIN_STATE;
}

/** Puts the admin's session cookie into `context` (signing in first when needed). */
export async function signInAsAdmin(context: BrowserContext): Promise<void> {
  const state = JSON.parse(readFileSync(await adminStorageState(), 'utf8')) as {
    cookies: Parameters<BrowserContext['addCookies']>[0];
  };
  await context.addCookies(state.cookies);
}

/** A Hetzner API token the Hetzner emulator behind the api (serve.mjs) accepts, with Read & Write. */
export const HETZNER_TOKEN = E2E_HETZNER.token;
/** A well-formed Hetzner API token the emulator rejects, as Hetzner does an unknown one. */
export const REJECTED_HETZNER_TOKEN = E2E_HETZNER.rejectedToken;

/** A structurally valid OpenSSH ed25519 public key (key type + 32-byte key in the wire format). */
export function fakeEd25519PublicKey(comment = 'e2e@catalyst'): string {
  const type = Buffer.from('ssh-ed25519');
  const key = Buffer.alloc(32, 7);
  const length = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const blob = Buffer.concat([length(type.length), type, length(key.length), key]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}

/** Where the SPA keeps the wizard (apps/web …/sovereign/store.tsx STORAGE_KEY). */
export const WIZARD_STORAGE_KEY = 'catalyst-sovereign-wizard';

/** The wizard's step heading: which step is on screen. */
export function activeStep(page: Page) {
  return page.locator('button[aria-current="step"]');
}

export async function next(page: Page): Promise<void> {
  await page.getByTestId('wizard-next').click();
}

export async function fillOrganisation(page: Page): Promise<void> {
  await expect(activeStep(page)).toContainText('Organisation');
  await page.getByTestId('org-name').fill('Acme E2E');
  await page.getByTestId('org-headquarters').fill('Frankfurt, Germany');
  await page.getByTestId('org-industry').selectOption('Financial Services');
  await page.getByTestId('org-size').selectOption('100–500');
  await next(page);
  await expect(activeStep(page)).toContainText('Topology');
}

export async function fillCredentials(page: Page): Promise<void> {
  await expect(activeStep(page)).toContainText('Credentials');
  await page.getByTestId('hetzner-token-input').fill(HETZNER_TOKEN);
  await page.getByTestId('hetzner-project-input').fill(E2E_HETZNER.projectId);
  await page.getByTestId('ssh-mode-paste').click();
  await page.getByTestId('ssh-paste-input').fill(fakeEd25519PublicKey());
  await expect(page.getByTestId('token-status')).toHaveAttribute('data-status', 'valid');
  await next(page);
  await expect(activeStep(page)).toContainText('Components');
}

/**
 * Signs-in state must already be in the page's context. Opens the wizard from scratch and fills
 * Organisation, Topology (one region), Provider (the defaults) and Credentials; ends on Components.
 */
export async function walkToComponents(page: Page): Promise<void> {
  await page.goto('/sovereign/');
  await page.evaluate((key) => localStorage.removeItem(key), WIZARD_STORAGE_KEY);
  await page.reload();
  await fillOrganisation(page);
  await next(page);
  await expect(activeStep(page)).toContainText('Provider');
  await next(page);
  await fillCredentials(page);
}

/**
 * Like walkToComponents, with one region per entry of `cloudRegions` (Hetzner locations, in order): Topology
 * gets their number, Provider their locations (the default sizes); ends on Components.
 */
export async function walkToComponentsIn(page: Page, cloudRegions: string[]): Promise<void> {
  await page.goto('/sovereign/');
  await page.evaluate((key) => localStorage.removeItem(key), WIZARD_STORAGE_KEY);
  await page.reload();
  await fillOrganisation(page);
  // The radio sits under its card: the operator clicks the card (its label).
  const count = page.getByTestId(`topology-regions-${cloudRegions.length}`);
  await page.locator('label').filter({ has: count }).click();
  await expect(count).toBeChecked();
  await next(page);
  await expect(activeStep(page)).toContainText('Provider');
  for (const [i, cloudRegion] of cloudRegions.entries()) {
    await page.getByTestId(`cloud-region-select-${i}`).selectOption(cloudRegion);
  }
  await next(page);
  await fillCredentials(page);
}

/** A fresh pool subdomain: every run of the product starts on an empty database, but names stay unique within one. */
export function uniqueSubdomain(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** From Components on: keeps the defaults, picks `subdomain` under the first pool domain, ends on Review. */
export async function walkFromComponentsToReview(page: Page, subdomain: string): Promise<void> {
  await expect(activeStep(page)).toContainText('Components');
  await next(page);
  await expect(activeStep(page)).toContainText('Domain');
  await page.getByTestId('domain-mode-pool').check();
  await expect(page.getByTestId('pool-domain-select')).not.toHaveValue('');
  await page.getByTestId('pool-subdomain-input').fill(subdomain);
  await expect(page.getByTestId('subdomain-status')).toHaveAttribute('data-status', 'available');
  await page.getByTestId('admin-email-input').fill('ops@e2e.test');
  await next(page);
  await expect(activeStep(page)).toContainText('Review');
}

/** A provisioning request the api accepts (the run then goes through the tofu fixture). */
export function provisionRequest(subdomain: string, poolDomain: string) {
  return {
    org: {
      name: 'Acme E2E',
      industry: 'Financial Services',
      size: '100–500',
      headquarters: 'Frankfurt, Germany',
      compliance: [],
    },
    topology: {
      regions: [
        {
          provider: 'hetzner',
          cloudRegion: 'fsn1',
          controlPlaneSize: 'cpx32',
          workerSize: 'cpx32',
          workerCount: 0,
        },
      ],
      haEnabled: false,
    },
    credentials: {
      hetznerToken: HETZNER_TOKEN,
      hetznerProjectId: E2E_HETZNER.projectId,
      sshPublicKey: fakeEd25519PublicKey(),
    },
    components: [],
    domain: { mode: 'pool', poolDomain, subdomain },
    adminEmail: 'ops@e2e.test',
  };
}
