import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sovereignFactsResponseSchema } from '@catalyst/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';

const ADMIN = 'admin@sovereign.test';
const TENANT = 'tenant@customer.test';

/** Facts as the kit writes them (clusters/_template/bootstrap-kit/11-catalyst-platform.yaml). */
const FACTS = {
  fqdn: 'omantel.omani.works',
  deploymentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  createdAt: '2025-05-01T09:30:00Z',
  ha: true,
  k3sVersion: 'v1.31.4+k3s1',
  regions: [
    { provider: 'hetzner', region: 'fsn1', controlPlaneSize: 'cpx32', workerSize: 'cpx42', workerCount: 2 },
    { provider: 'hetzner', region: 'hel1', controlPlaneSize: 'cpx32', workerSize: '', workerCount: 0 },
  ],
  components: ['cilium', 'cert-manager', 'harbor'],
  orgName: 'Omantel Cloud',
};

let dir: string;
let smtp: SmtpPeer;
let smtpUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'catalyst-sovereign-'));
  smtp = new SmtpPeer();
  smtpUrl = await smtp.start();
});
afterAll(async () => {
  await smtp.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** An app whose CATALYST_SOVEREIGN_FILE holds `text` (or names a file that does not exist). */
async function appWithFile(name: string, text: string | undefined): Promise<TestApp> {
  const path = join(dir, name);
  if (text !== undefined) writeFileSync(path, text);
  return startTestApp({
    env: { SMTP_URL: smtpUrl, CATALYST_ADMIN_EMAILS: ADMIN, CATALYST_SOVEREIGN_FILE: path },
  });
}

async function factsAs(t: TestApp, email: string) {
  const cookie = await signIn(t.app, smtp, email);
  return t.app.inject({ method: 'GET', url: '/api/v1/sovereign', headers: { cookie } });
}

/** The log lines that mention the facts file (by its path). */
const factLines = (t: TestApp, path: string) => t.logs.lines.filter((line) => line.includes(path));

describe('GET /api/v1/sovereign', () => {
  describe('with a valid facts file', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await appWithFile('valid.json', JSON.stringify(FACTS));
    });
    afterAll(() => t.close());

    it('answers a sovereign-admin with the facts, exactly as the file holds them', async () => {
      const res = await factsAs(t, ADMIN);
      expect(res.statusCode, res.body).toBe(200);
      expect(sovereignFactsResponseSchema.parse(res.json())).toEqual({ facts: FACTS });
      expect(res.json()).toEqual({ facts: FACTS });
    });

    it('refuses a tenant with 403', async () => {
      const res = await factsAs(t, TENANT);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBeTypeOf('string');
    });

    it('refuses a caller without a session with 401', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/sovereign' });
      expect(res.statusCode).toBe(401);
    });
  });

  it('reads the same facts from YAML, keeping the date a string (CORE schema)', async () => {
    const yaml = [
      'fqdn: omantel.omani.works',
      `deploymentId: ${FACTS.deploymentId}`,
      'createdAt: 2025-05-01T09:30:00Z',
      'ha: true',
      `k3sVersion: ${FACTS.k3sVersion}`,
      'regions:',
      '  - { provider: hetzner, region: fsn1, controlPlaneSize: cpx32, workerSize: cpx42, workerCount: 2 }',
      "  - { provider: hetzner, region: hel1, controlPlaneSize: cpx32, workerSize: '', workerCount: 0 }",
      'components: [cilium, cert-manager, harbor]',
      'orgName: Omantel Cloud',
      '',
    ].join('\n');
    const t = await appWithFile('valid.yaml', yaml);
    try {
      const res = await factsAs(t, ADMIN);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ facts: FACTS });
    } finally {
      await t.close();
    }
  });

  it.each([
    ['an unknown field', 'unknown.json', JSON.stringify({ ...FACTS, rootPassword: 'hunter2-SECRET-VALUE' })],
    [
      'an unknown field in a region',
      'region.json',
      JSON.stringify({
        ...FACTS,
        regions: [{ ...FACTS.regions[0], sshKey: 'hunter2-SECRET-VALUE' }],
      }),
    ],
    ['a wrong type', 'type.json', JSON.stringify({ ...FACTS, ha: 'hunter2-SECRET-VALUE' })],
    ['text that is neither JSON nor YAML', 'garbage.json', '{ "fqdn": "hunter2-SECRET-VALUE", : ]'],
  ])('runs without facts when the file has %s, and logs why without its content', async (_, name, text) => {
    const t = await appWithFile(name, text);
    try {
      const res = await factsAs(t, ADMIN);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ facts: null });
      const path = join(dir, name);
      const lines = factLines(t, path);
      expect(lines).toHaveLength(1);
      const entry = JSON.parse(lines[0] as string) as Record<string, unknown>;
      expect(entry.level).toBe(40);
      expect(entry.reason).toMatch(/^(invalid|not-json-or-yaml)$/);
      expect(t.logs.text).not.toContain('hunter2');
      expect(t.logs.text).not.toContain('SECRET-VALUE');
      expect(t.logs.text).not.toContain('sshKey');
      expect(t.logs.text).not.toContain('rootPassword');
    } finally {
      await t.close();
    }
  });

  it('runs without facts when the file is missing, and says so', async () => {
    const t = await appWithFile('absent.json', undefined);
    try {
      const res = await factsAs(t, ADMIN);
      expect(res.json()).toEqual({ facts: null });
      const [line] = factLines(t, join(dir, 'absent.json'));
      expect(JSON.parse(line as string)).toMatchObject({ level: 40, reason: 'missing' });
    } finally {
      await t.close();
    }
  });

  it('has no facts on a mothership (no CATALYST_SOVEREIGN_FILE)', async () => {
    const t = await startTestApp({ env: { SMTP_URL: smtpUrl, CATALYST_ADMIN_EMAILS: ADMIN } });
    try {
      const res = await factsAs(t, ADMIN);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ facts: null });
    } finally {
      await t.close();
    }
  });
});
