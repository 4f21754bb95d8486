import type { ReactNode } from 'react';

/**
 * A form's closing lines: the problem that belongs to no single field (an alert), and the submit button, disabled
 * with a spinner while the request is pending.
 */
export function FormSubmit({
  problem,
  pending,
  children,
}: {
  problem: string | null;
  pending: boolean;
  children: ReactNode;
}) {
  return (
    <>
      {problem && (
        <p className="alert alert--error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="button" disabled={pending}>
        {pending && <span className="spinner spinner--inline" aria-hidden="true" />}
        {children}
      </button>
    </>
  );
}
