import { errorBodySchema } from '@catalyst/contracts';

/** The minimal schema shape the client needs: every zod schema satisfies it. */
export interface Parser<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: unknown };
}

/** A failed api call: the `{ error: { code, message, details } }` body, plus the HTTP status (0 when no response arrived). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Seconds to wait before retrying, from details.retryAfterSeconds or the Retry-After header. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Parses the success body; omit for responses without one (204). */
  schema?: Parser<T>;
  signal?: AbortSignal;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
  /**
   * Error statuses whose body is an answer rather than a failure (e.g. 410 from the voucher
   * preview, which carries the same body as the 200): parsed with `schema` like a success.
   */
  acceptStatuses?: readonly number[];
}

/** A parsed response together with its status (201 created vs 200 updated, 410 gone…). */
export interface ApiResponse<T> {
  status: number;
  data: T;
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limited',
  503: 'unavailable',
};

function parseRetryAfter(header: string | null, details?: Record<string, unknown>): number | undefined {
  const fromDetails = details?.retryAfterSeconds;
  if (typeof fromDetails === 'number' && Number.isFinite(fromDetails) && fromDetails >= 0) {
    return Math.ceil(fromDetails);
  }
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Turns a non-2xx response into an ApiError, using the api's error shape when the body has it. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const parsed = errorBodySchema.safeParse(await readJson(response));
  const retryAfter = response.headers.get('retry-after');
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(response.status, code, message, details, parseRetryAfter(retryAfter, details));
  }
  return new ApiError(
    response.status,
    STATUS_CODES[response.status] ?? 'http_error',
    `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
    undefined,
    parseRetryAfter(retryAfter),
  );
}

/**
 * Calls the api on the same origin with the session cookie. Resolves with the body parsed by
 * `schema` (undefined without one); rejects with an ApiError for any failure: no response
 * (status 0, `network_error`), an error status, or a body that does not match (`invalid_response`).
 */
export async function request<T = undefined>(path: string, options: RequestOptions<T> = {}): Promise<T> {
  return (await requestWithStatus(path, options)).data;
}

/** Like `request`, but also resolves with the HTTP status of the answer. */
export async function requestWithStatus<T = undefined>(
  path: string,
  options: RequestOptions<T> = {},
): Promise<ApiResponse<T>> {
  const { method = options.body === undefined ? 'GET' : 'POST', body, schema, signal } = options;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(
      0,
      'network_error',
      'Could not reach the server. Check your connection and try again.',
    );
  }

  const accepted = response.ok || (options.acceptStatuses?.includes(response.status) ?? false);
  if (!accepted) throw await errorFromResponse(response);
  if (!schema) return { status: response.status, data: undefined as T };

  const parsed = schema.safeParse(await readJson(response));
  if (!parsed.success) {
    throw new ApiError(
      response.status,
      'invalid_response',
      'The server sent a response this app does not understand.',
    );
  }
  return { status: response.status, data: parsed.data };
}
