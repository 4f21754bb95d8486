import {
  componentCatalogSchema,
  installSetResponseSchema,
  mandatoryComponentIds,
  providerCatalogSchema,
} from '@catalyst/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/helpers/sign-in.js';
import { SmtpPeer } from '../../test/helpers/smtp-peer.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';

let smtp: SmtpPeer;
let t: TestApp;
let member: string;

beforeAll(async () => {
  smtp = new SmtpPeer();
  t = await startTestApp({ env: { SMTP_URL: await smtp.start() } });
  // A plain member, not an admin: reading the catalog needs a session and nothing more.
  member = await signIn(t.app, smtp, 'member@example.com');
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

function installSet(payload: unknown, cookie: string | null = member) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/catalog/install-set',
    payload: payload as object,
    headers: cookie ? { cookie } : {},
  });
}

describe('GET /api/v1/catalog/components', () => {
  it('serves the 54 installable components in 9 families to any signed-in user', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/catalog/components',
      headers: { cookie: member },
    });
    expect(res.statusCode).toBe(200);
    const body = componentCatalogSchema.parse(res.json());
    expect(body.families).toHaveLength(9);
    // 63 in the catalog, less the 9 it cannot install yet (notInstallable, never offered).
    expect(body.components).toHaveLength(54);
    expect(body.components.map((c) => c.id)).not.toContain('specter');
    expect(body.components.find((c) => c.id === 'cnpg')).toMatchObject({
      family: 'fabric',
      tier: 'recommended',
      mandatory: true,
      logo: '/component-logos/cnpg.svg',
    });
    expect(body.components.find((c) => c.id === 'harbor')?.dependencies).toEqual([
      'cnpg',
      'seaweedfs',
      'valkey',
    ]);
    expect(body.components.find((c) => c.id === 'powerdns')?.logo).toBeNull();
  });
});

describe('GET /api/v1/catalog/providers', () => {
  it('serves the providers with regions and node sizes; only Hetzner is available', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/catalog/providers',
      headers: { cookie: member },
    });
    expect(res.statusCode).toBe(200);
    const { providers } = providerCatalogSchema.parse(res.json());
    expect(providers.map((p) => p.id)).toEqual(['hetzner', 'huawei', 'oci', 'aws', 'azure']);
    expect(providers.filter((p) => p.available).map((p) => p.id)).toEqual(['hetzner']);
    const hetzner = providers[0];
    expect(hetzner?.regions.map((r) => r.id)).toEqual(['fsn1', 'nbg1', 'hel1', 'ash', 'hil']);
    expect(hetzner?.nodeSizes.filter((s) => s.recommended).map((s) => s.id)).toEqual(['cpx32']);
    expect(hetzner?.nodeSizes.find((s) => s.id === 'cpx32')).toMatchObject({
      vcpu: 4,
      ramGb: 8,
      diskGb: 160,
      priceMonthEur: 14.49,
    });
    expect(providers.find((p) => p.id === 'aws')?.nodeSizes.every((s) => s.diskGb === null)).toBe(true);
  });
});

describe('POST /api/v1/catalog/install-set', () => {
  it('adds the mandatory components and what the selection needs, in install order', async () => {
    const res = await installSet({ components: ['librechat', 'harbor'] });
    expect(res.statusCode).toBe(200);
    const body = installSetResponseSchema.parse(res.json());
    expect(body.components).toHaveLength(24);
    const at = (id: string) => body.components.indexOf(id);
    expect(at('cnpg')).toBeGreaterThanOrEqual(0);
    expect(at('cnpg')).toBeLessThan(at('ferretdb'));
    expect(at('ferretdb')).toBeLessThan(at('librechat'));
    expect(at('valkey')).toBeLessThan(at('harbor'));
    expect(body.added).toContain('ferretdb');
    expect(body.added).toContain('cnpg');
    expect(body.added).not.toContain('librechat');
    expect(body.added).not.toContain('harbor');
    expect(body.added).toHaveLength(22);
  });

  it('answers an empty selection with the mandatory set', async () => {
    const res = await installSet({ components: [] });
    expect(res.statusCode).toBe(200);
    const body = installSetResponseSchema.parse(res.json());
    expect([...body.components].sort()).toEqual(mandatoryComponentIds());
    expect(body.added).toEqual(body.components);
  });

  it('rejects unknown component ids with an issue per entry', async () => {
    const res = await installSet({ components: ['grafana', 'minio', ' harbor ', 'Keycloak'] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: expect.any(String),
        details: {
          issues: [
            { path: 'components.1', message: 'Unknown component "minio"' },
            { path: 'components.3', message: 'Unknown component "Keycloak"' },
          ],
        },
      },
    });
  });

  it('rejects a body that does not match the contract', async () => {
    const extra = await installSet({ components: ['grafana'], force: true });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.code).toBe('validation_failed');
    const notAList = await installSet({ components: 'grafana' });
    expect(notAList.statusCode).toBe(400);
    expect(notAList.json().error.details.issues[0].path).toBe('components');
  });
});

describe('catalog access', () => {
  it('requires a session for every catalog route', async () => {
    for (const url of ['/api/v1/catalog/components', '/api/v1/catalog/providers']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error.code, url).toBe('unauthenticated');
    }
    const res = await installSet({ components: [] }, null);
    expect(res.statusCode).toBe(401);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths as Record<string, unknown>);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/catalog/components',
        '/api/v1/catalog/providers',
        '/api/v1/catalog/install-set',
      ]),
    );
  });
});
