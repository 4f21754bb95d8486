import { randomUUID, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CLOCK_SKEW_SECONDS,
  generateHandoverKeyPair,
  type HandoverRefusal,
  MAX_TOKEN_LENGTH,
  signHandoverToken,
  verifyHandoverToken,
} from './handover-token.js';

const keys = generateHandoverKeyPair();
const AUD = 'omantel.omani.works';
const NOW = 1_750_000_000;
const claims = { aud: AUD, sub: 'admin@omantel.om', jti: randomUUID() };
const mint = (overrides: Partial<typeof claims> = {}, ttl = 600, now = NOW) =>
  signHandoverToken(keys.privateKeyPem, { ...claims, ...overrides }, ttl, now);

function refusal(token: string, options: { publicKeyPem?: string; audience?: string; now?: number } = {}) {
  try {
    verifyHandoverToken(token, { publicKeyPem: keys.publicKeyPem, audience: AUD, now: NOW + 1, ...options });
  } catch (err) {
    return (err as { reason?: HandoverRefusal }).reason ?? `threw ${String(err)}`;
  }
  return 'accepted';
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const part = (token: string, i: number) => token.split('.')[i] as string;

/** A token with the given header and payload, signed properly with the test key. */
function signedRaw(header: unknown, payload: unknown): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const { privateKeyPem } = keys;
  return `${input}.${sign(null, Buffer.from(input), privateKeyPem).toString('base64url')}`;
}

describe('handover token', () => {
  it('verifies a token it signed and returns exactly its claims', () => {
    const token = mint();
    expect(
      verifyHandoverToken(token, { publicKeyPem: keys.publicKeyPem, audience: AUD, now: NOW + 10 }),
    ).toEqual({ ...claims, iat: NOW, exp: NOW + 600 });
    const header = JSON.parse(Buffer.from(part(token, 0), 'base64url').toString());
    expect(header).toEqual({ alg: 'EdDSA', typ: 'JWT' });
  });

  it('refuses a payload changed after signing', () => {
    const token = mint();
    const payload = JSON.parse(Buffer.from(part(token, 1), 'base64url').toString());
    const forged = `${part(token, 0)}.${b64({ ...payload, sub: 'attacker@evil.test' })}.${part(token, 2)}`;
    expect(refusal(forged)).toBe('bad_signature');
  });

  it('refuses a changed signature', () => {
    const token = mint();
    const signature = Buffer.from(part(token, 2), 'base64url');
    signature[10] = (signature[10] as number) ^ 0x01;
    const forged = `${part(token, 0)}.${part(token, 1)}.${signature.toString('base64url')}`;
    expect(refusal(forged)).toBe('bad_signature');
  });

  it('refuses a token signed with another key', () => {
    const other = generateHandoverKeyPair();
    const token = signHandoverToken(other.privateKeyPem, claims, 600, NOW);
    expect(refusal(token)).toBe('bad_signature');
    expect(refusal(token, { publicKeyPem: other.publicKeyPem })).toBe('accepted');
  });

  it('refuses a token for another Sovereign', () => {
    expect(refusal(mint({ aud: 'other.omani.works' }))).toBe('wrong_audience');
  });

  it('refuses an expired token, allowing only the clock skew', () => {
    const token = mint({}, 600);
    expect(refusal(token, { now: NOW + 600 + CLOCK_SKEW_SECONDS - 1 })).toBe('accepted');
    expect(refusal(token, { now: NOW + 600 + CLOCK_SKEW_SECONDS })).toBe('expired');
  });

  it('refuses a token issued in the future beyond the clock skew', () => {
    const token = mint({}, 600, NOW + CLOCK_SKEW_SECONDS + 5);
    expect(refusal(token, { now: NOW })).toBe('not_yet_valid');
  });

  it('refuses malformed pieces', () => {
    const token = mint();
    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const cases: Record<string, string> = {
      empty: '',
      'two parts': `${h}.${p}`,
      'four parts': `${token}.${s}`,
      'header not base64url': `${h}!.${p}.${s}`,
      'padded signature': `${h}.${p}.${s}==`,
      'short signature': `${h}.${p}.${s.slice(0, 40)}`,
      'header not JSON': `${Buffer.from('nope').toString('base64url')}.${p}.${s}`,
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${p}.${s}`,
      'alg HS256': `${b64({ alg: 'HS256', typ: 'JWT' })}.${p}.${s}`,
      'extra header field': `${b64({ alg: 'EdDSA', typ: 'JWT', kid: 'x' })}.${p}.${s}`,
      'extra claim (signed)': signedRaw({ alg: 'EdDSA', typ: 'JWT' }, { ...payload, role: 'superadmin' }),
      'sub not an e-mail (signed)': signedRaw({ alg: 'EdDSA', typ: 'JWT' }, { ...payload, sub: 'root' }),
      'jti not a uuid (signed)': signedRaw({ alg: 'EdDSA', typ: 'JWT' }, { ...payload, jti: 'one' }),
      'exp before iat (signed)': signedRaw({ alg: 'EdDSA', typ: 'JWT' }, { ...payload, exp: NOW - 1 }),
      'lifetime over an hour (signed)': signedRaw(
        { alg: 'EdDSA', typ: 'JWT' },
        { ...payload, exp: NOW + 3601 },
      ),
      'payload not JSON (signed)': (() => {
        const input = `${b64({ alg: 'EdDSA', typ: 'JWT' })}.${Buffer.from('{').toString('base64url')}`;
        return `${input}.${sign(null, Buffer.from(input), keys.privateKeyPem).toString('base64url')}`;
      })(),
    };
    for (const [name, bad] of Object.entries(cases)) {
      expect({ name, reason: refusal(bad) }).toEqual({ name, reason: 'malformed' });
    }
    // The properly signed control passes, so the cases above fail for the stated reason only.
    expect(refusal(signedRaw({ alg: 'EdDSA', typ: 'JWT' }, payload))).toBe('accepted');
  });

  it('refuses a token over 4 KiB before reading it', () => {
    const token = mint();
    const long = `${token}${'A'.repeat(MAX_TOKEN_LENGTH - token.length + 1)}`;
    expect(long.length).toBe(MAX_TOKEN_LENGTH + 1);
    expect(refusal(long)).toBe('malformed');
  });

  it('refuses a private key given as the verifying key', () => {
    expect(() =>
      verifyHandoverToken(mint(), { publicKeyPem: keys.privateKeyPem, audience: AUD, now: NOW }),
    ).toThrow(/not a PEM public key/);
  });

  it('refuses to sign with a lifetime over an hour or a key that is not Ed25519', () => {
    expect(() => mint({}, 3601)).toThrow();
    expect(() => signHandoverToken(keys.publicKeyPem, claims, 60, NOW)).toThrow();
  });
});
