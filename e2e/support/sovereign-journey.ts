import { fileURLToPath } from 'node:url';
import { type APIRequestContext, expect, request, test } from '@playwright/test';
import { sideDoor } from './provision.js';
import { adminStorageState } from './wizard.js';

/** A screenshot's path under e2e/artifacts. */
export function artifact(name: string): string {
  return fileURLToPath(new URL(`../artifacts/${name}.png`, import.meta.url));
}

/** Calls serve.mjs's side door (PowerDNS on/off, play the new Sovereign, stop it) and expects it to succeed. */
export async function door(path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${sideDoor}${path}`, { method: 'POST', body: JSON.stringify(body) });
  const answer = (await response.json()) as Record<string, unknown>;
  expect(response.ok, JSON.stringify(answer)).toBe(true);
  return answer;
}

/** Runs that hold the Hetzner project: the product runs one at a time per project. */
const LIVE = ['queued', 'running', 'wiping'];

/**
 * The set-up of a journey that provisions a Sovereign through to its kit (handover, multi-region): it starts once
 * the runs other specs left going have ended (they end at dns while the product has no PowerDNS; with it they would
 * go on to wait for a kubeconfig and hold the project), turns PowerDNS on for its own run, and afterwards cancels
 * its run if it stopped half-way, stops the played Sovereign and turns PowerDNS off again (the other journeys show a
 * run stopping at dns). Call `track(id)` with the journey's deployment once it exists.
 */
export function sovereignJourney(): { track: (deploymentId: string) => void } {
  let admin: APIRequestContext;
  let deploymentId: string | undefined;
  const liveRuns = async (): Promise<string[]> => {
    const response = await admin.get('/api/v1/deployments');
    expect(response.ok()).toBe(true);
    const { deployments } = (await response.json()) as { deployments: { id: string; status: string }[] };
    return deployments.filter((d) => LIVE.includes(d.status)).map((d) => d.id);
  };

  test.beforeAll(async ({ baseURL }) => {
    test.setTimeout(180_000);
    admin = await request.newContext({ baseURL, storageState: await adminStorageState() });
    await expect.poll(liveRuns, { timeout: 150_000, intervals: [1_000] }).toEqual([]);
    await door('/powerdns', { enabled: true });
  });

  test.afterAll(async () => {
    test.setTimeout(120_000);
    if (deploymentId && (await liveRuns()).includes(deploymentId)) {
      expect((await admin.post(`/api/v1/deployments/${deploymentId}/cancel`)).ok()).toBe(true);
      await expect.poll(liveRuns, { timeout: 60_000, intervals: [1_000] }).toEqual([]);
    }
    await door('/sovereign/stop');
    await door('/powerdns', { enabled: false });
    await admin.dispose();
  });

  return {
    track: (id) => {
      deploymentId = id;
    },
  };
}
