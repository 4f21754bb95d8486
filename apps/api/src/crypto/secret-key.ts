import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

const KEY_FILE = 'secret-key';

/**
 * The configured CATALYST_SECRET_KEY, or one generated on first start and kept under the
 * data directory so sealed secrets and sessions survive restarts of a single-node install.
 */
export function resolveSecretKey(configured: string | undefined, dataDir: string, log: Logger): string {
  if (configured) return configured;
  const path = join(dataDir, KEY_FILE);
  try {
    const existing = readFileSync(path, 'utf8').trim();
    if (existing.length >= 32) {
      log.warn(
        { path },
        'CATALYST_SECRET_KEY is unset: using the key generated earlier; set it for production',
      );
      return existing;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const generated = randomBytes(32).toString('base64url');
  writeFileSync(path, `${generated}\n`, { mode: 0o600, flag: 'wx' });
  log.warn(
    { path },
    'CATALYST_SECRET_KEY is unset: generated a key; back it up, or set the variable for production',
  );
  return generated;
}
