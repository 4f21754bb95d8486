import { type ReactNode, useCallback } from 'react';
import { useWizard, type WizardState } from './store';
import { stepOfPath } from './validation';

/** Updates the wizard and drops the server's issues for the step being edited (they are stale now). */
export function useStepUpdate() {
  const { update } = useWizard();
  return useCallback(
    (fn: (s: WizardState) => WizardState) =>
      update((s) => {
        const next = fn(s);
        if (next === s) return s;
        const serverIssues = next.serverIssues.filter((i) => stepOfPath(i.path) !== s.step);
        return serverIssues.length === next.serverIssues.length ? next : { ...next, serverIssues };
      }),
    [update],
  );
}

export function StepTitle({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="sov-step-header">
      <h2 className="corp-step-title" tabIndex={-1}>
        {title}
      </h2>
      {children && <p className="muted">{children}</p>}
    </header>
  );
}

/** Formats euros: 4 decimals for hourly prices, 2 for monthly ones. */
export function euro(value: number, decimals = 2): string {
  return `€${value.toFixed(decimals)}`;
}
