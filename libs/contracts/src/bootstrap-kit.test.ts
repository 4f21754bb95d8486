import { describe, expect, it } from 'vitest';
import {
  baseKitSize,
  bootstrapKitReleases,
  expectedKitReleases,
  installSetFootprint,
  kitTimeoutScale,
} from './bootstrap-kit.js';
import {
  components,
  defaultSelection,
  findComponent,
  installSet,
  mandatoryComponentIds,
  missingDependencies,
  notInstallable,
} from './catalog.js';
import { kitFootprints } from './kit-footprints.js';

/** Releases of the platform itself, not catalog components: always installed. */
const PLATFORM = ['catalyst-platform', 'flux-operator', 'nats-jetstream', 'sealed-secrets'];
const releaseOf = (id: string) => bootstrapKitReleases.find((r) => r.id === id);

/** Everything `id` needs in the catalog, directly or not. */
function catalogClosure(id: string): Set<string> {
  const result = new Set<string>();
  const visit = (current: string) => {
    for (const dependency of findComponent(current)?.dependencies ?? [])
      if (!result.has(dependency)) {
        result.add(dependency);
        visit(dependency);
      }
  };
  visit(id);
  return result;
}

describe('the bootstrap kit and the catalog: one mapping', () => {
  it('has a release for every offered component, and releases only for those and the platform', () => {
    expect(
      bootstrapKitReleases
        .map((r) => r.id)
        .filter((id) => !PLATFORM.includes(id))
        .sort(),
    ).toEqual(components.map((c) => c.id).sort());
    for (const id of PLATFORM) expect(releaseOf(id)?.optional, id).toBe(false);
  });

  it('installs every mandatory component in the base kit and every other one only when selected', () => {
    for (const component of components)
      expect(releaseOf(component.id)?.optional, component.id).toBe(!component.mandatory);
  });

  it('offers no component it cannot install, and says why for each', () => {
    for (const [id, why] of Object.entries(notInstallable)) {
      expect(findComponent(id), id).toBeUndefined();
      expect(releaseOf(id), id).toBeUndefined();
      expect(why.length, id).toBeGreaterThan(10);
      expect(defaultSelection()).not.toContain(id);
    }
  });

  it("selects every dependsOn target whenever the release is selected (the wizard's cascade covers Flux's order)", () => {
    for (const { id, dependsOn } of bootstrapKitReleases) {
      if (!findComponent(id)) continue;
      const selectedWith = catalogClosure(id);
      for (const target of dependsOn) {
        const component = findComponent(target);
        if (!component) continue;
        expect(component.mandatory || selectedWith.has(target), `${id} → ${target}`).toBe(true);
      }
    }
  });

  it('watches exactly the base kit and the selected optional releases', () => {
    expect(expectedKitReleases([])).toHaveLength(baseKitSize);
    const withGrafana = expectedKitReleases(installSet(['grafana']));
    for (const id of ['grafana', 'loki', 'mimir', 'tempo', 'keycloak']) expect(withGrafana).toContain(id);
    expect(withGrafana).not.toContain('vllm');
  });

  it('refuses a selection that leaves out a dependency, and names it', () => {
    expect(missingDependencies(['grafana', 'loki'])).toEqual([
      { id: 'grafana', missing: ['mimir', 'tempo', 'keycloak'] },
    ]);
    // Mandatory components are installed whether or not the request lists them.
    expect(missingDependencies(['harbor'])).toEqual([]);
    expect(missingDependencies(installSet(defaultSelection()))).toEqual([]);
    expect(missingDependencies(mandatoryComponentIds())).toEqual([]);
  });

  it('scales the kit timeouts with the install set, never below the configured values', () => {
    expect(kitTimeoutScale(1)).toBe(1);
    expect(kitTimeoutScale(baseKitSize)).toBe(1);
    expect(kitTimeoutScale(bootstrapKitReleases.length)).toBeCloseTo(
      bootstrapKitReleases.length / baseKitSize,
    );
  });

  it("adds up the footprints of the selection's releases", () => {
    const base = installSetFootprint([]);
    const cpu = expectedKitReleases([]).reduce((sum, id) => sum + (kitFootprints[id]?.cpuMillis ?? 0), 0);
    expect(base.cpuMillis).toBe(cpu);
    const more = installSetFootprint(installSet(['grafana']));
    expect(more.cpuMillis).toBeGreaterThan(base.cpuMillis);
    expect(more.memoryMiB).toBeGreaterThan(base.memoryMiB);
  });
});
