import { StepTitle, useStepUpdate } from './fields';
import { nextRegion, useWizard } from './store';
import { fieldError } from './validation';

export const MAX_REGIONS = 5;

export function StepTopology() {
  const { state } = useWizard();
  const set = useStepUpdate();
  const count = state.regions.length;
  const setCount = (n: number) =>
    set((s) => {
      const regions = s.regions.slice(0, n);
      while (regions.length < n) regions.push(nextRegion(regions));
      return { ...s, regions };
    });
  const error = fieldError(state, 1, 'topology.regions');

  return (
    <div className="sov-step">
      <StepTitle title="Choose your infrastructure topology">
        One region to start, or several for resilience. Each region gets its own cluster.
      </StepTitle>
      <fieldset className="sov-fieldset">
        <legend>Regions</legend>
        <div className="sov-topology-grid" role="radiogroup" aria-label="Number of regions">
          {Array.from({ length: MAX_REGIONS }, (_, i) => i + 1).map((n) => (
            <label key={n} className={`sov-option-card ${count === n ? 'is-selected' : ''}`}>
              <input
                type="radio"
                name="region-count"
                data-testid={`topology-regions-${n}`}
                checked={count === n}
                onChange={() => setCount(n)}
              />
              <span className="sov-option-card__title">{n === 1 ? 'Single region' : `${n} regions`}</span>
              <span className="muted">
                {n === 1 ? 'Development, proof of concept or a small start' : `${n} clusters in ${n} regions`}
              </span>
            </label>
          ))}
        </div>
        {error && (
          <p className="sov-field__error" role="alert">
            {error}
          </p>
        )}
      </fieldset>
      <label className="sov-toggle">
        <input
          type="checkbox"
          data-testid="topology-ha"
          checked={state.haEnabled}
          onChange={(e) => set((s) => ({ ...s, haEnabled: e.target.checked }))}
        />
        <span>
          <strong>High availability</strong>
          <span className="muted">
            {' '}
            — run the control plane redundantly so one failed node does not stop it
          </span>
        </span>
      </label>
    </div>
  );
}
