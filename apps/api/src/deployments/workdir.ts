import { chmod, copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tfvars } from './tfvars.js';

/** The per-Sovereign tofu working directory: `<workdir>/<fqdn>/`. */
export function workdirFor(root: string, fqdn: string): string {
  return join(root, fqdn);
}

/**
 * Copies the OpenTofu module into the workdir (0700, files 0600), its dependency lock file
 * `.terraform.lock.hcl` included (it pins the provider's hashes), and writes the variables to
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

/** The run's OpenTofu CLI configuration (OpenTofu expects the `.tfrc` suffix for TF_CLI_CONFIG_FILE). */
export function cliConfigPath(dir: string): string {
  return join(dir, 'tofu-cli.tfrc');
}

/**
 * Writes a CLI configuration that installs providers from the filesystem mirror `mirror` and from
 * nowhere else: with an explicit `provider_installation` and no `direct` method, tofu never asks a
 * registry. The mirror holds `registry.opentofu.org/<namespace>/<type>/…` (`tofu providers mirror`).
 */
export async function writePluginMirrorConfig(dir: string, mirror: string): Promise<void> {
  const config = [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path = ${hclString(mirror)}`,
    '  }',
    '}',
    '',
  ];
  await writeFile(cliConfigPath(dir), config.join('\n'), { mode: 0o600 });
}

/** A quoted HCL string: JSON's escapes, plus HCL's own template sequences made literal. */
function hclString(value: string): string {
  return JSON.stringify(value).replaceAll('${', '$${').replaceAll('%{', '%%{');
}

/** Removes the variables file (it holds the cloud token) once a run has stopped. */
export async function removeSecretsFrom(dir: string): Promise<void> {
  await rm(join(dir, 'tofu.auto.tfvars.json'), { force: true });
  await rm(join(dir, 'tfplan'), { force: true });
}

export async function removeWorkdir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
