import { sshPublicKeySchema } from '@catalyst/contracts';
import { describe, expect, it } from 'vitest';
import { generateEd25519 } from './sshkey';

describe('generateEd25519', () => {
  it('encodes an OpenSSH public key and an OpenSSH private key', async () => {
    const key = await generateEd25519('catalyst@acme.example');
    expect(sshPublicKeySchema.safeParse(key.publicKey).success).toBe(true);
    expect(key.publicKey).toMatch(
      /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+=* catalyst@acme\.example$/,
    );
    expect(key.privateKey.startsWith('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA')).toBe(true);
    expect(key.privateKey.trimEnd().endsWith('-----END OPENSSH PRIVATE KEY-----')).toBe(true);
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
