import { pinRequestSchema, pinVerifySchema } from '@catalyst/contracts';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Field } from '../../components/Field';
import './auth.css';
import { safeRedirect } from '../../lib/redirect';
import { describeAuthError } from './errors';
import { useRequestPin, useVerifyPin } from './queries';

const route = getRouteApi('/login');

type Step = { kind: 'email' } | { kind: 'code'; email: string };

/** Sign-in without a password: e-mail a 6-digit code, then exchange it for a session. */
export function LoginPage() {
  const search = route.useSearch();
  const navigate = useNavigate();
  const requestPin = useRequestPin();
  const verifyPin = useVerifyPin();

  const [step, setStep] = useState<Step>({ kind: 'email' });
  const [email, setEmail] = useState('');
  const [pin, setPin] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const emailRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);

  // Move focus to the field of the step being shown.
  useEffect(() => {
    (step.kind === 'email' ? emailRef : pinRef).current?.focus();
  }, [step.kind]);

  const clearMessages = () => {
    setFieldError(null);
    setServerError(null);
    setNotice(null);
  };

  const sendCode = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    clearMessages();
    const parsed = pinRequestSchema.safeParse({ email });
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message ?? 'Enter a valid e-mail address');
      emailRef.current?.focus();
      return;
    }
    const normalized = parsed.data.email;
    requestPin.mutate(normalized, {
      onSuccess: () => {
        setEmail(normalized);
        setPin('');
        setStep({ kind: 'code', email: normalized });
      },
      onError: (error) => setServerError(describeAuthError(error)),
    });
  };

  const signIn = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (step.kind !== 'code') return;
    clearMessages();
    const parsed = pinVerifySchema.safeParse({ email: step.email, pin });
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message ?? 'The code is 6 digits');
      pinRef.current?.focus();
      return;
    }
    verifyPin.mutate(parsed.data, {
      onSuccess: () => {
        void navigate({ href: safeRedirect(search.redirect), replace: true });
      },
      onError: (error) => {
        setServerError(describeAuthError(error));
        setPin('');
        pinRef.current?.focus();
      },
    });
  };

  const resendCode = () => {
    if (step.kind !== 'code') return;
    clearMessages();
    requestPin.mutate(step.email, {
      onSuccess: () => {
        setPin('');
        setNotice(`We sent a new code to ${step.email}. Earlier codes no longer work.`);
        pinRef.current?.focus();
      },
      onError: (error) => setServerError(describeAuthError(error)),
    });
  };

  const changeEmail = () => {
    clearMessages();
    setPin('');
    setStep({ kind: 'email' });
  };

  const busy = requestPin.isPending || verifyPin.isPending;

  return (
    <section className="page page--narrow">
      <div className="card auth-card">
        {step.kind === 'email' ? (
          <>
            <h1>Sign in to Catalyst</h1>
            <p className="muted">
              {search.redirect ? 'Sign in to continue. ' : ''}
              We will e-mail you a 6-digit code: no password needed.
            </p>
            {serverError && <ErrorAlert message={serverError} />}
            <form className="form" onSubmit={sendCode} noValidate aria-busy={busy || undefined}>
              <Field label="E-mail" error={fieldError}>
                {(control) => (
                  <input
                    ref={emailRef}
                    {...control}
                    name="email"
                    type="email"
                    inputMode="email"
                    autoComplete="email"
                    autoCapitalize="none"
                    spellCheck={false}
                    placeholder="you@example.com"
                    value={email}
                    onChange={(event) => setEmail(event.target.value)}
                    required
                  />
                )}
              </Field>
              <button type="submit" className="button button--block" disabled={busy}>
                {requestPin.isPending && <span className="spinner spinner--inline" aria-hidden="true" />}
                Send code
              </button>
            </form>
          </>
        ) : (
          <>
            <h1>Check your e-mail</h1>
            <p className="muted">
              We sent a 6-digit code to <strong className="auth-card__email">{step.email}</strong>
            </p>
            {serverError && <ErrorAlert message={serverError} />}
            {notice && (
              <p className="alert alert--info" role="status">
                {notice}
              </p>
            )}
            <form className="form" onSubmit={signIn} noValidate aria-busy={busy || undefined}>
              <Field label="Sign-in code" hint="The code is valid for a few minutes." error={fieldError}>
                {(control) => (
                  <input
                    ref={pinRef}
                    {...control}
                    name="pin"
                    className="pin-input"
                    type="text"
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    pattern="[0-9]*"
                    maxLength={6}
                    placeholder="000000"
                    value={pin}
                    onChange={(event) => setPin(event.target.value.replace(/\D/g, '').slice(0, 6))}
                    required
                  />
                )}
              </Field>
              <button type="submit" className="button button--block" disabled={busy}>
                {verifyPin.isPending && <span className="spinner spinner--inline" aria-hidden="true" />}
                Sign in
              </button>
            </form>
            <div className="auth-card__actions">
              <button type="button" className="link-button" onClick={changeEmail} disabled={busy}>
                Use a different e-mail
              </button>
              <button type="button" className="link-button" onClick={resendCode} disabled={busy}>
                Send a new code
              </button>
            </div>
          </>
        )}
      </div>
    </section>
  );
}

function ErrorAlert({ message }: { message: string }) {
  return (
    <div className="alert alert--error" role="alert">
      {message}
    </div>
  );
}
