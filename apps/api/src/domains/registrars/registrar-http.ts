import { RegistrarError } from './registrar.js';

const TIMEOUT_MS = 20_000;

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * One HTTP call to a registrar. A network failure or timeout is 'unavailable'. The URL is never put
 * in an error message: some registrars (Namecheap, Dynadot) carry the API key in the query string.
 */
export async function registrarFetch(
  registrar: string,
  url: string,
  init: RequestInit = {},
): Promise<HttpResult> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new RegistrarError('unavailable', `${registrar} could not be reached. Try again shortly.`);
  }
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The failure an HTTP status means when the body says nothing more specific. */
export function failureForStatus(registrar: string, status: number): RegistrarError | undefined {
  if (status === 401) return new RegistrarError('invalid', `${registrar} rejected the credentials.`);
  if (status === 403) {
    return new RegistrarError(
      'insufficient',
      `The ${registrar} credentials are valid but not allowed to do this.`,
    );
  }
  if (status === 429)
    return new RegistrarError('rate-limited', `${registrar} is rate-limiting requests. Try again later.`);
  if (status >= 500)
    return new RegistrarError('unavailable', `${registrar} is not answering properly (HTTP ${status}).`);
  return undefined;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
