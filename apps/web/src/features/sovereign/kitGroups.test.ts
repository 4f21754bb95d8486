import {
  bootstrapKitReleases,
  defaultSelection,
  expectedKitReleases,
  families,
  findComponent,
  installSet,
} from '@catalyst/contracts';
import { describe, expect, it } from 'vitest';
import { countStates, groupByFamily, kitGroupOf, kitReleaseName, PLATFORM_GROUP } from './kitGroups';

describe('groupByFamily', () => {
  it('puts every watched release in exactly one group, catalog ones by family, the kit’s own in Platform', () => {
    for (const selected of [[], defaultSelection(), ['librechat']]) {
      const watched = expectedKitReleases(installSet(selected));
      const groups = groupByFamily(watched, (id) => id);
      expect(groups.flatMap((g) => g.items).sort()).toEqual([...watched].sort());
      for (const group of groups) {
        expect(group.items.length).toBeGreaterThan(0);
        for (const id of group.items) {
          expect(group.id).toBe(findComponent(id)?.family ?? PLATFORM_GROUP);
        }
      }
    }
  });

  it('orders the groups Platform first, then the catalog’s families, and keeps the kit’s order inside', () => {
    const watched = expectedKitReleases(installSet(defaultSelection()));
    const groups = groupByFamily(watched, (id) => id);
    const order: string[] = [PLATFORM_GROUP, ...families.map((f) => f.id)];
    const ids: string[] = groups.map((g) => g.id);
    expect(ids).toEqual(order.filter((id) => ids.includes(id)));
    expect(groups[0]).toMatchObject({ id: 'platform', name: 'Platform' });
    const platform = groups[0]?.items ?? [];
    expect(platform).toEqual(watched.filter((id) => !findComponent(id)));
    // The platform's own releases are in the base kit: always there, never catalog components.
    expect(platform.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(group.items).toEqual(watched.filter((id) => group.items.includes(id)));
    }
  });

  it('groups component views by id, prefixed or not', () => {
    const views = [
      { id: 'bp-cilium', state: 'installed' },
      { id: 'catalyst-platform', state: 'pending' },
      { id: 'grafana', state: 'failed' },
    ];
    const groups = groupByFamily(views, (v) => v.id);
    expect(groups.map((g) => [g.id, g.items.map((v) => v.id)])).toEqual([
      ['platform', ['catalyst-platform']],
      [findComponent('cilium')?.family, ['bp-cilium']],
      [findComponent('grafana')?.family, ['grafana']],
    ]);
    expect(kitGroupOf('bp-grafana')).toBe(findComponent('grafana')?.family);
  });
});

describe('kitReleaseName', () => {
  it('uses the catalog’s name, a name for each of the kit’s own releases, and the id for anything else', () => {
    expect(kitReleaseName('cnpg')).toBe(findComponent('cnpg')?.name);
    expect(kitReleaseName('bp-cnpg')).toBe(findComponent('cnpg')?.name);
    const own = bootstrapKitReleases.filter((r) => !findComponent(r.id)).map((r) => r.id);
    for (const id of own) {
      expect(kitReleaseName(id)).not.toBe(id);
      expect(kitReleaseName(id).length).toBeGreaterThan(0);
    }
    expect(kitReleaseName('something-new')).toBe('something-new');
  });
});

describe('countStates', () => {
  it('counts each state, an unknown one as pending', () => {
    expect(
      countStates([
        { state: 'installed' },
        { state: 'installed' },
        { state: 'installing' },
        { state: 'failed' },
        { state: 'degraded' },
        { state: 'pending' },
        { state: 'unknown-to-the-page' },
      ]),
    ).toEqual({ installed: 2, installing: 1, pending: 2, failed: 1, degraded: 1 });
    expect(countStates([])).toEqual({ installed: 0, installing: 0, pending: 0, failed: 0, degraded: 0 });
  });
});
