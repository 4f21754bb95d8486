import { isDomainName, isSubdomainLabel, type RegistrarId } from '@catalyst/contracts';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { Field } from '../../components/Field';
import { useDebouncedValue } from '../../lib/useDebouncedValue';
import { isApiError } from './api';
import { StepTitle, useStepUpdate } from './fields';
import { OutboundMail } from './OutboundMail';
import {
  nameserversQueryOptions,
  usePoolDomains,
  useRegistrars,
  useSubdomainCheck,
  useValidateRegistrar,
} from './queries';
import { type DomainModeDraft, type SubdomainCheck, type SubdomainCheckState, useWizard } from './store';
import { fieldError, registrarCheckKey, resolvedFqdn } from './validation';

export const SUBDOMAIN_DEBOUNCE_MS = 400;

const modes: { id: DomainModeDraft; title: string; blurb: string }[] = [
  { id: 'pool', title: 'Catalyst pool domain', blurb: 'A name under a shared domain — recommended to start' },
  {
    id: 'byo-manual',
    title: 'My own domain, I change NS',
    blurb: 'Point the nameservers at Catalyst yourself',
  },
  {
    id: 'byo-api',
    title: 'My own domain, via registrar API',
    blurb: 'Catalyst changes the nameservers for you',
  },
];

export function StepDomain() {
  const { state } = useWizard();
  const set = useStepUpdate();
  const fqdn = resolvedFqdn(state);

  return (
    <div className="sov-step">
      <StepTitle title="Where will your Sovereign live in DNS?" />
      <div className="sov-topology-grid" role="radiogroup" aria-label="Domain mode">
        {modes.map((mode) => (
          <label
            key={mode.id}
            className={`sov-option-card ${state.domainMode === mode.id ? 'is-selected' : ''}`}
          >
            <input
              type="radio"
              name="domain-mode"
              data-testid={`domain-mode-${mode.id}`}
              checked={state.domainMode === mode.id}
              onChange={() => set((s) => ({ ...s, domainMode: mode.id }))}
            />
            <span className="sov-option-card__title">{mode.title}</span>
            <span className="muted">{mode.blurb}</span>
          </label>
        ))}
      </div>
      {state.domainMode === 'pool' && <PoolDomain />}
      {state.domainMode === 'byo-manual' && <ByoManual />}
      {state.domainMode === 'byo-api' && <ByoApi />}
      <p className="sov-domain-preview" data-testid="domain-preview">
        {fqdn ? (
          <>
            Your Sovereign: <strong>{fqdn}</strong>
          </>
        ) : (
          <span className="muted">Enter a name to see your Sovereign's address.</span>
        )}
      </p>
      <Field
        compact
        label="Sovereign admin e-mail"
        hint="The first administrator of the new Sovereign"
        error={fieldError(state, 5, 'adminEmail')}
      >
        {(control) => (
          <input
            {...control}
            type="email"
            data-testid="admin-email-input"
            autoComplete="email"
            value={state.adminEmail}
            onChange={(e) => set((s) => ({ ...s, adminEmail: e.target.value }))}
          />
        )}
      </Field>
      <OutboundMail />
    </div>
  );
}

const checkLabels: Record<SubdomainCheckState, string> = {
  checking: 'checking…',
  available: 'available',
  taken: 'taken',
  reserved: 'reserved',
  invalid: 'invalid',
  error: 'check failed',
};

