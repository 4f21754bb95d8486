import { hkdfSync } from 'node:crypto';

export const SECRET_KEYS = Symbol('SECRET_KEYS');

/** Independent sub-keys derived from CATALYST_SECRET_KEY, one per purpose, so no key is used twice. */
export interface SecretKeys {
  sealing: Buffer;
  sessions: Uint8Array;
  pins: Buffer;
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
  };
}
