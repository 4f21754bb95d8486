import {
  type CatalogComponent,
  components,
  dependentsOf,
  findComponent,
  installSet,
} from '@catalyst/contracts';

/** Selecting `id` also selects everything it needs, directly or not. */
export function selectWithDependencies(selected: readonly string[], id: string): string[] {
  const added = installSet([id]);
  return [...new Set([...selected, ...added])].sort();
}

/** The selected components that need `id` (directly or not): what removing it takes along. */
export function selectedDependents(selected: readonly string[], id: string): string[] {
  const chosen = new Set(selected);
  return dependentsOf(id).filter((dep) => chosen.has(dep));
}

/** Removes `id` and the selected components that need it; mandatory ones never go. */
export function deselectWithDependents(selected: readonly string[], id: string): string[] {
  if (findComponent(id)?.mandatory) return [...selected];
  const drop = new Set([id, ...selectedDependents(selected, id)]);
  return selected.filter((c) => !drop.has(c) || findComponent(c)?.mandatory);
}

/** Search over name, id, description and family. */
export function matchesSearch(component: CatalogComponent, query: string, familyLabel: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [component.name, component.id, component.description, familyLabel].some((text) =>
    text.toLowerCase().includes(q),
  );
}

export const allComponents = components;
