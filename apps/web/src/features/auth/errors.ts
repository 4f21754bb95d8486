import { isApiError } from '../../lib/http';

/** "45 seconds", "1 minute", "15 minutes", "2 hours": rounded up, so the wait is never understated. */
export function formatWait(seconds: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (seconds < 60) return plural(Math.max(1, Math.ceil(seconds)), 'second');
  if (seconds < 3600) return plural(Math.ceil(seconds / 60), 'minute');
  return plural(Math.ceil(seconds / 3600), 'hour');
}

function numberDetail(details: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = details?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function issueMessages(details: Record<string, unknown> | undefined): string[] {
  const issues = details?.issues;
  if (!Array.isArray(issues)) return [];
  return issues
    .map((issue: unknown) =>
      typeof issue === 'object' && issue !== null && 'message' in issue && typeof issue.message === 'string'
        ? issue.message
        : null,
    )
    .filter((message): message is string => message !== null);
}

/** What to tell the person for a failed sign-in call: the api's message plus what they can do next. */
export function describeAuthError(error: unknown): string {
  if (!isApiError(error)) {
    return error instanceof Error && error.message ? error.message : 'Something went wrong. Try again.';
  }
  switch (error.code) {
    case 'invalid_pin': {
      const left = numberDetail(error.details, 'attemptsLeft');
      if (left === undefined) return error.message;
      return `${error.message} ${left} ${left === 1 ? 'attempt' : 'attempts'} left.`;
    }
    case 'rate_limited':
      return error.retryAfterSeconds === undefined
        ? error.message
        : `Too many requests. Try again in ${formatWait(error.retryAfterSeconds)}.`;
    case 'validation_failed': {
      const messages = issueMessages(error.details);
      return messages.length > 0 ? messages.join(' ') : error.message;
    }
    default:
      return error.message;
  }
}
