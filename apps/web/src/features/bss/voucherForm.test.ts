import type { Voucher } from '@catalyst/contracts';
import { describe, expect, it } from 'vitest';
import { emptyVoucherForm, endOfLocalDay, redemptions, toIssueVoucher, voucherStatus } from './voucherForm';

const now = new Date(2030, 0, 15, 12, 0, 0);

const voucher = (overrides: Partial<Voucher> = {}): Voucher => ({
  code: 'WELCOME',
  creditBaisa: 100_000,
  creditOmr: '100.000',
  description: '',
  active: true,
  maxRedemptions: 1,
  timesRedeemed: 0,
  expiresAt: null,
  createdAt: '2030-01-01T00:00:00.000Z',
  redeemUrl: 'http://market.test/redeem/?code=WELCOME',
  ...overrides,
});

describe('toIssueVoucher', () => {
  it('converts OMR to integer baisa, normalises the code and leaves blanks out', () => {
    const result = toIssueVoucher(
      { ...emptyVoucherForm, code: ' welcome-e2e ', credit: '100', maxRedemptions: '1' },
      now,
    );
    expect(result).toEqual({
      ok: true,
      input: {
        code: 'WELCOME-E2E',
        creditBaisa: 100_000,
        description: '',
        active: true,
        maxRedemptions: 1,
      },
    });
  });

  it('sends the expiry as the end of that day and the recipient lower-cased', () => {
    const result = toIssueVoucher(
      {
        code: 'SPRING',
        credit: '2.5',
        description: ' Spring promotion ',
        maxRedemptions: '',
        expires: '2030-01-31',
        recipientEmail: ' Tenant@Example.COM ',
        active: false,
      },
      now,
    );
    expect(result).toEqual({
      ok: true,
      input: {
        code: 'SPRING',
        creditBaisa: 2_500,
        description: 'Spring promotion',
        active: false,
        maxRedemptions: 0,
        expiresAt: new Date(2030, 0, 31, 23, 59, 59, 999).toISOString(),
        recipientEmail: 'tenant@example.com',
      },
    });
  });

  it('reports every field problem at once, with the shared schema messages', () => {
    const result = toIssueVoucher(
      {
        code: 'no',
        credit: '0',
        description: 'x'.repeat(501),
        maxRedemptions: '1.5',
        expires: '2030-01-14',
        recipientEmail: 'not-mail',
        active: true,
      },
      now,
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? {} : result.errors).toEqual({
      code: 'Use 3–64 letters, digits and hyphens',
      creditBaisa: 'The credit must be more than 0',
      description: expect.any(String),
      maxRedemptions: 'Enter a whole number (0 = unlimited)',
      expiresAt: 'Pick today or a later date',
      recipientEmail: 'Enter a valid e-mail address',
    });
  });

  it('explains amounts it cannot read in OMR terms', () => {
    const result = toIssueVoucher({ ...emptyVoucherForm, code: 'ABC', credit: '1.2345' }, now);
    expect(result).toEqual({
      ok: false,
      errors: { creditBaisa: 'Use at most 3 decimals (1 baisa = 0.001 OMR)' },
    });
    expect(toIssueVoucher({ ...emptyVoucherForm, code: 'ABC', credit: '' }, now)).toEqual({
      ok: false,
      errors: { creditBaisa: 'Enter an amount in OMR' },
    });
  });

  it('accepts today as the expiry date', () => {
    const result = toIssueVoucher(
      { ...emptyVoucherForm, code: 'ABC', credit: '1', expires: '2030-01-15' },
      now,
    );
    expect(result.ok).toBe(true);
  });
});

describe('endOfLocalDay', () => {
  it('rejects dates that do not exist', () => {
    expect(endOfLocalDay('2030-02-30')).toBeNull();
    expect(endOfLocalDay('30/01/2030')).toBeNull();
  });
});

describe('voucherStatus and redemptions', () => {
  it.each([
    [voucher(), 'Active'],
    [voucher({ active: false }), 'Inactive'],
    [voucher({ expiresAt: '2030-01-01T00:00:00.000Z' }), 'Expired'],
    [voucher({ timesRedeemed: 1 }), 'Exhausted'],
    [voucher({ maxRedemptions: 0, timesRedeemed: 40 }), 'Active'],
  ])('%#: %s', (v, status) => {
    expect(voucherStatus(v, now)).toBe(status);
  });

  it('shows redeemed/max with ∞ for unlimited', () => {
    expect(redemptions(voucher({ timesRedeemed: 1 }))).toBe('1/1');
    expect(redemptions(voucher({ maxRedemptions: 0, timesRedeemed: 3 }))).toBe('3/∞');
  });
});
