import { useId } from 'react';
import { countStates, groupByFamily, kitStates } from './kitGroups';
import { KitCard } from './PhaseCards';
import type { ComponentView } from './provisionModel';

/**
 * The bootstrap kit on the provision page: "N of M installed", then the components grouped by family as Review
 * grouped them, each group with its counts per state and collapsed once all of it is installed.
 */
export function KitGroups({
  title = 'Bootstrap kit',
  components,
  now,
  onRetry,
}: {
  /** One region's kit is titled with the region when the run has several. */
  title?: string;
  components: ComponentView[];
  now: number;
  onRetry: (id: string) => void;
}) {
  const total = countStates(components);
  const titleId = useId();
  return (
    <section data-testid="kit-grid" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <p className="muted" data-testid="kit-summary">
        {total.installed} of {components.length} installed
        {total.failed > 0 ? ` · ${total.failed} failed` : ''}
      </p>
      <ul className="sov-kit-groups">
        {groupByFamily(components, (c) => c.id).map((group) => {
          const counts = countStates(group.items);
          const done = counts.installed === group.items.length;
          return (
            <li key={group.id} className="sov-kit-group">
              <details open={!done} data-testid={`kit-group-${group.id}`}>
                <summary>
                  <h3 className="sov-kit-group-title">{group.name}</h3>
                  <span className="muted sov-small">{group.subtitle}</span>
                  <span className="sov-kit-counts" data-testid={`kit-group-counts-${group.id}`}>
                    {kitStates
                      .filter((state) => counts[state] > 0)
                      .map((state) => (
                        <span
                          key={state}
                          className={`sov-badge sov-badge--${state}`}
                          data-testid={`kit-group-${group.id}-${state}`}
                        >
                          {counts[state]} {state}
                        </span>
                      ))}
                  </span>
                </summary>
                <ul className="sov-phase-grid">
                  {group.items.map((component) => (
                    <li key={component.id}>
                      <KitCard component={component} now={now} onRetry={() => onRetry(component.id)} />
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
