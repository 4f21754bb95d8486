import { type ReactNode, useEffect, useRef } from 'react';
import { PageHeader } from '../../components/PageHeader';
import './sovereign.css';
import { StepComponents } from './StepComponents';
import { StepCredentials } from './StepCredentials';
import { StepDomain } from './StepDomain';
import { StepOrganisation } from './StepOrganisation';
import { StepProvider } from './StepProvider';
import { StepReview } from './StepReview';
import { StepTopology } from './StepTopology';
import { STEP_COUNT, useWizard, WizardProvider, wizardSteps } from './store';
import { firstInvalidBefore, isStepValid } from './validation';

export { wizardSteps } from './store';

const stepViews: Record<number, () => ReactNode> = {
  0: () => <StepOrganisation />,
  1: () => <StepTopology />,
  2: () => <StepProvider />,
  3: () => <StepCredentials />,
  4: () => <StepComponents />,
  5: () => <StepDomain />,
  6: () => <StepReview />,
};

export function SovereignPage() {
  return (
    <WizardProvider>
      <Wizard />
    </WizardProvider>
  );
}

export function Wizard() {
  const { state, update } = useWizard();
  const step = state.step;
  const goTo = (target: number) =>
    update((s) => ({ ...s, step: Math.max(0, Math.min(STEP_COUNT - 1, target)) }));
  const next = () =>
    update((s) => {
      if (!isStepValid(s, s.step)) {
        return { ...s, attempted: [...new Set([...s.attempted, s.step])] };
      }
      return { ...s, step: Math.min(STEP_COUNT - 1, s.step + 1) };
    });
  const reachable = (target: number) => target <= step || firstInvalidBefore(state, target) === -1;
  const current = wizardSteps[step] ?? wizardSteps[0];
  const percent = Math.round(((step + 1) / STEP_COUNT) * 100);
  const view = stepViews[step]?.();
  const bodyRef = useRef<HTMLDivElement>(null);
  const firstRender = useRef(true);
  // Moving between steps puts focus on the new step's title (not on first load).
  useEffect(() => {
    void step;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    bodyRef.current?.querySelector<HTMLElement>('.corp-step-title')?.focus();
  }, [step]);

  return (
    <section className="page sov-wizard">
      <PageHeader eyebrow="Sovereign" title="Provision a Sovereign" />
      <nav aria-label="Wizard steps" data-testid="wizard-stepper">
        <ol className="sov-stepper-list">
          {wizardSteps.map((item, index) => (
            <li key={item.label}>
              <button
                type="button"
                className="sov-stepper-button"
                data-testid={`wizard-step-${index + 1}`}
                aria-current={index === step ? 'step' : undefined}
                disabled={!reachable(index)}
                data-done={index < step && isStepValid(state, index) ? 'true' : undefined}
                onClick={() => goTo(index)}
              >
                <span className="sov-stepper-number" aria-hidden="true">
                  {index + 1}
                </span>
                <span className="sov-stepper-label">{item.label}</span>
              </button>
            </li>
          ))}
        </ol>
        <p className="sov-stepper-compact" data-testid="wizard-stepper-compact">
          Step {step + 1} of {STEP_COUNT}
        </p>
      </nav>
      <div className="sov-wizard-body card" ref={bodyRef}>
        {view ?? <p className="muted">This step is on its way.</p>}
      </div>
      <footer className="sov-wizard-footer">
        <p className="muted" data-testid="wizard-progress">
          Step {step + 1} of {STEP_COUNT} · {current.label} {percent}%
        </p>
        <div className="sov-wizard-actions">
          <button
            type="button"
            className="button button--secondary"
            data-testid="wizard-back"
            disabled={step === 0}
            onClick={() => goTo(step - 1)}
          >
            ← Back
          </button>
          {step < STEP_COUNT - 1 && (
            <button type="button" className="button" data-testid="wizard-next" onClick={next}>
              Continue →
            </button>
          )}
        </div>
      </footer>
    </section>
  );
}
