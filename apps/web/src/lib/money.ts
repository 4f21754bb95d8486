import { omr } from '@catalyst/contracts';

/** 1 OMR = 1000 baisa. Money travels as integer baisa and is shown with three decimals. */
export const BAISA_PER_OMR = 1000;

/** `100000` → `100.000 OMR`. */
export function formatOmr(baisa: number): string {
  return `${omr(baisa)} OMR`;
}

export type OmrParse = { ok: true; baisa: number } | { ok: false; message: string };

/**
 * Reads an amount typed in OMR (`100`, `2.5`, `0.250`, `1,000.5`) as integer baisa, without
 * floating-point arithmetic: at most three decimals, since a baisa is the smallest unit.
 */
export function parseOmr(input: string): OmrParse {
  let value = input.trim().replace(/\s/g, '');
  if (value === '') return { ok: false, message: 'Enter an amount in OMR' };
  // Commas only as thousands separators (`1,000.5`): `2,5` is ambiguous, so ask for a dot.
  if (value.includes(',')) {
    if (!/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(value)) {
      return { ok: false, message: 'Use a dot for decimals, such as 2.500' };
    }
    value = value.replace(/,/g, '');
  }
  const match = /^(\d*)(?:\.(\d*))?$/.exec(value);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) {
    return { ok: false, message: 'Enter an amount in OMR, such as 100 or 2.500' };
  }
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (fraction.length > 3) return { ok: false, message: 'Use at most 3 decimals (1 baisa = 0.001 OMR)' };
  if (whole.replace(/^0+/, '').length > 9) return { ok: false, message: 'That amount is too large' };
  const baisa = Number(whole || '0') * BAISA_PER_OMR + Number(fraction.padEnd(3, '0'));
  return { ok: true, baisa };
}
