import { type FormEvent, useId, useState } from 'react';
import { FieldError } from '../../components/FieldError';
import { describeError, type FieldErrors, fieldErrorsFromApi } from '../../lib/forms';
import { formatOmr } from '../../lib/money';
import { useIssueVoucher } from './queries';
import { emptyVoucherForm, toIssueVoucher, type VoucherFormValues } from './voucherForm';

/** The order fields appear in: the first one with an error gets the focus. */
const FIELD_ORDER = [
  'code',
  'creditBaisa',
  'description',
  'maxRedemptions',
  'expiresAt',
  'recipientEmail',
] as const;

/** Issue a voucher (or update one by reusing its code), optionally e-mailing it to the recipient. */
export function VoucherForm() {
  const issue = useIssueVoucher();
  const [values, setValues] = useState<VoucherFormValues>(emptyVoucherForm);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const ids = useId();
  const id = (field: string) => `${ids}-${field}`;
  const errorId = (field: string) => `${ids}-${field}-error`;

  const set =
    <K extends keyof VoucherFormValues>(key: K) =>
    (value: VoucherFormValues[K]) =>
      setValues((current) => ({ ...current, [key]: value }));

  const focusFirstError = (found: FieldErrors) => {
    const first = FIELD_ORDER.find((field) => found[field]);
    if (first) document.getElementById(id(first))?.focus();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    setNotice(null);
    const result = toIssueVoucher(values);
    if (!result.ok) {
      setErrors(result.errors);
      focusFirstError(result.errors);
      return;
    }
    setErrors({});
    const { input } = result;
    issue.mutate(input, {
      onSuccess: ({ voucher, created }) => {
        const mailed = input.recipientEmail ? ` and e-mailed to ${input.recipientEmail}` : '';
        setNotice(
          `Voucher ${voucher.code} ${created ? 'issued' : 'updated'} (${formatOmr(voucher.creditBaisa)})${mailed}.`,
        );
        setValues(emptyVoucherForm);
      },
      onError: (error) => {
        const fromServer = fieldErrorsFromApi(error);
        const known = Object.fromEntries(
          Object.entries(fromServer).filter(([field]) => (FIELD_ORDER as readonly string[]).includes(field)),
        );
        setErrors(known);
        if (Object.keys(known).length > 0) {
          setFormError('Check the highlighted fields.');
          focusFirstError(known);
        } else {
          setFormError(describeError(error));
        }
      },
    });
  };

  const fieldProps = (field: (typeof FIELD_ORDER)[number], hint?: string) => {
    const described = [hint, errors[field] ? errorId(field) : undefined].filter(Boolean).join(' ');
    return {
      id: id(field),
      'aria-invalid': errors[field] ? true : undefined,
      'aria-describedby': described || undefined,
    };
  };

  return (
    <form className="form form--grid" onSubmit={submit} noValidate aria-busy={issue.isPending}>
      <div className="field">
        <label htmlFor={id('code')}>Code</label>
        <input
          {...fieldProps('code', `${ids}-code-hint`)}
          name="code"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="WELCOME-2025"
          value={values.code}
          onChange={(event) => set('code')(event.target.value.toUpperCase())}
        />
        <p id={`${ids}-code-hint`} className="field__hint">
          Letters, digits and hyphens. Reusing a code updates that voucher.
        </p>
        <FieldError id={errorId('code')} message={errors.code} />
      </div>

      <div className="field">
        <label htmlFor={id('creditBaisa')}>Credit (OMR)</label>
        <input
          {...fieldProps('creditBaisa')}
          name="credit"
          inputMode="decimal"
          autoComplete="off"
          placeholder="100.000"
          value={values.credit}
          onChange={(event) => set('credit')(event.target.value)}
        />
        <FieldError id={errorId('creditBaisa')} message={errors.creditBaisa} />
      </div>

      <div className="field field--wide">
        <label htmlFor={id('description')}>Description</label>
        <input
          {...fieldProps('description')}
          name="description"
          autoComplete="off"
          placeholder="Welcome credit for new tenants"
          value={values.description}
          onChange={(event) => set('description')(event.target.value)}
        />
        <FieldError id={errorId('description')} message={errors.description} />
      </div>

      <div className="field">
        <label htmlFor={id('maxRedemptions')}>Max redemptions</label>
        <input
          {...fieldProps('maxRedemptions', `${ids}-max-hint`)}
          name="maxRedemptions"
          type="number"
          min={0}
          step={1}
          inputMode="numeric"
          value={values.maxRedemptions}
          onChange={(event) => set('maxRedemptions')(event.target.value)}
        />
        <p id={`${ids}-max-hint`} className="field__hint">
          0 = unlimited.
        </p>
        <FieldError id={errorId('maxRedemptions')} message={errors.maxRedemptions} />
      </div>

      <div className="field">
        <label htmlFor={id('expiresAt')}>Expires (optional)</label>
        <input
          {...fieldProps('expiresAt', `${ids}-expires-hint`)}
          name="expires"
          type="date"
          value={values.expires}
          onChange={(event) => set('expires')(event.target.value)}
        />
        <p id={`${ids}-expires-hint`} className="field__hint">
          Works until the end of that day, in your time zone.
        </p>
        <FieldError id={errorId('expiresAt')} message={errors.expiresAt} />
      </div>

      <div className="field field--wide">
        <label htmlFor={id('recipientEmail')}>Recipient e-mail (optional)</label>
        <input
          {...fieldProps('recipientEmail', `${ids}-recipient-hint`)}
          name="recipientEmail"
          type="email"
          inputMode="email"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          placeholder="tenant@example.com"
          value={values.recipientEmail}
          onChange={(event) => set('recipientEmail')(event.target.value)}
        />
        <p id={`${ids}-recipient-hint`} className="field__hint">
          We e-mail the voucher with its redeem link to this address.
        </p>
        <FieldError id={errorId('recipientEmail')} message={errors.recipientEmail} />
      </div>

      <div className="field field--wide field--checkbox">
        <input
          id={id('active')}
          name="active"
          type="checkbox"
          checked={values.active}
          onChange={(event) => set('active')(event.target.checked)}
        />
        <label htmlFor={id('active')}>Active (can be redeemed)</label>
      </div>

      <div className="field--wide form__footer">
        <button type="submit" className="button" disabled={issue.isPending}>
          {issue.isPending && <span className="spinner spinner--inline" aria-hidden="true" />}
          Issue voucher
        </button>
        {formError && (
          <p className="alert alert--error form__message" role="alert">
            {formError}
          </p>
        )}
        {notice && (
          <p className="alert alert--success form__message" role="status">
            {notice}
          </p>
        )}
      </div>
    </form>
  );
}
