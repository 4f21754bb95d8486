import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bootstrapKitReleases, expectedKitReleases, findComponent } from '@catalyst/contracts';
import { describe, expect, it } from 'vitest';

const KIT = fileURLToPath(new URL('../../../../clusters/_template/bootstrap-kit/', import.meta.url));

/** Names of the HelmReleases in a file of the Flux tree (multi-document YAML, read by shape). */
function helmReleaseNames(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split(/^---\s*$/m)
    .filter((doc) => /^kind:\s*HelmRelease\s*$/m.test(doc))
    .map((doc) => /^metadata:\s*\n(?:\s+.*\n)*?\s+name:\s*(\S+)/m.exec(doc)?.[1] ?? '')
    .filter(Boolean);
}

describe('the bootstrap kit the watcher expects', () => {
  it('is exactly the HelmReleases of clusters/_template/bootstrap-kit', () => {
    const kustomization = readFileSync(`${KIT}kustomization.yaml`, 'utf8');
    const files = [...kustomization.matchAll(/^\s+-\s+(\S+\.yaml)\s*$/gm)].map((m) => m[1] as string);
    const base = files.flatMap((file) => helmReleaseNames(`${KIT}${file}`));
    const optional = readdirSync(`${KIT}components`).flatMap((dir) =>
      readdirSync(`${KIT}components/${dir}`)
        .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
        .flatMap((f) => helmReleaseNames(`${KIT}components/${dir}/${f}`)),
    );
    expect(base.sort()).toEqual(
      bootstrapKitReleases
        .filter((r) => !r.optional)
        .map((r) => `bp-${r.id}`)
        .sort(),
    );
    expect(optional.sort()).toEqual(
      bootstrapKitReleases
        .filter((r) => r.optional)
        .map((r) => `bp-${r.id}`)
        .sort(),
    );
  });

  it('includes an optional release only when its component is selected', () => {
    expect(expectedKitReleases([])).not.toContain('keycloak');
    expect(expectedKitReleases(['keycloak'])).toContain('keycloak');
    for (const release of bootstrapKitReleases.filter((r) => r.optional))
      expect(findComponent(release.id)).toBeDefined();
  });
});
