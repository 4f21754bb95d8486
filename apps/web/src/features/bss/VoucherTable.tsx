import type { Voucher } from '@catalyst/contracts';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { copyText } from '../../lib/clipboard';
import { formatDate } from '../../lib/dates';
import { describeError } from '../../lib/forms';
import { isApiError } from '../../lib/http';
import { formatOmr } from '../../lib/money';
import { useRevokeVoucher, useVouchers } from './queries';
import { redemptions, voucherStatus } from './voucherForm';

/** Issued vouchers: how often each was redeemed, its state, its redeem link, and revoking it. */
export function VoucherTable() {
  const vouchers = useVouchers();
  const revoke = useRevokeVoucher();
  const [revoking, setRevoking] = useState<Voucher | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [copyFallback, setCopyFallback] = useState<Voucher | null>(null);

  const copyLink = async (voucher: Voucher) => {
    setCopyFallback(null);
    if (await copyText(voucher.redeemUrl)) {
      setCopied(voucher.code);
      setNotice(`Redeem link for ${voucher.code} copied.`);
    } else {
      setCopied(null);
      setCopyFallback(voucher);
    }
  };

  const closeRevoke = () => {
    setRevoking(null);
    setRevokeError(null);
  };

  const confirmRevoke = () => {
    if (!revoking) return;
    const { code } = revoking;
    setRevokeError(null);
    revoke.mutate(code, {
      onSuccess: () => {
        closeRevoke();
        setNotice(`Voucher ${code} revoked: it can no longer be redeemed.`);
      },
      onError: (error) => {
        if (isApiError(error) && error.status === 404) {
          closeRevoke();
          setNotice(`Voucher ${code} was already revoked.`);
        } else {
          setRevokeError(describeError(error));
        }
      },
    });
  };

  if (vouchers.isPending) {
    return (
      <p className="muted" role="status">
        Loading vouchers…
      </p>
    );
  }
  if (vouchers.isError) {
    return (
      <div className="alert alert--error" role="alert">
        Could not load the vouchers: {describeError(vouchers.error)}{' '}
        <button type="button" className="link-button" onClick={() => void vouchers.refetch()}>
          Try again
        </button>
      </div>
    );
  }

  return (
    <>
      <div aria-live="polite">
        {notice && (
          <p className="alert alert--info" role="status">
            {notice}
          </p>
        )}
      </div>
      {copyFallback && (
        <div className="alert alert--info">
          <label htmlFor="voucher-copy-fallback">
            Copying is not available here. Select the link for {copyFallback.code} and copy it:
          </label>
          <input
            id="voucher-copy-fallback"
            className="copy-fallback"
            readOnly
            value={copyFallback.redeemUrl}
            onFocus={(event) => event.currentTarget.select()}
          />
        </div>
      )}
      <DataTable
        label="Vouchers"
        rows={vouchers.data}
        rowKey={(voucher) => voucher.code}
        rowTestId={(voucher) => `voucher-row-${voucher.code}`}
        empty="No vouchers yet. Issue the first one above."
        columns={[
          {
            header: 'Code',
            cell: (voucher) => (
              <>
                <code>{voucher.code}</code>
                {voucher.description && <div className="table__sub">{voucher.description}</div>}
              </>
            ),
          },
          { header: 'Credit', numeric: true, cell: (voucher) => formatOmr(voucher.creditBaisa) },
          { header: 'Redeemed', numeric: true, testId: 'voucher-redemptions', cell: redemptions },
          { header: 'Expires', cell: (voucher) => formatDate(voucher.expiresAt) },
          {
            header: 'Status',
            cell: (voucher) => {
              const status = voucherStatus(voucher);
              return (
                <span className={`badge badge--${status.toLowerCase()}`} data-testid="voucher-status">
                  {status}
                </span>
              );
            },
          },
          {
            header: <span className="visually-hidden">Actions</span>,
            className: 'table__actions',
            cell: (voucher) => (
              <>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => void copyLink(voucher)}
                  aria-label={`Copy redeem link for ${voucher.code}`}
                >
                  {copied === voucher.code ? 'Copied' : 'Copy link'}
                </button>
                <button
                  type="button"
                  className="button button--danger-outline button--small"
                  onClick={() => setRevoking(voucher)}
                  aria-label={`Revoke ${voucher.code}`}
                >
                  Revoke
                </button>
              </>
            ),
          },
        ]}
      />
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke voucher ${revoking?.code ?? ''}?`}
        confirmLabel="Revoke voucher"
        danger
        busy={revoke.isPending}
        error={revokeError}
        onConfirm={confirmRevoke}
        onCancel={closeRevoke}
      >
        <p>Nobody can redeem it after this. Credit already granted with it stays with the tenants.</p>
      </ConfirmDialog>
    </>
  );
}
