import { Field } from '../../components/Field';
import { StepTitle, useStepUpdate } from './fields';
import { useWizard, type WizardState } from './store';
import { fieldError } from './validation';

export const industries = [
  'Financial Services',
  'Banking',
  'Insurance',
  'Healthcare',
  'Telecommunications',
  'Energy & Utilities',
  'Retail',
  'Manufacturing',
  'Government',
  'Technology',
  'Other',
];
export const orgSizes = ['Under 100', '100–500', '500–2,000', '2,000–10,000', '10,000+'];
export const complianceOptions = [
  'PCI DSS',
  'ISO 27001',
  'SOC 2',
  'GDPR',
  'HIPAA',
  'DORA',
  'NIS2',
  'FedRAMP',
];

export function StepOrganisation() {
  const { state } = useWizard();
  const set = useStepUpdate();
  const org = state.org;
  const setOrg = (patch: Partial<WizardState['org']>) => set((s) => ({ ...s, org: { ...s.org, ...patch } }));
  const err = (field: string) => fieldError(state, 0, `org.${field}`);

  return (
    <div className="sov-step">
      <StepTitle title="Tell us about your organisation">
        Catalyst uses this to name the Sovereign and its owner.
      </StepTitle>
      <div className="sov-grid-2">
        <Field compact label="Organisation name" error={err('name')}>
          {(control) => (
            <input
              {...control}
              data-testid="org-name"
              value={org.name}
              maxLength={100}
              onChange={(e) => setOrg({ name: e.target.value })}
            />
          )}
        </Field>
        <Field
          compact
          label="Headquarters"
          hint="City and country, e.g. Frankfurt, Germany"
          error={err('headquarters')}
        >
          {(control) => (
            <input
              {...control}
              data-testid="org-headquarters"
              value={org.headquarters}
              maxLength={120}
              onChange={(e) => setOrg({ headquarters: e.target.value })}
            />
          )}
        </Field>
        <Field compact label="Industry" error={err('industry')}>
          {(control) => (
            <select
              {...control}
              data-testid="org-industry"
              value={org.industry}
              onChange={(e) => setOrg({ industry: e.target.value })}
            >
              <option value="">Choose…</option>
              {industries.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          )}
        </Field>
        <Field compact label="Organisation size" error={err('size')}>
          {(control) => (
            <select
              {...control}
              data-testid="org-size"
              value={org.size}
              onChange={(e) => setOrg({ size: e.target.value })}
            >
              <option value="">Choose…</option>
              {orgSizes.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset className="sov-fieldset">
        <legend>Compliance</legend>
        <div className="sov-chips">
          {complianceOptions.map((name) => {
            const on = org.compliance.includes(name);
            return (
              <button
                key={name}
                type="button"
                className="sov-chip"
                aria-pressed={on}
                onClick={() =>
                  setOrg({
                    compliance: on ? org.compliance.filter((c) => c !== name) : [...org.compliance, name],
                  })
                }
              >
                {name}
              </button>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
