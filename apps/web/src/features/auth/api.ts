import { pinRequestedSchema, sessionResponseSchema, type User } from '@catalyst/contracts';
import { request } from '../../lib/http';

export { ApiError, isApiError } from '../../lib/http';

/** Asks the api to e-mail a 6-digit sign-in code. Resolves with the api's (deliberately vague) message. */
export async function requestPin(email: string): Promise<string> {
  const { message } = await request('/auth/pin/request', {
    method: 'POST',
    body: { email },
    schema: pinRequestedSchema,
  });
  return message;
}

/** Exchanges the code for a session: the api sets an httpOnly cookie and answers with the user. */
export async function verifyPin(email: string, pin: string): Promise<User> {
  const { user } = await request('/auth/pin/verify', {
    method: 'POST',
    body: { email, pin },
    schema: sessionResponseSchema,
  });
  return user;
}

/** The signed-in user; rejects with ApiError 401 `unauthenticated` without a session. */
export async function me(signal?: AbortSignal): Promise<User> {
  const { user } = await request('/auth/me', { schema: sessionResponseSchema, signal });
  return user;
}

/** Ends the session and clears the cookie. */
export async function logout(): Promise<void> {
  await request('/auth/logout', { method: 'POST' });
}
