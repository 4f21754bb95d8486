import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { setTofuKnobs, sideDoor } from '../support/provision.js';
import { provisionRequest, signInAsAdmin, uniqueSubdomain } from '../support/wizard.js';

test.afterEach(async () => {
  await setTofuKnobs({ resourceDelayMs: 50 });
});

test('the provision page reconnects after the api restarts and goes on showing the resumed run', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await signInAsAdmin(context);
  // A slow apply, so the run is mid-flight when the api restarts.
  await setTofuKnobs({ resourceDelayMs: 700 });
  const settings = (await (await page.request.get('/api/v1/bss/settings')).json()) as {
    sovereignPoolDomains: string[];
  };
  const created = await page.request.post('/api/v1/deployments', {
    data: provisionRequest(uniqueSubdomain('phoenix'), settings.sovereignPoolDomains[0] ?? ''),
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  await page.goto(`/sovereign/provision/${id}`);
  await expect(page.getByTestId('stream-state')).toHaveText('live');
  await expect(page.getByTestId('phase-status-tofu-apply')).toContainText(/running/i, { timeout: 30_000 });

  const restarted = await fetch(`${sideDoor}/restart`, { method: 'POST' });
  expect(restarted.ok).toBe(true);

  // The browser's EventSource reconnects with Last-Event-ID; the new api resumes the run and says so.
  await expect(page.getByTestId('stream-state')).toHaveText('live', { timeout: 30_000 });
  await expect(page.getByTestId('log-pane')).toContainText('Resumed by replica', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('phase-status-tofu-apply')).toContainText(/succeeded/i, { timeout: 60_000 });
  await page.screenshot({
    path: fileURLToPath(new URL('../artifacts/provision-reconnected.png', import.meta.url)),
    fullPage: true,
  });
});
