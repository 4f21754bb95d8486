import { createHmac, hkdfSync } from 'node:crypto';

export const SECRET_KEYS = Symbol('SECRET_KEYS');

/** Independent sub-keys derived from CATALYST_SECRET_KEY, one per purpose, so no key is used twice. */
export interface SecretKeys {
  sealing: Buffer;
  sessions: Uint8Array;
  pins: Buffer;
  /**
   * Keys per-deployment secrets derived on demand (kubeconfig post-back token, tofu state passphrase and
   * database password, the handover signing key's seed).
   */
  runs: Buffer;
}

export function deriveKeys(secretKey: string): SecretKeys {
  const derive = (purpose: string) =>
    Buffer.from(
      hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), Buffer.alloc(0), `catalyst/${purpose}`, 32),
    );
  return {
    sealing: derive('sealing/v1'),
    sessions: new Uint8Array(derive('sessions/v1')),
    pins: derive('pins/v1'),
    runs: derive('runs/v1'),
  };
}

/**
 * A secret of one deployment, derived rather than stored: the same after a restart or on another
 * replica, so a re-planned run renders the same cloud-init, and nothing needs keeping in the database.
 */
export function deriveRunSecret(
  keys: SecretKeys,
  purpose: 'kubeconfig-token' | 'tofu-state' | 'tofu-db-password',
  deploymentId: string,
): string {
  return createHmac('sha256', keys.runs).update(`${purpose}\n${deploymentId}`).digest('base64url');
}

/**
 * 32 bytes of one deployment, derived like deriveRunSecret (a purpose of its own, so never equal to one of
 * those): the seed of a key that must be the same on every replica and after a restart without being stored.
 */
export function deriveRunSeed(keys: SecretKeys, purpose: 'handover-key', deploymentId: string): Buffer {
  return createHmac('sha256', keys.runs).update(`${purpose}\n${deploymentId}`).digest();
}
