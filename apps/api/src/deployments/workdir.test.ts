import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { afterAll, describe, expect, it } from 'vitest';
import { TOFU_MODULE_DIR } from './phases/tofu.js';
import type { Tfvars } from './tfvars.js';
import { cliConfigPath, stageWorkdir, writePluginMirrorConfig } from './workdir.js';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-workdir-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a run workdir', () => {
  it('carries the module with its dependency lock file (a dotfile), private to the api', async () => {
    const dir = join(scratch(), 'omantel.omani.works');
    await stageWorkdir(TOFU_MODULE_DIR, dir, {} as Tfvars);
    const lock = join(dir, '.terraform.lock.hcl');
    expect(readFileSync(lock, 'utf8')).toBe(
      readFileSync(join(TOFU_MODULE_DIR, '.terraform.lock.hcl'), 'utf8'),
    );
    expect(statSync(lock).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'versions.tf'), 'utf8')).toContain('required_providers');
  });

  it('points tofu at the provider mirror only, whatever characters its path holds', async () => {
    const dir = scratch();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL's template syntax inside a path is the subject
    for (const mirror of ['/opt/tofu-mirror', '/srv/odd "quoted" ${dir} %{x} \\ back']) {
      await writePluginMirrorConfig(dir, mirror);
      const text = readFileSync(cliConfigPath(dir), 'utf8');
      const parsed = await parse('tofu-cli.tfrc', text);
      // Nothing but one filesystem mirror: no `direct` method, so tofu never asks a registry.
      expect(Object.keys(parsed)).toEqual(['provider_installation']);
      expect(parsed.provider_installation).toHaveLength(1);
      expect(Object.keys(parsed.provider_installation[0])).toEqual(['filesystem_mirror']);
      const [block] = parsed.provider_installation[0].filesystem_mirror;
      expect(Object.keys(block)).toEqual(['path']);
      // hcl2json answers HCL's JSON form, where template sequences stay escaped.
      expect(block.path).toBe(mirror.replaceAll('${', '$${').replaceAll('%{', '%%{'));
      expect(statSync(cliConfigPath(dir)).mode & 0o777).toBe(0o600);
    }
  });
});
