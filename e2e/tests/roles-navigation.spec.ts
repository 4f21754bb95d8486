import { type APIRequestContext, expect, type Page, request, test } from '@playwright/test';
import { apiSession, signInWithPin } from '../support/session.js';
import { ADMIN, adminStorageState, signInAsAdmin } from '../support/wizard.js';

/*
 * Where each role lands and which top-navigation tabs it sees on the mothership (serve.mjs), as
 * apps/web/src/lib/roles.ts intends: `landingPath` (a mothership's superadmin → the wizard, a sovereign-admin →
 * the console, everyone else → the marketplace) and `navItemsFor` (Sovereign for whoever may provision on a
 * mothership, Console and BSS for sovereign-admins and superadmins, Marketplace for all). Roles are set up
 * through the api: a voucher and a checkout make an org owner, who invites an org-admin and a member; the
 * configured admin invites a sovereign-admin from the Team api.
 */

const stamp = Date.now().toString(36);
const OWNER = `owner-${stamp}@roles.e2e.test`;
const ORG_ADMIN = `orgadmin-${stamp}@roles.e2e.test`;
const MEMBER = `member-${stamp}@roles.e2e.test`;
const SOVEREIGN_ADMIN = `sovadmin-${stamp}@roles.e2e.test`;
const ORG = `roles-${stamp}`;
const ENVIRONMENT = 'production';

/** The top navigation's tabs, in order. */
function tabs(page: Page) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link');
}

/** Signs in from the sign-in page with no destination: the product sends the role to its start page. */
async function signInFresh(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await signInWithPin(page, email);
}

let owner: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(90_000);
  // The configured admin's session is shared by the specs (one PIN per run of the product).
  const admin = await request.newContext({ baseURL, storageState: await adminStorageState() });
  // Credit for the org, so installing is a question of role, not of balance.
  const code = `ROLES-${stamp}`.toUpperCase();
  const issued = await admin.post('/billing/vouchers/issue', {
    data: { code, creditBaisa: 100_000, maxRedemptions: 1 },
  });
  expect(issued.status(), await issued.text()).toBe(201);
  const invited = await admin.post('/api/v1/users/invitations', {
    data: { email: SOVEREIGN_ADMIN, roles: ['sovereign-admin'] },
  });
  expect(invited.status(), await invited.text()).toBe(201);
  await admin.dispose();

  owner = await apiSession(OWNER);
  const checkout = await owner.post('/billing/checkout', {
    data: { planId: 'starter', promoCode: code, orgName: 'Roles E2E', orgSlug: ORG },
  });
  expect(checkout.status(), await checkout.text()).toBe(200);
  const environment = await owner.post(`/api/v1/orgs/${ORG}/environments`, { data: { name: ENVIRONMENT } });
  expect(environment.status(), await environment.text()).toBe(201);
  for (const [email, role] of [
    [ORG_ADMIN, 'org-admin'],
    [MEMBER, 'member'],
  ] as const) {
    const member = await owner.post(`/api/v1/orgs/${ORG}/members`, { data: { email, role } });
    expect(member.status(), await member.text()).toBe(201);
  }
});

test.afterAll(async () => {
  await owner?.dispose();
});

test('a tenant (an org owner) lands on the marketplace and sees no Sovereign, Console or BSS tab', async ({
  page,
}) => {
  await signInFresh(page, OWNER);
  await expect(page).toHaveURL(/\/marketplace\/(\?.*)?$/);
  await expect(tabs(page)).toHaveText(['Marketplace']);
  await page.goto('/');
  await expect(page).toHaveURL(/\/marketplace\/(\?.*)?$/);
  await expect(tabs(page)).toHaveText(['Marketplace']);
  // The owner runs the org: the Members panel is theirs to change.
  const panel = page.getByTestId('members-panel');
  await expect(panel.getByTestId(`member-row-${MEMBER}`)).toBeVisible();
  await expect(panel.getByTestId('members-read-only')).toHaveCount(0);
  await expect(panel.getByRole('button', { name: `Remove ${MEMBER}` })).toBeVisible();
  // Typing the console's address shows why not, rather than the console.
  await page.goto('/console/');
  await expect(page.getByTestId('console-forbidden')).toBeVisible();
  await expect(page.getByTestId('console-shell')).toHaveCount(0);
});

test('an org-admin lands on the marketplace with only its tab, reads the members and may install', async ({
  page,
}) => {
  await signInFresh(page, ORG_ADMIN);
  await expect(page).toHaveURL(/\/marketplace\/(\?.*)?$/);
  await expect(tabs(page)).toHaveText(['Marketplace']);
  await page.goto('/');
  await expect(page).toHaveURL(/\/marketplace\/(\?.*)?$/);
  const panel = page.getByTestId('members-panel');
  await expect(panel.getByTestId('members-read-only')).toContainText('Only the owner of Roles E2E');
  await expect(panel.getByTestId(`member-row-${ORG_ADMIN}`).getByTestId('member-role')).toHaveText(
    'Org-admin',
  );
  await expect(panel.getByRole('button', { name: /^Remove / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Install WordPress' })).toBeEnabled();
});

test('a member of an org sees the Members panel read-only and cannot install', async ({ page }) => {
  await signInFresh(page, MEMBER);
  await expect(page).toHaveURL(/\/marketplace\/(\?.*)?$/);
  await expect(tabs(page)).toHaveText(['Marketplace']);

  const panel = page.getByTestId('members-panel');
  await expect(panel.getByTestId('members-read-only')).toContainText('Only the owner of Roles E2E');
  for (const email of [OWNER, ORG_ADMIN, MEMBER]) {
    await expect(panel.getByTestId(`member-row-${email}`)).toBeVisible();
  }
  await expect(panel.getByRole('button')).toHaveCount(0);

  const wordpress = page.getByTestId('app-card-wordpress');
  await expect(wordpress.getByRole('button', { name: 'Install WordPress' })).toBeDisabled();
  await expect(wordpress).toContainText('An owner or org-admin installs apps.');
  // The api refuses it too, in the one error shape.
  const install = await page.request.post(`/api/v1/orgs/${ORG}/environments/${ENVIRONMENT}/apps`, {
    data: { appId: 'wordpress' },
  });
  expect(install.status()).toBe(403);
  expect(((await install.json()) as { error: { code: string } }).error.code).toBe('org_role_required');
  const invite = await page.request.post(`/api/v1/orgs/${ORG}/members`, {
    data: { email: 'someone@roles.e2e.test', role: 'member' },
  });
  expect(invite.status()).toBe(403);
});

test('a sovereign-admin lands on the console and sees the Sovereign, Console, BSS and Marketplace tabs', async ({
  page,
}) => {
  await signInFresh(page, SOVEREIGN_ADMIN);
  await expect(page).toHaveURL(/\/console\/$/);
  await expect(page.getByTestId('console-shell')).toBeVisible();
  await expect(tabs(page)).toHaveText(['Sovereign', 'Console', 'BSS', 'Marketplace']);
  await page.goto('/');
  await expect(page).toHaveURL(/\/console\/$/);
});

test('a superadmin lands on the wizard and sees every tab', async ({ page, context }) => {
  await signInAsAdmin(context);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sovereign\/$/);
  await expect(page.getByTestId('current-user')).toHaveText(ADMIN);
  await expect(tabs(page)).toHaveText(['Sovereign', 'Console', 'BSS', 'Marketplace']);
});
