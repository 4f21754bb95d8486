import { type FormEvent, useId, useState } from 'react';
import { Field } from '../../components/Field';
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

  // The form focuses its first invalid field by id and says so in one alert: field errors are not announced too.
  const fieldProps = (field: (typeof FIELD_ORDER)[number]) => ({
    id: id(field),
    error: errors[field],
    errorAlert: false,
  });

  return (
    <form className="form form--grid" onSubmit={submit} noValidate aria-busy={issue.isPending}>
      <Field
        {...fieldProps('code')}
        label="Code"
        hint="Letters, digits and hyphens. Reusing a code updates that voucher."
      >
        {(control) => (
          <input
            {...control}
            name="code"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            placeholder="WELCOME-2025"
            value={values.code}
            onChange={(event) => set('code')(event.target.value.toUpperCase())}
          />
        )}
      </Field>

      <Field {...fieldProps('creditBaisa')} label="Credit (OMR)">
        {(control) => (
          <input
            {...control}
            name="credit"
            inputMode="decimal"
            autoComplete="off"
            placeholder="100.000"
            value={values.credit}
            onChange={(event) => set('credit')(event.target.value)}
          />
        )}
      </Field>

      <Field {...fieldProps('description')} className="field--wide" label="Description">
        {(control) => (
          <input
            {...control}
            name="description"
            autoComplete="off"
            placeholder="Welcome credit for new tenants"
            value={values.description}
            onChange={(event) => set('description')(event.target.value)}
          />
        )}
      </Field>

      <Field {...fieldProps('maxRedemptions')} label="Max redemptions" hint="0 = unlimited.">
        {(control) => (
          <input
            {...control}
            name="maxRedemptions"
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={values.maxRedemptions}
            onChange={(event) => set('maxRedemptions')(event.target.value)}
          />
        )}
      </Field>

      <Field
        {...fieldProps('expiresAt')}
        label="Expires (optional)"
        hint="Works until the end of that day, in your time zone."
      >
        {(control) => (
          <input
            {...control}
            name="expires"
            type="date"
            value={values.expires}
            onChange={(event) => set('expires')(event.target.value)}
          />
        )}
      </Field>

      <Field
        {...fieldProps('recipientEmail')}
        className="field--wide"
        label="Recipient e-mail (optional)"
        hint="We e-mail the voucher with its redeem link to this address."
      >
        {(control) => (
          <input
            {...control}
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
        )}
      </Field>

      <Field
        id={id('active')}
        className="field--wide field--checkbox"
        label="Active (can be redeemed)"
        labelAfter
      >
        {(control) => (
          <input
            {...control}
            name="active"
            type="checkbox"
            checked={values.active}
            onChange={(event) => set('active')(event.target.checked)}
          />
        )}
      </Field>

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
