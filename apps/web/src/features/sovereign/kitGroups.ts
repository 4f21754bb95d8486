import { componentIdOf, type FamilyId, families, findComponent } from '@catalyst/contracts';

/** The group of the kit's own releases that no catalog component stands for (flux-operator, catalyst-platform…). */
export const PLATFORM_GROUP = 'platform';
export type KitGroupId = FamilyId | typeof PLATFORM_GROUP;

export interface KitGroup<T> {
  id: KitGroupId;
  name: string;
  subtitle: string;
  items: T[];
}

const platform = { id: PLATFORM_GROUP, name: 'Platform', subtitle: "Catalyst's own releases" } as const;

/** The group of one kit release: its catalog family, or Platform for the kit's own releases. */
export function kitGroupOf(releaseId: string): KitGroupId {
  return findComponent(componentIdOf(releaseId))?.family ?? PLATFORM_GROUP;
}

/**
 * Kit releases grouped as Review and the provision page show them: Platform first, then the catalog's families in
 * catalog order; each group keeps the order it was given (the kit's), and groups with nothing in them are left out.
 */
export function groupByFamily<T>(items: readonly T[], idOf: (item: T) => string): KitGroup<T>[] {
  const byGroup = new Map<KitGroupId, T[]>();
  for (const item of items) {
    const group = kitGroupOf(idOf(item));
    byGroup.set(group, [...(byGroup.get(group) ?? []), item]);
  }
  return [platform, ...families].flatMap(({ id, name, subtitle }) => {
    const grouped = byGroup.get(id);
    return grouped ? [{ id, name, subtitle, items: grouped }] : [];
  });
}

/** The names of the kit's own releases (catalog components take the catalog's name). */
const platformNames: Readonly<Record<string, string>> = {
  'flux-operator': 'Flux Operator',
  'sealed-secrets': 'Sealed Secrets',
  'nats-jetstream': 'NATS JetStream',
  'catalyst-platform': 'Catalyst Platform',
};

/** The name Review and the provision page show for a kit release; an unknown one shows its id. */
export function kitReleaseName(releaseId: string): string {
  const id = componentIdOf(releaseId);
  return findComponent(id)?.name ?? platformNames[id] ?? id;
}

export const kitStates = ['installed', 'installing', 'pending', 'failed', 'degraded'] as const;
export type KitStateCounts = Record<(typeof kitStates)[number], number>;

/** How many of the components are in each state; a state the page does not know counts as pending. */
export function countStates(items: readonly { state: string }[]): KitStateCounts {
  const counts: KitStateCounts = { installed: 0, installing: 0, pending: 0, failed: 0, degraded: 0 };
  for (const { state } of items) {
    const known = (kitStates as readonly string[]).includes(state)
      ? (state as keyof KitStateCounts)
      : 'pending';
    counts[known] += 1;
  }
  return counts;
}
