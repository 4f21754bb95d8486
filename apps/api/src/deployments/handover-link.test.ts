import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.js';
import { deriveKeys, deriveRunSecret } from '../crypto/keys.js';
import {
  HandoverTokenError,
  parseHandoverPublicKey,
  publicKeyPemFromBase64,
  verifyHandoverToken,
} from '../handover/handover-token.js';
import { handoverKeyPairFor, mintHandoverLink, sovereignConsoleUrl } from './handover-link.js';

const keys = deriveKeys('a-secret-key-for-the-handover-tests-0123456789');
const A = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const B = '0f8fad5b-d9cb-469f-a165-70867728950e';
const FQDN = 'omantel.omani.works';
const NOW = 1_750_000_000;

const mint = (deploymentId: string, overrides: Partial<Parameters<typeof mintHandoverLink>[0]> = {}) =>
  mintHandoverLink({
    keys,
    deploymentId,
    fqdn: FQDN,
    adminEmail: 'admin@omantel.om',
    consoleUrl: `https://console.${FQDN}`,
    ttlSeconds: 600,
    now: NOW,
    ...overrides,
  });
const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';

describe('the per-deployment handover key', () => {
  it('is the same for one deployment every time it is derived (any replica, after a restart)', () => {
    const first = handoverKeyPairFor(keys, A);
    const again = handoverKeyPairFor(deriveKeys('a-secret-key-for-the-handover-tests-0123456789'), A);
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
    expect(again.publicKeyBase64).toBe(first.publicKeyBase64);
    expect(again.privateKey.export({ type: 'pkcs8', format: 'der' })).toEqual(
      first.privateKey.export({ type: 'pkcs8', format: 'der' }),
    );
  });

  it('differs between deployments and between secret keys', () => {
    const a = handoverKeyPairFor(keys, A).publicKeyBase64;
    expect(handoverKeyPairFor(keys, B).publicKeyBase64).not.toBe(a);
    expect(
      handoverKeyPairFor(deriveKeys('another-secret-key-of-at-least-32-chars!'), A).publicKeyBase64,
    ).not.toBe(a);
  });

  it('is an Ed25519 key whose one-line public half is the body of its PEM', () => {
    const pair = handoverKeyPairFor(keys, A);
    expect(pair.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(pair.publicKeyBase64).toMatch(/^MCowBQYDK2VwAyEA[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/);
    expect(publicKeyPemFromBase64(pair.publicKeyBase64)).toBe(pair.publicKeyPem);
    expect(parseHandoverPublicKey(pair.publicKeyPem).asymmetricKeyType).toBe('ed25519');
    // Not the run's other derived secrets, which share the run key.
    for (const purpose of ['kubeconfig-token', 'tofu-state', 'tofu-db-password'] as const) {
      expect(pair.publicKeyBase64).not.toContain(deriveRunSecret(keys, purpose, A));
    }
  });

  it("signs links the Sovereign's side verifies with the public half written to its kit", () => {
    const link = mint(A);
    expect(link.url.startsWith(`https://console.${FQDN}/auth/handover?token=`)).toBe(true);
    expect(link.expiresAt.toISOString()).toBe(new Date((NOW + 600) * 1000).toISOString());
    const claims = verifyHandoverToken(tokenOf(link.url), {
      publicKeyPem: publicKeyPemFromBase64(handoverKeyPairFor(keys, A).publicKeyBase64),
      audience: FQDN,
      now: NOW + 1,
    });
    expect(claims).toEqual({ aud: FQDN, sub: 'admin@omantel.om', jti: link.jti, iat: NOW, exp: NOW + 600 });
  });

  it("refuses a link of deployment A with deployment B's public key", () => {
    const token = tokenOf(mint(A).url);
    const check = () =>
      verifyHandoverToken(token, {
        publicKeyPem: handoverKeyPairFor(keys, B).publicKeyPem,
        audience: FQDN,
        now: NOW + 1,
      });
    expect(check).toThrow(HandoverTokenError);
    expect(() => check()).toThrow(/bad_signature/);
  });

  it('mints a new token each time (its own jti), never the same link twice', () => {
    const first = mint(A);
    const second = mint(A);
    expect(second.jti).not.toBe(first.jti);
    expect(second.url).not.toBe(first.url);
  });
});

describe('sovereignConsoleUrl', () => {
  it('fills in the fqdn and drops a trailing slash', () => {
    expect(sovereignConsoleUrl('https://console.{fqdn}', FQDN)).toBe(`https://console.${FQDN}`);
    expect(sovereignConsoleUrl('http://127.0.0.1:8080/', FQDN)).toBe('http://127.0.0.1:8080');
  });
});

describe('the handover settings', () => {
  it('default to the console at console.<fqdn>, 15 min to answer and 10 min links', () => {
    const { deployments } = loadConfig({});
    expect(deployments.sovereignConsoleUrl).toBe('https://console.{fqdn}');
    expect(deployments.handoverTimeoutSeconds).toBe(900);
    expect(deployments.handoverTokenTtlSeconds).toBe(600);
    expect(loadConfig({ CATALYST_SOVEREIGN_CONSOLE_URL: ' ' }).deployments.sovereignConsoleUrl).toBe(
      'https://console.{fqdn}',
    );
    expect(
      loadConfig({ CATALYST_SOVEREIGN_CONSOLE_URL: 'http://127.0.0.1:8080/' }).deployments
        .sovereignConsoleUrl,
    ).toBe('http://127.0.0.1:8080');
  });

  it('refuse a console URL that is not http(s) or carries a query, and links living over an hour', () => {
    for (const bad of ['ftp://console.{fqdn}', 'console.{fqdn}', 'https://console.{fqdn}?x=1']) {
      expect(() => loadConfig({ CATALYST_SOVEREIGN_CONSOLE_URL: bad }), bad).toThrow(ConfigError);
    }
    expect(loadConfig({ CATALYST_HANDOVER_TOKEN_TTL: '1h' }).deployments.handoverTokenTtlSeconds).toBe(3600);
    expect(() => loadConfig({ CATALYST_HANDOVER_TOKEN_TTL: '61m' })).toThrow(/CATALYST_HANDOVER_TOKEN_TTL/);
    expect(() => loadConfig({ CATALYST_HANDOVER_TIMEOUT: '0s' })).toThrow(/CATALYST_HANDOVER_TIMEOUT/);
  });
});
