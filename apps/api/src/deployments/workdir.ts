import { chmod, copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tfvars } from './tfvars.js';

/** The per-Sovereign tofu working directory: `<workdir>/<fqdn>/`. */
export function workdirFor(root: string, fqdn: string): string {
  return join(root, fqdn);
}

/**
 * Copies the OpenTofu module into the workdir (0700, files 0600) and writes the variables to
 * `tofu.auto.tfvars.json` (0600). State is not here: it lives in the Postgres backend.
 */
export async function stageWorkdir(moduleDir: string, dir: string, tfvars: Tfvars): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  for (const entry of await readdir(moduleDir, { withFileTypes: true })) {
    if (entry.isFile() && /\.(tf|tftpl|hcl)$/.test(entry.name)) {
      await copyFile(join(moduleDir, entry.name), join(dir, entry.name));
      await chmod(join(dir, entry.name), 0o600);
    }
  }
  await writeFile(join(dir, 'tofu.auto.tfvars.json'), `${JSON.stringify(tfvars, null, 2)}\n`, {
    mode: 0o600,
  });
}

/** Removes the variables file (it holds the cloud token) once a run has stopped. */
export async function removeSecretsFrom(dir: string): Promise<void> {
  await rm(join(dir, 'tofu.auto.tfvars.json'), { force: true });
  await rm(join(dir, 'tfplan'), { force: true });
}

export async function removeWorkdir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
