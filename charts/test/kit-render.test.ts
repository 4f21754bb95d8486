import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  bootstrapKitReleases,
  defaultSelection,
  expectedKitReleases,
  installSet,
  mandatoryComponentIds,
} from '@catalyst/contracts';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependsOnOf, get, installOrder, kitDir, repoRoot, type Yaml } from './helpers/charts.js';
import { ensureKubectl, kustomize } from './helpers/kubectl.js';

/**
 * clusters/_template rendered the way Flux renders it (kustomize with the Kustomization's spec.components), by a
 * real kustomize: with no optional component, with every one, and with the wizard's default selection.
 */
let kubectl: string;
let work: string;
beforeAll(() => {
  kubectl = ensureKubectl(repoRoot);
  work = mkdtempSync(join(tmpdir(), 'catalyst-kit-render-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const optionalIds: readonly string[] = bootstrapKitReleases.filter((r) => r.optional).map((r) => r.id);

/** The kit with these optional components, as Flux's spec.components includes them. */
function render(components: readonly string[]): Yaml[] {
  const dir = mkdtempSync(join(work, 'kit-'));
  const kustomization = [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    `  - ${relative(dir, kitDir)}`,
    ...(components.length ? ['components:'] : []),
    ...components.map((id) => `  - ${relative(dir, join(kitDir, 'components', id))}`),
  ].join('\n');
  writeFileSync(join(dir, 'kustomization.yaml'), `${kustomization}\n`);
  return (loadAll(kustomize(kubectl, dir)) as Yaml[]).filter(Boolean);
}

/** Every dependsOn target is rendered too, and the releases can be installed in some order (no cycle). */
function expectInstallable(releases: Yaml[]): string[] {
  const names = new Set(releases.map((r) => get(r, 'metadata.name') as string));
  for (const release of releases)
    for (const target of dependsOnOf(release))
      expect(names.has(target), `${get(release, 'metadata.name')} → ${target} is not rendered`).toBe(true);
  const { order, stuck } = installOrder(releases);
  expect(stuck, 'a cycle among these').toEqual([]);
  return order;
}

const selections: [string, string[]][] = [
  ['no optional component', mandatoryComponentIds()],
  ['every optional component', [...mandatoryComponentIds(), ...optionalIds]],
  ['the default selection', installSet(defaultSelection())],
];

describe('clusters/_template rendered by kustomize', () => {
  it.each(selections)(
    'renders with %s: exactly the releases the run watches, installable in order',
    (_, selection) => {
      const chosen = selection.filter((id) => optionalIds.includes(id));
      const releases = render(chosen).filter((doc) => doc.kind === 'HelmRelease');
      const names = releases.map((r) => get(r, 'metadata.name') as string);
      expect(names.sort()).toEqual(
        expectedKitReleases(selection)
          .map((id) => `bp-${id}`)
          .sort(),
      );
      const order = expectInstallable(releases);
      expect(order[0]).toBe('bp-cilium');
    },
  );

  it('gives every release the dependsOn of the one mapping (libs/contracts bootstrap-kit.ts)', () => {
    const releases = render(optionalIds).filter((doc) => doc.kind === 'HelmRelease');
    for (const { id, dependsOn } of bootstrapKitReleases) {
      const release = releases.find((r) => get(r, 'metadata.name') === `bp-${id}`);
      expect(release, `bp-${id}`).toBeDefined();
      // Keycloak, when selected, also goes before Gitea (the seed's keycloak → gitea → catalyst-platform).
      const extra = id === 'gitea' ? ['bp-keycloak'] : [];
      expect(dependsOnOf(release as Yaml).sort(), `bp-${id}`).toEqual(
        [...dependsOn.map((d) => `bp-${d}`), ...extra].sort(),
      );
    }
  });

  it('holds only kinds the cluster knows before the kit (a custom resource of a kit chart would fail its dry-run)', () => {
    // Flux applies the kit in one server-side dry-run: one object whose CRD a kit release brings (a CloudNativePG
    // Cluster, say) fails the whole apply, so the release bringing the CRD never installs. Such objects belong in the
    // chart of the release that needs them. Cilium is there before Flux (cloud-init installs it).
    const known = new Set([
      'v1/Namespace',
      'v1/Secret',
      'v1/ConfigMap',
      'helm.toolkit.fluxcd.io/v2/HelmRelease',
      'source.toolkit.fluxcd.io/v1/HelmRepository',
      'cilium.io/v2/CiliumClusterwideNetworkPolicy',
    ]);
    for (const doc of render(optionalIds))
      expect(known.has(`${doc.apiVersion}/${doc.kind}`), `${doc.kind} ${get(doc, 'metadata.name')}`).toBe(
        true,
      );
  });

  it('puts Keycloak before Gitea only when Keycloak is selected', () => {
    const gitea = (components: string[]) =>
      render(components).find(
        (doc) => doc.kind === 'HelmRelease' && get(doc, 'metadata.name') === 'bp-gitea',
      );
    expect(dependsOnOf(gitea([]) as Yaml)).not.toContain('bp-keycloak');
    expect(dependsOnOf(gitea(['keycloak']) as Yaml)).toContain('bp-keycloak');
  });
});
