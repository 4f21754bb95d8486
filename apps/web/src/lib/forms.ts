import { isApiError } from './http';

/** Field name → message, for showing problems next to the inputs they belong to. */
export type FieldErrors = Record<string, string>;

interface IssueLike {
  path: ReadonlyArray<PropertyKey> | string;
  message: string;
}

function pathKey(path: IssueLike['path']): string {
  return typeof path === 'string' ? path : path.map(String).join('.');
}

/** The first message per field from zod issues (`path` as an array) or api issues (`path` dotted). */
export function fieldErrorsFromIssues(issues: ReadonlyArray<IssueLike>): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = pathKey(issue.path);
    errors[key] ??= issue.message;
  }
  return errors;
}

function isIssue(value: unknown): value is { path: string; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'path' in value &&
    typeof value.path === 'string' &&
    'message' in value &&
    typeof value.message === 'string'
  );
}

/** Field errors from a 400 answer's `details.issues` ([{ path, message }]); empty for anything else. */
export function fieldErrorsFromApi(error: unknown): FieldErrors {
  if (!isApiError(error)) return {};
  const issues = error.details?.issues;
  if (!Array.isArray(issues)) return {};
  return fieldErrorsFromIssues(issues.filter(isIssue));
}

/** A sentence for an error that belongs to no single field. */
export function describeError(error: unknown): string {
  if (isApiError(error)) return error.message;
  return error instanceof Error && error.message ? error.message : 'Something went wrong. Try again.';
}

/**
 * Shows an api refusal where it belongs: next to the fields its issues name (`setErrors`), or else as the form's
 * problem that belongs to no single field (`setProblem`).
 */
export function showApiError(
  error: unknown,
  setErrors: (errors: FieldErrors) => void,
  setProblem: (problem: string) => void,
): void {
  const fields = fieldErrorsFromApi(error);
  if (Object.keys(fields).length > 0) setErrors(fields);
  else setProblem(describeError(error));
}
