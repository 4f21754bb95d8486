import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { emailSchema } from '@catalyst/contracts';
import { z } from 'zod';

/**
 * The handover token: a compact JWS (`base64url(header).base64url(payload).base64url(signature)`, alg EdDSA
 * over Ed25519) the mothership signs for a new Sovereign's first sovereign-admin with a per-deployment key;
 * the Sovereign holds only the public half. Pure: no Nest, no database (single use is the caller's job).
 */

/** Longer tokens are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 4096;
/** A handover link is short-lived; a token claiming a longer life is refused as malformed. */
export const MAX_TTL_SECONDS = 60 * 60;
/** Clock difference tolerated between the mothership that signs and the Sovereign that verifies. */
export const CLOCK_SKEW_SECONDS = 30;

export type HandoverRefusal = 'malformed' | 'bad_signature' | 'wrong_audience' | 'expired' | 'not_yet_valid';

/** Why a token was refused; the reason is for the log, never for the answer. */
export class HandoverTokenError extends Error {
  constructor(
    readonly reason: HandoverRefusal,
    detail?: string,
  ) {
    super(detail ? `handover token refused: ${reason} (${detail})` : `handover token refused: ${reason}`);
    this.name = 'HandoverTokenError';
  }
}

const headerSchema = z.strictObject({ alg: z.literal('EdDSA'), typ: z.literal('JWT') });

const fqdn = z
  .string()
  .max(253)
  .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/);

const seconds = z.number().int().nonnegative();

export const handoverClaimsSchema = z
  .strictObject({
    aud: fqdn,
    /** Trimmed and lower-cased, like every e-mail that names a user. */
    sub: emailSchema,
    jti: z.uuid(),
    iat: seconds,
    exp: seconds,
  })
  .refine((c) => c.exp > c.iat && c.exp - c.iat <= MAX_TTL_SECONDS, {
    message: `exp must be after iat by at most ${MAX_TTL_SECONDS} s`,
  });

export type HandoverClaims = z.infer<typeof handoverClaimsSchema>;

/** A fresh per-deployment Ed25519 key pair, both halves PEM (SPKI / PKCS#8). */
export function generateHandoverKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** PKCS#8 DER of an Ed25519 private key, up to its 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A handover key pair made from a seed: the same seed gives the same pair, on any replica. */
export interface HandoverKeyPair {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** The base64 of the SubjectPublicKeyInfo (DER): the PEM body on one line, safe in YAML and Flux substitution. */
  publicKeyBase64: string;
}

/** The Ed25519 key pair whose private key is `seed` (32 bytes); derive the seed, never store the key. */
export function handoverKeyPairFromSeed(seed: Buffer): HandoverKeyPair {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKeyBase64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

/** The PEM of a public key given as its one-line base64 SPKI body (as the kit's values carry it). */
export function publicKeyPemFromBase64(body: string): string {
  return `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----\n`;
}

/** The Ed25519 public key in `pem`, or an error saying why it is not one. */
export function parseHandoverPublicKey(pem: string): KeyObject {
  // Node derives a public key from a private one too; a private half must never be taken as the public one.
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) throw new Error('not a PEM public key');
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
  return key;
}

/** Signs a token for `claims.sub` on `claims.aud`, valid `ttlSeconds` from `now` (seconds since the epoch). */
export function signHandoverToken(
  privateKeyPem: string | KeyObject,
  claims: { aud: string; sub: string; jti: string },
  ttlSeconds: number,
  now: number = Math.floor(Date.now() / 1000),
): string {
  const key = typeof privateKeyPem === 'string' ? createPrivateKey(privateKeyPem) : privateKeyPem;
  if (key.type !== 'private') throw new Error('not a private key');
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 private key');
  const iat = Math.floor(now);
  const payload = handoverClaimsSchema.parse({ ...claims, iat, exp: iat + ttlSeconds });
  const signingInput = `${encode({ alg: 'EdDSA', typ: 'JWT' })}.${encode(payload)}`;
  const signature = sign(null, Buffer.from(signingInput, 'ascii'), key).toString('base64url');
  return `${signingInput}.${signature}`;
}

/**
 * The claims of a token signed by `publicKeyPem` for `audience`, valid at `now` (seconds); otherwise throws a
 * HandoverTokenError. The signature is checked before the payload is read.
 */
export function verifyHandoverToken(
  token: string,
  options: { publicKeyPem: string | KeyObject; audience: string; now?: number },
): HandoverClaims {
  if (token.length > MAX_TOKEN_LENGTH) throw new HandoverTokenError('malformed', 'too long');
  const parts = token.split('.');
  if (parts.length !== 3) throw new HandoverTokenError('malformed', 'not three parts');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  const header = headerSchema.safeParse(decodeJson(headerPart));
  if (!header.success) throw new HandoverTokenError('malformed', 'header');
  const signature = decodeBase64Url(signaturePart);
  if (signature.length !== 64) throw new HandoverTokenError('malformed', 'signature length');

  const key =
    typeof options.publicKeyPem === 'string'
      ? parseHandoverPublicKey(options.publicKeyPem)
      : options.publicKeyPem;
  const signed = verify(null, Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'), key, signature);
  if (!signed) throw new HandoverTokenError('bad_signature');

  const parsed = handoverClaimsSchema.safeParse(decodeJson(payloadPart));
  if (!parsed.success) throw new HandoverTokenError('malformed', 'payload');
  const claims = parsed.data;
  const now = Math.floor(options.now ?? Date.now() / 1000);
  if (claims.aud !== options.audience.toLowerCase()) throw new HandoverTokenError('wrong_audience');
  if (claims.iat > now + CLOCK_SKEW_SECONDS) throw new HandoverTokenError('not_yet_valid');
  if (now >= claims.exp + CLOCK_SKEW_SECONDS) throw new HandoverTokenError('expired');
  return claims;
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Strict base64url: the alphabet only, no padding, and canonical (Node's decoder is lenient). */
function decodeBase64Url(part: string): Buffer {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) throw new HandoverTokenError('malformed', 'not base64url');
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.toString('base64url') !== part)
    throw new HandoverTokenError('malformed', 'not canonical base64url');
  return bytes;
}

function decodeJson(part: string): unknown {
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    return JSON.parse(text.decode(decodeBase64Url(part)));
  } catch (err) {
    if (err instanceof HandoverTokenError) throw err;
    throw new HandoverTokenError('malformed', 'not JSON');
  }
}
