import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/http';
import { describeAuthError, formatWait } from './errors';

describe('formatWait', () => {
  it.each([
    [1, '1 second'],
    [45, '45 seconds'],
    [60, '1 minute'],
    [61, '2 minutes'],
    [900, '15 minutes'],
    [7200, '2 hours'],
  ])('%i s reads "%s"', (seconds, text) => {
    expect(formatWait(seconds)).toBe(text);
  });
});

describe('describeAuthError', () => {
  it('adds the attempts left to a wrong code', () => {
    const error = new ApiError(401, 'invalid_pin', 'That code is wrong or has expired.', { attemptsLeft: 1 });
    expect(describeAuthError(error)).toBe('That code is wrong or has expired. 1 attempt left.');
  });

  it('states the wait for rate limiting', () => {
    const error = new ApiError(429, 'rate_limited', 'Too many requests. Try again in 900 s.', {}, 900);
    expect(describeAuthError(error)).toBe('Too many requests. Try again in 15 minutes.');
  });

  it('lists validation issues', () => {
    const error = new ApiError(400, 'validation_failed', 'The request is not valid', {
      issues: [{ path: 'email', message: 'Enter a valid e-mail address' }],
    });
    expect(describeAuthError(error)).toBe('Enter a valid e-mail address');
  });

  it('passes other api messages through', () => {
    const error = new ApiError(401, 'pin_locked', 'Too many wrong codes. Request a new code to try again.');
    expect(describeAuthError(error)).toBe('Too many wrong codes. Request a new code to try again.');
  });
});
