import { describe, expect, it } from 'vitest';
import { deriveKeys } from './keys.js';
import { Sealer } from './sealer.js';

const sealer = new Sealer(deriveKeys('a-secret-key-for-tests-0123456789abcdef'));

describe('Sealer', () => {
  it('round-trips a secret and never shows the plaintext', () => {
    const secret = 'hcloud-token-XYZ-0123456789';
    const sealed = sealer.seal(secret, 'deployment:1');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(secret);
    expect(sealer.unseal(sealed, 'deployment:1')).toBe(secret);
  });

  it('uses a fresh nonce each time', () => {
    expect(sealer.seal('same')).not.toBe(sealer.seal('same'));
  });

  it('refuses a value sealed for another context', () => {
    const sealed = sealer.seal('token', 'deployment:1');
    expect(() => sealer.unseal(sealed, 'deployment:2')).toThrow();
  });

  it('refuses a tampered value', () => {
    const sealed = sealer.seal('token');
    const body = Buffer.from(sealed.slice(3), 'base64url');
    body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 1;
    expect(() => sealer.unseal(`v1.${body.toString('base64url')}`)).toThrow();
  });

  it('refuses a value sealed under another key', () => {
    const other = new Sealer(deriveKeys('another-secret-key-for-tests-0123456789'));
    expect(() => other.unseal(sealer.seal('token'))).toThrow();
  });
});
