import { expect, test } from '@playwright/test';
import { signInAsAdmin, walkToComponents } from '../support/wizard.js';

/** Nothing wider than the screen: a phone never scrolls sideways. */
async function expectNoSidewaysScroll(page: import('@playwright/test').Page, where: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, where).toBeLessThanOrEqual(0);
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
});
