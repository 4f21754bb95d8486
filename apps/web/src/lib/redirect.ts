/** `/` sends each role to its own start page (router.tsx, lib/roles.ts `landingPath`). */
export const DEFAULT_AFTER_SIGN_IN = '/';

const PLACEHOLDER_ORIGIN = 'http://catalyst.invalid';

/**
 * Where to go after signing in: only a path on this origin (`/…`), never `//host`, `/\host`,
 * a scheme or the login page itself; anything else falls back to the default.
 */
export function safeRedirect(value: unknown, fallback = DEFAULT_AFTER_SIGN_IN): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.startsWith('/\\')
  ) {
    return fallback;
  }
  // Control characters and whitespace could be stripped by the URL parser into something else.
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f) return fallback;
  }
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return fallback;
  if (url.pathname === '/login' || url.pathname.startsWith('/login/')) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
