import { sessionResponseSchema } from '@catalyst/contracts';
import { describe, expect, it, vi } from 'vitest';
import { answer, apiError, json, noContent, stubApi, testUser } from '../test/api';
import { ApiError, errorFromResponse, isApiError, request } from './http';

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('errorFromResponse', () => {
  it('reads code, message, details and status from the api error shape', async () => {
    const error = await errorFromResponse(
      apiError(401, 'invalid_pin', 'That code is wrong or has expired.', { attemptsLeft: 3 }),
    );
    expect(error).toMatchObject({
      status: 401,
      code: 'invalid_pin',
      message: 'That code is wrong or has expired.',
      details: { attemptsLeft: 3 },
    });
    expect(isApiError(error, 'invalid_pin')).toBe(true);
    expect(isApiError(error, 'pin_locked')).toBe(false);
  });

  it('takes the retry time from the Retry-After header', async () => {
    const error = await errorFromResponse(
      apiError(429, 'rate_limited', 'Too many requests.', undefined, { 'retry-after': '120' }),
    );
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(120);
  });

  it('prefers details.retryAfterSeconds over the header', async () => {
    const error = await errorFromResponse(
      apiError(
        429,
        'rate_limited',
        'Too many requests.',
        { retryAfterSeconds: 42 },
        { 'retry-after': '120' },
      ),
    );
    expect(error.retryAfterSeconds).toBe(42);
  });

  it('falls back to a generic error when the body is not the api shape', async () => {
    const error = await errorFromResponse(
      new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    expect(error.status).toBe(502);
    expect(error.code).toBe('http_error');
    expect(error.message).toBe('The server answered 502 Bad Gateway.');
    expect(error.details).toBeUndefined();
  });

  it('names well-known statuses when the body is missing', async () => {
    const error = await errorFromResponse(new Response(null, { status: 404 }));
    expect(error.code).toBe('not_found');
  });
});

describe('request', () => {
  it('sends JSON with the same-origin credentials and parses the body with the schema', async () => {
    const api = stubApi({
      'POST /auth/pin/verify': () => answer(sessionResponseSchema, { user: testUser }),
    });
    const result = await request('/auth/pin/verify', {
      method: 'POST',
      body: { email: 'ada@example.com', pin: '123456' },
      schema: sessionResponseSchema,
    });
    expect(result.user.email).toBe('ada@example.com');
    const [call] = api.calls;
    expect(call?.init?.credentials).toBe('same-origin');
    expect(call?.init?.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(call?.body).toEqual({ email: 'ada@example.com', pin: '123456' });
  });

  it('resolves with undefined for a 204 without a schema', async () => {
    stubApi({ 'POST /auth/logout': noContent });
    await expect(request('/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('rejects with the parsed ApiError for an error status', async () => {
    stubApi({ 'GET /auth/me': () => apiError(401, 'unauthenticated', 'Sign in to continue') });
    const error = await rejection(request('/auth/me', { schema: sessionResponseSchema }));
    expect(error.status).toBe(401);
    expect(error.code).toBe('unauthenticated');
    expect(error.message).toBe('Sign in to continue');
  });

  it('rejects with invalid_response when a success body does not match the schema', async () => {
    // Deliberately raw: this is the answer a broken server would send.
    stubApi({ 'GET /auth/me': () => json(200, { user: { email: 'no id' } }) });
    const error = await rejection(request('/auth/me', { schema: sessionResponseSchema }));
    expect(error.code).toBe('invalid_response');
  });

  it('rejects with network_error (status 0) when no response arrives', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const error = await rejection(request('/auth/me'));
    expect(error.status).toBe(0);
    expect(error.code).toBe('network_error');
  });
});
