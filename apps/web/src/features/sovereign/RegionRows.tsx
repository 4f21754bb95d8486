import { findProvider } from '@catalyst/contracts';
import { KitGroups } from './KitGroups';
import type { RegionView, ResourceView } from './provisionModel';

/**
 * Every region of the run, one row each below the run's phases: the region's name, its three phases (its
 * cloud resources, its kubeconfig post-back, its bootstrap kit), its load balancer's address once known, and
 * its bootstrap kit grouped by family.
 */
export function RegionRows({
  regions,
  resources,
  now,
  onRetryComponent,
}: {
  regions: RegionView[];
  resources: ResourceView[];
  now: number;
  onRetryComponent: (id: string) => void;
}) {
  const many = regions.length > 1;
  return (
    <ul className="sov-regions" data-testid="region-rows">
      {regions.map((region, index) => {
        const own = resources.filter((r) => r.region === region.region);
        const built = own.filter((r) => r.status === 'complete').length;
        const failed = region.phases.filter((p) => p.error);
        return (
          <li key={region.region} className="sov-region" data-testid={`region-${region.region}`}>
            <div className="sov-region-row" data-testid={`region-row-${region.region}`}>
              <h2 className="sov-region-title">{region.label}</h2>
              <span className="muted sov-small">
                {findProvider(region.provider)?.name ?? region.provider}
                {many && index === 0 ? ' · primary' : ''}
              </span>
              <ol className="sov-region-phases" aria-label={`Phases of ${region.label}`}>
                {region.phases.map((phase) => (
                  <li key={phase.name}>
                    <span className="sov-region-phase-name">{phase.name}</span>{' '}
                    <span
                      className={`sov-badge sov-badge--${phase.status}`}
                      data-testid={`region-phase-${region.region}-${phase.name}`}
                    >
                      {phase.status}
                    </span>
                    {phase.name === 'infrastructure' && own.length > 0 && (
                      <span className="muted sov-small" data-testid={`region-resources-${region.region}`}>
                        {' '}
                        {built} / {own.length} resources
                      </span>
                    )}
                  </li>
                ))}
              </ol>
              {region.loadBalancerIP && (
                <span className="sov-small">
                  Load balancer{' '}
                  <code data-testid={`region-lb-${region.region}`}>{region.loadBalancerIP}</code>
                </span>
              )}
            </div>
            {failed.map((phase) => (
              <p key={phase.name} className="sov-field__error" data-testid={`region-error-${region.region}`}>
                {region.label}, {phase.name}: {phase.error}
              </p>
            ))}
            {region.components.length > 0 && (
              <KitGroups
                title={many ? `Bootstrap kit in ${region.label}` : 'Bootstrap kit'}
                components={region.components}
                now={now}
                onRetry={onRetryComponent}
              />
            )}
          </li>
        );
      })}
    </ul>
  );
}
