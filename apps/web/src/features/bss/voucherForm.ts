import { type IssueVoucher, issueVoucherSchema, type Voucher } from '@catalyst/contracts';
import { type FieldErrors, fieldErrorsFromIssues } from '../../lib/forms';
import { parseOmr } from '../../lib/money';

/** What the issue form holds: strings as typed. Errors are keyed by the request field they feed. */
export interface VoucherFormValues {
  code: string;
  /** OMR, decimal (`100`, `2.500`). */
  credit: string;
  description: string;
  /** Whole number; 0 = unlimited. */
  maxRedemptions: string;
  /** `YYYY-MM-DD` from the date input, or empty for no expiry. */
  expires: string;
  recipientEmail: string;
  active: boolean;
}

export const emptyVoucherForm: VoucherFormValues = {
  code: '',
  credit: '',
  description: '',
  maxRedemptions: '1',
  expires: '',
  recipientEmail: '',
  active: true,
};

export type VoucherFormResult = { ok: true; input: IssueVoucher } | { ok: false; errors: FieldErrors };

/** The end of `date` (YYYY-MM-DD) in the browser's time zone, as an ISO timestamp. */
export function endOfLocalDay(date: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const end = new Date(year, month - 1, day, 23, 59, 59, 999);
  if (end.getFullYear() !== year || end.getMonth() !== month - 1 || end.getDate() !== day) return null;
  return end.toISOString();
}

/**
 * Turns the form into the issue request: OMR to integer baisa, the date to the end of that day,
 * blanks left out; then checks it with the shared schema, so the page shows the same messages
 * the api would send.
 */
export function toIssueVoucher(values: VoucherFormValues, now: Date = new Date()): VoucherFormResult {
  const errors: FieldErrors = {};

  const credit = parseOmr(values.credit);
  if (!credit.ok) errors.creditBaisa = credit.message;

  const max = values.maxRedemptions.trim();
  let maxRedemptions = 0;
  if (max !== '') {
    if (/^\d+$/.test(max)) maxRedemptions = Number(max);
    else errors.maxRedemptions = 'Enter a whole number (0 = unlimited)';
  }

  let expiresAt: string | undefined;
  if (values.expires.trim() !== '') {
    const end = endOfLocalDay(values.expires.trim());
    if (!end) errors.expiresAt = 'Enter a date';
    else if (Date.parse(end) <= now.getTime()) errors.expiresAt = 'Pick today or a later date';
    else expiresAt = end;
  }

  const recipientEmail = values.recipientEmail.trim();
  const parsed = issueVoucherSchema.safeParse({
    code: values.code,
    creditBaisa: credit.ok ? credit.baisa : 1,
    description: values.description,
    active: values.active,
    maxRedemptions,
    ...(expiresAt ? { expiresAt } : {}),
    ...(recipientEmail ? { recipientEmail } : {}),
  });
  // Our own messages first: they speak of OMR and dates, not baisa and timestamps.
  const all = { ...(parsed.success ? {} : fieldErrorsFromIssues(parsed.error.issues)), ...errors };
  if (!parsed.success || Object.keys(all).length > 0) return { ok: false, errors: all };
  return { ok: true, input: parsed.data };
}

export type VoucherStatus = 'Active' | 'Inactive' | 'Expired' | 'Exhausted';

export function voucherStatus(voucher: Voucher, now: Date = new Date()): VoucherStatus {
  if (!voucher.active) return 'Inactive';
  if (voucher.expiresAt && Date.parse(voucher.expiresAt) <= now.getTime()) return 'Expired';
  if (voucher.maxRedemptions > 0 && voucher.timesRedeemed >= voucher.maxRedemptions) return 'Exhausted';
  return 'Active';
}

/** `1/1`, `3/∞` (0 = unlimited). */
export function redemptions(voucher: Voucher): string {
  return `${voucher.timesRedeemed}/${voucher.maxRedemptions > 0 ? voucher.maxRedemptions : '∞'}`;
}
