import type { RedeemPreview } from '@catalyst/contracts';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { Field } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import './redeem.css';
import { describeError } from '../../lib/forms';
import { isApiError } from '../../lib/http';
import { formatOmr } from '../../lib/money';
import { useMe } from '../auth/queries';
import { useRedeemPreview } from './queries';
import { RedeemForm } from './RedeemForm';

const route = getRouteApi('/redeem');

/** Where this page lives for `code`: the sign-in flow comes back here. */
export function redeemHref(code: string): string {
  return `/redeem/?code=${encodeURIComponent(code)}`;
}

/** /redeem/?code=…: what a voucher is worth, then sign up (or in) and redeem it into a new organisation. */
export function RedeemPage() {
  const { code } = route.useSearch();
  return (
    <section className="page page--narrow">
      <PageHeader eyebrow="Vouchers" title="Redeem a voucher">
        {code && (
          <p>
            Voucher code:{' '}
            <code className="voucher-code" data-testid="voucher-code">
              {code}
            </code>
          </p>
        )}
      </PageHeader>
      {code ? <Preview code={code} /> : <EnterCode />}
    </section>
  );
}

function Preview({ code }: { code: string }) {
  const preview = useRedeemPreview(code);

  if (preview.isPending) {
    return (
      <div className="card pending" role="status">
        <span className="spinner" aria-hidden="true" />
        <span>Checking the voucher…</span>
      </div>
    );
  }

  if (preview.isError) {
    const { error } = preview;
    if (isApiError(error) && error.status === 404) {
      return (
        <div className="card" data-testid="redeem-state">
          <h2 className="card__title">We could not find this voucher</h2>
          <p className="muted">
            There is no voucher <code>{code}</code>, or it was withdrawn. Check the link, or ask whoever sent
            it for a new one.
          </p>
          <EnterCode inline />
        </div>
      );
    }
    if (isApiError(error) && error.status === 410) return <NotAccepting />;
    return (
      <div className="card">
        <p className="alert alert--error" role="alert">
          Could not check the voucher: {describeError(error)}
        </p>
        <button type="button" className="button button--secondary" onClick={() => void preview.refetch()}>
          Try again
        </button>
      </div>
    );
  }

  if (!preview.data.acceptingRedemptions) return <NotAccepting preview={preview.data} />;
  return <ValidVoucher preview={preview.data} />;
}

function NotAccepting({ preview }: { preview?: RedeemPreview }) {
  return (
    <div className="card" data-testid="redeem-state">
      <h2 className="card__title">This voucher is no longer accepting redemptions</h2>
      <p className="muted">
        {preview ? `It was worth ${formatOmr(preview.creditBaisa)}, but it` : 'It'} has expired, been used up,
        or been switched off. Ask whoever sent it for a new one.
      </p>
    </div>
  );
}

function ValidVoucher({ preview }: { preview: RedeemPreview }) {
  const me = useMe();
  return (
    <div className="card voucher-card" data-testid="redeem-preview">
      <p className="voucher-card__label">Credit</p>
      <p className="voucher-card__amount" data-testid="voucher-credit">
        {formatOmr(preview.creditBaisa)}
      </p>
      {preview.description && <p className="voucher-card__description">{preview.description}</p>}
      <p className="muted">Redeem it to create your organisation; the credit goes to your wallet.</p>
      {me.isPending ? null : me.data ? (
        <RedeemForm preview={preview} />
      ) : (
        <div className="voucher-card__actions">
          <Link to="/login" search={{ redirect: redeemHref(preview.code) }} className="button button--block">
            Sign up to redeem
          </Link>
          <p className="field__hint">Already have an account? The same button signs you in.</p>
        </div>
      )}
    </div>
  );
}

function EnterCode({ inline = false }: { inline?: boolean }) {
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = value.trim().toUpperCase();
    if (code) void navigate({ to: '/redeem/', search: { code } });
  };
  const form = (
    <form className="form" onSubmit={submit}>
      <Field label="Voucher code">
        {(control) => (
          <input
            {...control}
            name="code"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            value={value}
            onChange={(event) => setValue(event.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="button" disabled={!value.trim()}>
        Check voucher
      </button>
    </form>
  );
  if (inline) return form;
  return (
    <div className="card">
      <p className="muted">Enter the code from your voucher e-mail, or open the link in it.</p>
      {form}
    </div>
  );
}
