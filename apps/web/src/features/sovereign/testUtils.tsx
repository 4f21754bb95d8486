import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { Wizard } from './SovereignPage';
import { initialWizardState, WizardProvider, type WizardState } from './store';

/** Renders the wizard (without the router) at a given state. */
export function renderWizard(patch: Partial<WizardState> = {}) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const initial = { ...initialWizardState(), ...patch };
  return render(
    <QueryClientProvider client={queryClient}>
      <WizardProvider initial={initial}>
        <Wizard />
      </WizardProvider>
    </QueryClientProvider>,
  );
}
