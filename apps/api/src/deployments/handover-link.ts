import { randomUUID } from 'node:crypto';
import { deriveRunSeed, type SecretKeys } from '../crypto/keys.js';
import {
  type HandoverKeyPair,
  handoverKeyPairFromSeed,
  signHandoverToken,
} from '../handover/handover-token.js';

/**
 * The mothership's side of the handover (D0, docs/architecture.md): each deployment has its own Ed25519
 * key, derived from the run key and the deployment id, so every replica signs with the same key, nothing
 * is stored, and the public half written into the Sovereign's kit values can be computed again at any time.
 */
export function handoverKeyPairFor(keys: SecretKeys, deploymentId: string): HandoverKeyPair {
  return handoverKeyPairFromSeed(deriveRunSeed(keys, 'handover-key', deploymentId));
}

/** The new Sovereign's console: CATALYST_SOVEREIGN_CONSOLE_URL with `{fqdn}` filled in. */
export function sovereignConsoleUrl(pattern: string, fqdn: string): string {
  return pattern.replaceAll('{fqdn}', fqdn).replace(/\/+$/, '');
}

export interface HandoverLink {
  url: string;
  expiresAt: Date;
  /** The token's id, for the audit log (the token itself is a credential and is never kept). */
  jti: string;
}

/**
 * A one-time sign-in link to the Sovereign's console for its first sovereign-admin: a token of `ttlSeconds`
 * signed with the deployment's key, naming the Sovereign (aud) and the admin (sub). Minted on demand.
 */
export function mintHandoverLink(input: {
  keys: SecretKeys;
  deploymentId: string;
  fqdn: string;
  adminEmail: string;
  consoleUrl: string;
  ttlSeconds: number;
  now?: number;
}): HandoverLink {
  const { privateKey } = handoverKeyPairFor(input.keys, input.deploymentId);
  const jti = randomUUID();
  const now = Math.floor(input.now ?? Date.now() / 1000);
  const token = signHandoverToken(
    privateKey,
    { aud: input.fqdn, sub: input.adminEmail, jti },
    input.ttlSeconds,
    now,
  );
  return {
    url: `${input.consoleUrl}/auth/handover?token=${encodeURIComponent(token)}`,
    expiresAt: new Date((now + input.ttlSeconds) * 1000),
    jti,
  };
}
