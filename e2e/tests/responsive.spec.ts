/// <reference lib="dom" />
// (Code passed to page.evaluate runs in the browser; the e2e tsconfig has no DOM library.)
import { expect, type Page, test } from '@playwright/test';
import { createDeployment, setTofuKnobs } from '../support/provision.js';
import { signInAsAdmin, walkToComponents } from '../support/wizard.js';

/** Nothing wider than the screen: a phone never scrolls sideways, nor does a wide desktop. */
async function expectNoSidewaysScroll(page: Page, where: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, where).toBeLessThanOrEqual(0);
}

/** Every card of a grid lies inside it, and the grid inside the page's main column. */
async function expectGridHoldsItsCards(page: Page, testId: string, where: string) {
  const grid = page.getByTestId(testId);
  await expect(grid).toBeVisible();
  const box = await grid.evaluate((element) => {
    const main = (document.getElementById('main') as HTMLElement).getBoundingClientRect();
    const own = element.getBoundingClientRect();
    const cards = [...element.children].map((child) => child.getBoundingClientRect());
    return {
      overflow: element.scrollWidth - element.clientWidth,
      gridRight: own.right,
      mainRight: main.right,
      cardsLeft: Math.min(...cards.map((card) => card.left)),
      cardsRight: Math.max(...cards.map((card) => card.right)),
      gridLeft: own.left,
    };
  });
  expect(box.overflow, `${where}: the grid scrolls sideways`).toBeLessThanOrEqual(0);
  expect(box.cardsRight, `${where}: a card passes the grid's right edge`).toBeLessThanOrEqual(
    box.gridRight + 0.5,
  );
  expect(box.cardsLeft, `${where}: a card passes the grid's left edge`).toBeGreaterThanOrEqual(
    box.gridLeft - 0.5,
  );
  expect(box.gridRight, `${where}: the grid passes the main column`).toBeLessThanOrEqual(box.mainRight + 0.5);
}

/** The provision page once its run has stopped at `failedPhase`: phase cards, logs and the error shown. */
async function expectProvisionPageHolds(page: Page, id: string, width: number, failedPhase: string) {
  await page.goto(`/sovereign/provision/${id}`);
  await expect(page.getByTestId(`phase-status-${failedPhase}`)).toHaveText('failed', { timeout: 60_000 });
  await expect(page.getByTestId('log-pane')).toContainText(`[${failedPhase}]`);
  await expectNoSidewaysScroll(page, `provision page at ${width} px`);
  await expectGridHoldsItsCards(page, 'phase-grid', `phase grid at ${width} px`);
}

test.describe('on a 390 px wide phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the wizard, its component grid, the console and the BSS fit the screen', async ({
    page,
    context,
  }) => {
    await signInAsAdmin(context);
    await page.goto('/sovereign/');
    await expect(page.getByTestId('wizard-next')).toBeVisible();
    await expectNoSidewaysScroll(page, 'wizard: Organisation');
    await walkToComponents(page);
    await expect(page.locator('[data-testid^="component-card-"]').first()).toBeVisible();
    await expectNoSidewaysScroll(page, 'wizard: Components');
    for (const path of ['/console/', '/bss/vouchers', '/marketplace/']) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await expectNoSidewaysScroll(page, path);
    }
  });

  test('the provision page and its phase grid fit the screen', async ({ page, context }) => {
    test.setTimeout(120_000);
    await signInAsAdmin(context);
    await expectProvisionPageHolds(page, await createDeployment(page, 'wide'), 390, 'dns');
  });
});

for (const width of [1440, 1920]) {
  test.describe(`on a ${width} px wide desktop`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('the provision page keeps every phase card inside its grid, even beside a long log line', async ({
      page,
      context,
    }) => {
      test.setTimeout(120_000);
      await signInAsAdmin(context);
      // tofu init cannot reach the registry: its diagnostic is one line far wider than the page.
      await setTofuKnobs({ resourceDelayMs: 50, failCommand: 'init', failTimes: 1 });
      try {
        await expectProvisionPageHolds(page, await createDeployment(page, 'wide'), width, 'tofu-init');
        await expect(page.getByTestId('log-pane')).toContainText('registry.opentofu.org');
      } finally {
        await setTofuKnobs({ resourceDelayMs: 50 });
      }
    });

    test('the wizard, the console, the BSS and the marketplace fit the screen', async ({ page, context }) => {
      await signInAsAdmin(context);
      await walkToComponents(page);
      await expectNoSidewaysScroll(page, `wizard: Components at ${width} px`);
      for (const path of ['/console/', '/console/jobs', '/bss/vouchers', '/marketplace/']) {
        await page.goto(path);
        await page.waitForLoadState('networkidle');
        await expectNoSidewaysScroll(page, `${path} at ${width} px`);
      }
    });
  });
}
