import { checkoutRequestSchema, type RedeemPreview } from '@catalyst/contracts';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Field } from '../../components/Field';
import { describeError, type FieldErrors, fieldErrorsFromApi, fieldErrorsFromIssues } from '../../lib/forms';
import { isApiError } from '../../lib/http';
import { newIdempotencyKey } from '../../lib/ids';
import { useDebouncedValue } from '../../lib/useDebouncedValue';
import { useOrgs } from '../marketplace/queries';
import { REDEEM_PLAN_ID } from './api';
import { useCheckout, usePoolDomains, useSlugCheck } from './queries';
import { checkSlugFormat, poolDomainOf, slugify } from './slug';

/** How long typing has to pause before the subdomain is checked. */
export const SLUG_CHECK_DELAY_MS = 300;

const VOUCHER_PROBLEMS: Record<string, string> = {
  voucher_already_redeemed: 'You have already redeemed this voucher.',
};

/** Signed in: name the organisation, pick its subdomain (and parent domain), and redeem the voucher into it. */
export function RedeemForm({ preview }: { preview: RedeemPreview }) {
  const navigate = useNavigate();
  const checkout = useCheckout();
  const orgs = useOrgs();
  const [orgName, setOrgName] = useState('');
  const [slugInput, setSlugInput] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [poolChoice, setPoolChoice] = useState<string | undefined>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const attempt = useRef<{ payload: string; key: string } | null>(null);
  const ids = useId();

  const slug = slugEdited ? slugInput : slugify(orgName);
  const format = slug ? checkSlugFormat(slug) : null;
  const debouncedSlug = useDebouncedValue(format?.ok ? format.slug : undefined, SLUG_CHECK_DELAY_MS);
  const settled = format?.ok && debouncedSlug === format.slug;
  const check = useSlugCheck(settled ? debouncedSlug : undefined);

  // Where the organisation will live: the tenant pool of an organisation the user already has, or,
  // for a first organisation, the pool domain chosen from the api's list (its first by default).
  // The slug check does not say, and the address is never guessed.
  const knownOrg = orgs.data?.[0];
  const choosing = orgs.isSuccess && !knownOrg;
  const pools = usePoolDomains(choosing);
  const poolList = choosing ? (pools.data ?? []) : [];
  const chosenPool = poolChoice && poolList.includes(poolChoice) ? poolChoice : poolList[0];
  const poolDomain = knownOrg ? poolDomainOf(knownOrg.fqdn, knownOrg.slug) : (chosenPool ?? null);

  const slugError = errors.orgSlug ?? (slug && format && !format.ok ? format.message : undefined);
  const taken = settled && check.data?.available === false;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const parsed = checkoutRequestSchema.safeParse({
      planId: REDEEM_PLAN_ID,
      promoCode: preview.code,
      orgName,
      orgSlug: slug,
      ...(chosenPool ? { poolDomain: chosenPool } : {}),
    });
    if (!parsed.success) {
      const found = fieldErrorsFromIssues(parsed.error.issues);
      setErrors(found);
      document.getElementById(`${ids}-${found.orgName ? 'name' : 'slug'}`)?.focus();
      return;
    }
    if (taken) {
      setErrors({ orgSlug: 'That subdomain is taken. Pick another.' });
      document.getElementById(`${ids}-slug`)?.focus();
      return;
    }
    setErrors({});
    const input = parsed.data;
    const payload = JSON.stringify(input);
    // A retry of the very same request (say, after a lost answer) keeps its key, so it counts once.
    if (attempt.current?.payload !== payload) attempt.current = { payload, key: newIdempotencyKey() };
    checkout.mutate(
      { input, idempotencyKey: attempt.current.key },
      {
        onSuccess: (result) => {
          void navigate({ to: '/marketplace/', search: { org: result.org.slug } });
        },
        onError: (error) => {
          // An answer (not a lost request): the next try is a new request.
          if (isApiError(error) && error.status >= 400 && error.status < 500) attempt.current = null;
          if (isApiError(error, 'slug_taken')) {
            setErrors({ orgSlug: error.message || 'That subdomain is taken. Pick another.' });
            document.getElementById(`${ids}-slug`)?.focus();
            return;
          }
          const fields = fieldErrorsFromApi(error);
          if (fields.orgName || fields.orgSlug) {
            setErrors({
              ...(fields.orgName ? { orgName: fields.orgName } : {}),
              ...(fields.orgSlug ? { orgSlug: fields.orgSlug } : {}),
            });
            return;
          }
          setFormError(
            (isApiError(error) ? VOUCHER_PROBLEMS[error.code] : undefined) ?? describeError(error),
          );
        },
      },
    );
  };

  let availability: { tone: 'ok' | 'bad' | 'muted'; text: string } | null = null;
  if (format?.ok) {
    if (!settled || check.isFetching) availability = { tone: 'muted', text: 'Checking availability…' };
    else if (check.isError) availability = { tone: 'muted', text: 'Could not check availability just now.' };
    else if (check.data?.available) availability = { tone: 'ok', text: `${format.slug} is available` };
    else if (check.data)
      availability = {
        tone: 'bad',
        text: `${format.slug} is not available${check.data.reason ? `: ${check.data.reason}` : ''}`,
      };
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-busy={checkout.isPending}>
      <h2 className="card__title">Create your organisation</h2>
      <Field id={`${ids}-name`} label="Organisation name" error={errors.orgName} errorAlert={false}>
        {(control) => (
          <input
            {...control}
            name="orgName"
            autoComplete="organization"
            placeholder="Acme"
            value={orgName}
            onChange={(event) => setOrgName(event.target.value)}
          />
        )}
      </Field>
      <Field
        id={`${ids}-slug`}
        label="Subdomain"
        hint={
          <>
            Your address:{' '}
            <code data-testid="org-address-preview">
              {format?.ok ? format.slug : slug || 'your-org'}.
              {poolDomain ?? <span className="muted">(this sovereign's tenant domain)</span>}
            </code>
          </>
        }
        status={{
          message: availability?.text ?? '',
          tone: availability?.tone ?? 'muted',
          testId: 'slug-availability',
        }}
        error={slugError}
        invalid={taken}
        errorAlert={false}
      >
        {(control) => (
          <input
            {...control}
            name="orgSlug"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            placeholder="acme"
            value={slug}
            onChange={(event) => {
              setSlugEdited(true);
              setSlugInput(event.target.value.toLowerCase());
              setErrors(({ orgSlug: _, ...rest }) => rest);
            }}
          />
        )}
      </Field>
      {poolList.length > 1 && (
        <Field label="Domain" hint="What your organisation's address ends with.">
          {(control) => (
            <select
              {...control}
              name="poolDomain"
              value={chosenPool}
              onChange={(event) => setPoolChoice(event.target.value)}
            >
              {poolList.map((domain) => (
                <option key={domain} value={domain}>
                  {domain}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {formError && (
        <p className="alert alert--error" role="alert">
          {formError}
        </p>
      )}
      <button type="submit" className="button button--block" disabled={checkout.isPending || taken}>
        {checkout.isPending && <span className="spinner spinner--inline" aria-hidden="true" />}
        Redeem
      </button>
    </form>
  );
}
