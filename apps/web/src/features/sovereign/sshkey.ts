/** Ed25519 key pairs made in the browser with WebCrypto, encoded the way OpenSSH writes them. */

const encoder = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function uint32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

/** An SSH wire-format string: its length, then its bytes. */
function sshString(value: Uint8Array | string): Uint8Array {
  const bytes = typeof value === 'string' ? encoder.encode(value) : value;
  return concat(uint32(bytes.length), bytes);
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The public key blob: string "ssh-ed25519", string key. */
export function ed25519PublicBlob(publicKey: Uint8Array): Uint8Array {
  return concat(sshString('ssh-ed25519'), sshString(publicKey));
}

export function openSshPublicKey(publicKey: Uint8Array, comment: string): string {
  return `ssh-ed25519 ${toBase64(ed25519PublicBlob(publicKey))}${comment ? ` ${comment}` : ''}`;
}

/** `-----BEGIN OPENSSH PRIVATE KEY-----` (unencrypted, openssh-key-v1). */
export function openSshPrivateKey(
  seed: Uint8Array,
  publicKey: Uint8Array,
  comment: string,
  check: number,
): string {
  const pubBlob = ed25519PublicBlob(publicKey);
  let section = concat(
    uint32(check),
    uint32(check),
    sshString('ssh-ed25519'),
    sshString(publicKey),
    sshString(concat(seed, publicKey)),
    sshString(comment),
  );
  const padding: number[] = [];
  for (let i = 1; (section.length + padding.length) % 8 !== 0; i++) padding.push(i);
  section = concat(section, new Uint8Array(padding));
  const body = concat(
    encoder.encode('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(new Uint8Array(0)),
    uint32(1),
    sshString(pubBlob),
    sshString(section),
  );
  const lines = toBase64(body).match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

export async function sshFingerprint(publicKey: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', ed25519PublicBlob(publicKey) as Uint8Array<ArrayBuffer>),
  );
  return `SHA256:${toBase64(digest).replace(/=+$/, '')}`;
}

export interface GeneratedKey {
  publicKey: string;
  privateKey: string;
  fingerprint: string;
}

export function canGenerateKeys(): boolean {
  return typeof crypto !== 'undefined' && typeof crypto.subtle?.generateKey === 'function';
}

/** Generates a key pair; the private key is returned once and never leaves the browser. */
export async function generateEd25519(comment: string): Promise<GeneratedKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  // An Ed25519 PKCS#8 key ends with the 32-byte seed (RFC 8410).
  const seed = pkcs8.slice(pkcs8.length - 32);
  const check = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
  return {
    publicKey: openSshPublicKey(raw, comment),
    privateKey: openSshPrivateKey(seed, raw, comment, check),
    fingerprint: await sshFingerprint(raw),
  };
}

/** Offers `text` as a file download. */
export function downloadText(filename: string, text: string, type = 'text/plain') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
