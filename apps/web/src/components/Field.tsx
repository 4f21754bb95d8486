import { type ReactNode, useId } from 'react';

/** What binds a control to its Field: spread it on the input, select or textarea. */
export interface FieldControl {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
}

/** A live line under the control (an availability check): always rendered, so screen readers hear it change. */
export interface FieldStatus {
  message: string;
  tone: 'ok' | 'bad' | 'muted';
  testId?: string;
}

/**
 * One labelled form control: the label names it (`htmlFor`), the hint, status and error describe
 * it (`aria-describedby`), and an error marks it invalid. `children` renders the control with
 * `control` spread on it, so every form in the app gets the same wiring.
 */
export function Field({
  id: givenId,
  label,
  hint,
  status,
  error,
  invalid = false,
  errorAlert = true,
  compact = false,
  labelAfter = false,
  className,
  children,
}: {
  /** A stable id, for forms that move focus to a field by id; generated when absent. */
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  status?: FieldStatus;
  error?: string | null;
  /** Invalid without a message of its own (the status says why). */
  invalid?: boolean;
  /**
   * Announce the error as it appears (role="alert"). Off where the form moves focus to the first
   * invalid field and says so itself: the error is then read with the field, not twice.
   */
  errorAlert?: boolean;
  /** The wizard's denser look. */
  compact?: boolean;
  /** The label follows the control, as a checkbox's does. */
  labelAfter?: boolean;
  className?: string;
  children: (control: FieldControl) => ReactNode;
}) {
  const generated = useId();
  const id = givenId ?? generated;
  const hintId = hint ? `${id}-hint` : undefined;
  const statusId = status ? `${id}-status` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, statusId, errorId].filter(Boolean).join(' ') || undefined;
  // Two looks that share no rules (styles/forms.css): the app's forms and the wizard's denser fields.
  const classes = [compact ? 'field-compact' : 'field', className ?? ''].filter(Boolean).join(' ');
  const labelElement = <label htmlFor={id}>{label}</label>;
  return (
    <div className={classes}>
      {!labelAfter && labelElement}
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error || invalid ? true : undefined })}
      {labelAfter && labelElement}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {status && (
        <p
          id={statusId}
          className={`field__status field__status--${status.tone}`}
          role="status"
          data-testid={status.testId}
        >
          {status.message}
        </p>
      )}
      {error && (
        <p id={errorId} className="field__error" role={errorAlert ? 'alert' : undefined}>
          {error}
        </p>
      )}
    </div>
  );
}
