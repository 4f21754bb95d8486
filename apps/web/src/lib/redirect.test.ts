import { describe, expect, it } from 'vitest';
import { DEFAULT_AFTER_SIGN_IN, safeRedirect } from './redirect';

describe('safeRedirect', () => {
  it.each([
    ['/bss/', '/bss/'],
    ['/redeem/?code=ABC-123', '/redeem/?code=ABC-123'],
    ['/sovereign/#step-2', '/sovereign/#step-2'],
  ])('keeps the same-origin path %s', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });

  it.each([
    undefined,
    '',
    'bss',
    'https://evil.example/',
    '//evil.example/path',
    '/\\evil.example',
    '/\t/evil.example',
    'javascript:alert(1)',
    '/login',
    '/login?redirect=/bss/',
  ])('falls back to the default for %s', (input) => {
    expect(safeRedirect(input)).toBe(DEFAULT_AFTER_SIGN_IN);
  });
});
