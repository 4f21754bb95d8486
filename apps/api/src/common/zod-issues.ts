import type { z } from 'zod';

/** Flattens zod issues into `{path, message}` pairs with dotted paths, the shape of `error.details.issues`. */
export function toFieldIssues(error: z.ZodError, prefix?: string): { path: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    const segments = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...segments, key].join('.'), message: 'Unknown field' }));
    }
    return [{ path: segments.join('.'), message: issue.message }];
  });
}
