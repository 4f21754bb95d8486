import { describe, expect, it } from 'vitest';
import { formatOmr, parseOmr } from './money';

describe('parseOmr', () => {
  it.each([
    ['100', 100_000],
    ['100.000', 100_000],
    ['2.5', 2_500],
    ['0.25', 250],
    ['.5', 500],
    ['7.', 7_000],
    ['0.001', 1],
    [' 1,000.5 ', 1_000_500],
    ['0.1', 100],
    ['1.005', 1_005],
  ])('reads %s OMR as %i baisa', (input, baisa) => {
    expect(parseOmr(input)).toEqual({ ok: true, baisa });
  });

  it.each([
    ['', 'Enter an amount in OMR'],
    ['abc', 'Enter an amount in OMR, such as 100 or 2.500'],
    ['-5', 'Enter an amount in OMR, such as 100 or 2.500'],
    ['1e3', 'Enter an amount in OMR, such as 100 or 2.500'],
    ['.', 'Enter an amount in OMR, such as 100 or 2.500'],
    ['2,5', 'Use a dot for decimals, such as 2.500'],
    ['1,00', 'Use a dot for decimals, such as 2.500'],
    ['1.0005', 'Use at most 3 decimals (1 baisa = 0.001 OMR)'],
    ['10000000000', 'That amount is too large'],
  ])('rejects %j', (input, message) => {
    expect(parseOmr(input)).toEqual({ ok: false, message });
  });
});

describe('formatOmr', () => {
  it('shows three decimals and the currency', () => {
    expect(formatOmr(100_000)).toBe('100.000 OMR');
    expect(formatOmr(95_000)).toBe('95.000 OMR');
    expect(formatOmr(5)).toBe('0.005 OMR');
  });
});