function PoolDomain() {
  const { state } = useWizard();
  const set = useStepUpdate();
  const pools = usePoolDomains();
  const list = pools.data ?? null;
  const pool = state.poolDomain.trim().toLowerCase();
  const sub = state.subdomain;
  const formatOk = isSubdomainLabel(sub);
  const poolOk = isDomainName(pool);
  const key = `${sub}.${pool}`;
  const debouncedKey = useDebouncedValue(key, SUBDOMAIN_DEBOUNCE_MS);
  const settled = debouncedKey === key;
  const query = useSubdomainCheck(pool, sub, settled && formatOk && poolOk);

  // Default to the first pool domain the api offers.
  const firstPool = list?.[0];
  useEffect(() => {
    if (firstPool && !state.poolDomain) set((s) => ({ ...s, poolDomain: firstPool }));
  }, [firstPool, state.poolDomain, set]);

  const record = useCallback(
    (check: SubdomainCheck) =>
      set((s) =>
        s.subdomainCheck?.fqdn === check.fqdn &&
        s.subdomainCheck.state === check.state &&
        s.subdomainCheck.message === check.message
          ? s
          : { ...s, subdomainCheck: check },
      ),
    [set],
  );

  // Record the answer (with the name it is for) so that the step knows the name is free.
  const answer = settled && formatOk && poolOk ? query.data : undefined;
  const failed = settled && formatOk && poolOk && query.isError;
  const failedMessage = isApiError(query.error) ? query.error.message : 'The name could not be checked.';
  useEffect(() => {
    if (answer) {
      const result: SubdomainCheckState = answer.available
        ? 'available'
        : answer.reason === 'taken'
          ? 'taken'
          : answer.reason === 'reserved'
            ? 'reserved'
            : 'invalid';
      record({ fqdn: key, state: result, message: answer.message });
    } else if (failed) {
      record({ fqdn: key, state: 'error', message: failedMessage });
    }
  }, [answer, failed, failedMessage, key, record]);

  let status: SubdomainCheckState | null = null;
  if (sub && !formatOk) status = 'invalid';
  else if (sub && poolOk) {
    const recorded = state.subdomainCheck?.fqdn === key ? state.subdomainCheck : null;
    status = !settled || query.isFetching || !recorded ? 'checking' : recorded.state;
  }
  const recordedMessage = state.subdomainCheck?.fqdn === key ? state.subdomainCheck.message : undefined;
  const statusMessage =
    status === 'invalid' && !formatOk
      ? 'Use lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen (at most 63).'
      : status && status !== 'checking' && status !== 'available'
        ? recordedMessage
        : undefined;

  return (
    <div className="sov-grid-2">
      {list && list.length > 0 ? (
        <Field compact label="Pool domain" error={fieldError(state, 5, 'domain.poolDomain')}>
          {(control) => (
            <select
              {...control}
              data-testid="pool-domain-select"
              value={state.poolDomain}
              onChange={(e) => set((s) => ({ ...s, poolDomain: e.target.value }))}
            >
              {!list.includes(state.poolDomain) && <option value="">Choose…</option>}
              {list.map((domain) => (
                <option key={domain} value={domain}>
                  {domain}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <Field
          compact
          label="Pool domain"
          hint={pools.isPending ? 'Loading the pool domains…' : 'The shared domain your operator offers'}
          error={fieldError(state, 5, 'domain.poolDomain')}
        >
          {(control) => (
            <input
              {...control}
              data-testid="pool-domain-input"
              value={state.poolDomain}
              onChange={(e) => set((s) => ({ ...s, poolDomain: e.target.value.trim().toLowerCase() }))}
            />
          )}
        </Field>
      )}
      <Field compact label="Subdomain" error={fieldError(state, 5, 'domain.subdomain')}>
        {(control) => (
          <div className="sov-subdomain">
            <input
              {...control}
              data-testid="pool-subdomain-input"
              value={state.subdomain}
              maxLength={63}
              onChange={(e) =>
                set((s) => ({ ...s, subdomain: e.target.value.toLowerCase().replace(/\s+/g, '') }))
              }
            />
            {status && (
              <span
                className={`sov-availability sov-availability--${status}`}
                data-testid="subdomain-status"
                data-status={status}
                role="status"
              >
                {checkLabels[status]}
              </span>
            )}
          </div>
        )}
      </Field>
      {statusMessage && <p className="sov-field__hint">{statusMessage}</p>}
    </div>
  );
}

function CopyButton({ text, testId }: { text: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button button--secondary button--small"
      data-testid={testId}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

/** Catalyst's nameservers, as the api is configured. */
function useNameservers(): string[] {
  return useQuery(nameserversQueryOptions).data ?? [];
}

function ByoManual() {
  const { state } = useWizard();
  const set = useStepUpdate();
  const nameservers = useNameservers();
  return (
    <div className="sov-subsection">
      <Field
        compact
        label="Your domain"
        hint="e.g. cloud.example.com"
        error={fieldError(state, 5, 'domain.domain')}
      >
        {(control) => (
          <input
            {...control}
            data-testid="byo-domain-input"
            value={state.byoDomain}
            onChange={(e) => set((s) => ({ ...s, byoDomain: e.target.value.trim().toLowerCase() }))}
          />
        )}
      </Field>
      <div className="alert alert--info" data-testid="byo-ns-instructions">
        <p>At your registrar, set the domain's nameservers (NS records) to:</p>
        {nameservers.length > 0 ? (
          <ul className="sov-ns-list">
            {nameservers.map((ns, i) => (
              <li key={ns}>
                <code>{ns}</code> <CopyButton text={ns} testId={`byo-ns-copy-${i}`} />
              </li>
            ))}
          </ul>
        ) : (
          <p>Catalyst's nameservers — ask your Catalyst operator for them.</p>
        )}
        <p className="muted">
          Provisioning waits for the delegation; changes can take up to 48 hours to spread.
        </p>
      </div>
    </div>
  );
}

function ByoApi() {
  const { state } = useWizard();
  const set = useStepUpdate();
  const registrars = useRegistrars();
  const validate = useValidateRegistrar();
  const [shown, setShown] = useState<Record<string, boolean>>({});
  const info = registrars.data?.find((r) => r.id === state.registrar);
  const key = registrarCheckKey(state);
  const check = state.registrarCheck?.key === key ? state.registrarCheck : null;
  const domainOk = isDomainName(state.byoDomain.trim().toLowerCase());
  const missing = info?.credentialFields.some(
    (f) => !f.optional && !state.registrarCredentials[f.name]?.trim(),
  );

  const runValidate = () => {
    if (!info) return;
    const checkKey = key;
    validate.mutate(
      {
        registrar: info.id,
        domain: state.byoDomain.trim().toLowerCase(),
        credentials: state.registrarCredentials,
      },
      {
        onSuccess: (answer) =>
          set((s) => ({
            ...s,
            registrarCheck: { key: checkKey, status: answer.status, message: answer.message },
          })),
        onError: (error) =>
          set((s) => ({
            ...s,
            registrarCheck: {
              key: checkKey,
              status: 'error',
              message: isApiError(error) ? error.message : 'The registrar could not be checked.',
            },
          })),
      },
    );
  };

  return (
    <div className="sov-subsection">
      <div className="sov-grid-2">
        <Field
          compact
          label="Your domain"
          hint="e.g. cloud.example.com"
          error={fieldError(state, 5, 'domain.domain')}
        >
          {(control) => (
            <input
              {...control}
              data-testid="byo-api-domain-input"
              value={state.byoDomain}
              onChange={(e) => set((s) => ({ ...s, byoDomain: e.target.value.trim().toLowerCase() }))}
            />
          )}
        </Field>
        <Field compact label="Registrar" error={fieldError(state, 5, 'domain.registrar')}>
          {(control) => (
            <select
              {...control}
              data-testid="byo-api-registrar-select"
              value={state.registrar}
              onChange={(e) =>
                set((s) => ({
                  ...s,
                  registrar: e.target.value as RegistrarId | '',
                  registrarCredentials: {},
                }))
              }
            >
              <option value="">{registrars.isPending ? 'Loading…' : 'Choose…'}</option>
              {registrars.data?.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {registrars.isError && (
        <p className="sov-field__error" role="alert">
          The registrar list could not be loaded.
        </p>
      )}
      {info && (
        <div className="sov-grid-2">
          {info.credentialFields.map((field) => (
            <Field
              compact
              key={field.name}
              label={`${field.label}${field.optional ? ' (optional)' : ''}`}
              hint={field.hint}
              error={fieldError(state, 5, `domain.credentials.${field.name}`)}
            >
              {(control) => (
                <div className="sov-secret">
                  <input
                    {...control}
                    data-testid={`byo-api-cred-${field.name}`}
                    type={field.secret && !shown[field.name] ? 'password' : 'text'}
                    autoComplete="off"
                    spellCheck={false}
                    value={state.registrarCredentials[field.name] ?? ''}
                    onChange={(e) =>
                      set((s) => ({
                        ...s,
                        registrarCredentials: { ...s.registrarCredentials, [field.name]: e.target.value },
                      }))
                    }
                  />
                  {field.secret && (
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      data-testid={`byo-api-cred-toggle-${field.name}`}
                      aria-pressed={Boolean(shown[field.name])}
                      onClick={() => setShown((v) => ({ ...v, [field.name]: !v[field.name] }))}
                    >
                      {shown[field.name] ? 'Hide' : 'Show'}
                    </button>
                  )}
                </div>
              )}
            </Field>
          ))}
        </div>
      )}
      <div>
        <button
          type="button"
          className="button button--secondary"
          data-testid="byo-api-validate-button"
          disabled={!info || !domainOk || missing || validate.isPending}
          onClick={runValidate}
        >
          {validate.isPending ? 'Validating…' : 'Validate'}
        </button>
      </div>
      {check &&
        (check.status === 'valid' ? (
          <p className="sov-status sov-status--ok" data-testid="byo-api-validated-banner" role="status">
            {check.message}
          </p>
        ) : (
          <p className="sov-status sov-status--bad" data-testid="byo-api-error" role="alert">
            {check.message}
          </p>
        ))}
      {fieldError(state, 5, 'domain.credentials') && !check && (
        <p className="sov-field__error" role="alert">
          {fieldError(state, 5, 'domain.credentials')}
        </p>
      )}
      {info && <p className="muted">{info.propagationHint}</p>}
    </div>
  );
}
