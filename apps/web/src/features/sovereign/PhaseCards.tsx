import { componentIdOf, RELEASE_PREFIX } from '@catalyst/contracts';
import type { ReactNode } from 'react';
import { kitReleaseName } from './kitGroups';
import { type ComponentView, formatElapsed, type PhaseView } from './provisionModel';

function RetryButton({ name, onRetry }: { name: string; onRetry: () => void }) {
  return (
    <button type="button" className="button button--small" data-testid={`retry-${name}`} onClick={onRetry}>
      Retry
    </button>
  );
}

/** One phase of the run: its status, how long it took, its last line or error, and Retry once it failed. */
export function PhaseCard({
  phase,
  now,
  extra,
  onRetry,
}: {
  phase: PhaseView;
  now: number;
  extra: ReactNode;
  onRetry: () => void;
}) {
  return (
    <article className={`sov-phase-card is-${phase.status}`} data-testid={`phase-card-${phase.name}`}>
      <header>
        <h3>{phase.name}</h3>
        <span className={`sov-badge sov-badge--${phase.status}`} data-testid={`phase-status-${phase.name}`}>
          {phase.status}
        </span>
      </header>
      <p className="muted sov-small">{formatElapsed(phase.startedAt, phase.finishedAt, now)}</p>
      {extra}
      {phase.error ? (
        <p className="sov-field__error">{phase.error}</p>
      ) : (
        phase.lastLine && <p className="sov-last-line">{phase.lastLine}</p>
      )}
      {phase.status === 'failed' && <RetryButton name={phase.name} onRetry={onRetry} />}
    </article>
  );
}

/** The HelmRelease's name on the Sovereign (flux-system/bp-<id>). */
const releaseName = (id: string) => `${RELEASE_PREFIX}${componentIdOf(id)}`;

/** One bootstrap-kit component, as the watch reports it; Retry asks Flux to try a failed release again. */
export function KitCard({
  component,
  now,
  onRetry,
}: {
  component: ComponentView;
  now: number;
  onRetry: () => void;
}) {
  const done = component.state === 'installed' || component.state === 'failed';
  return (
    <article className={`sov-phase-card is-${component.state}`} data-testid={`kit-card-${component.id}`}>
      <header>
        <h3>{kitReleaseName(component.id)}</h3>
        <span className={`sov-badge sov-badge--${component.state}`}>{component.state}</span>
      </header>
      <p className="muted sov-small">
        {releaseName(component.id)}
        {component.since && !done && ` · ${formatElapsed(component.since, undefined, now)}`}
      </p>
      {component.message && <p className="sov-last-line">{component.message}</p>}
      {component.state === 'failed' && <RetryButton name={component.id} onRetry={onRetry} />}
    </article>
  );
}
