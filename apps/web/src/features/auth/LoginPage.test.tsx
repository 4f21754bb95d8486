import { pinRequestedSchema, sessionResponseSchema } from '@catalyst/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, apiError, stubApi, testUser, unauthenticated } from '../../test/api';
import { renderApp } from '../../test/renderApp';

const pinRequested = () =>
  answer(
    pinRequestedSchema,
    { message: 'If the address can receive mail, a sign-in code is on its way.' },
    202,
  );
const signedIn = () => answer(sessionResponseSchema, { user: testUser });

async function submitEmail(value: string) {
  fireEvent.change(await screen.findByLabelText('E-mail'), { target: { value } });
  fireEvent.click(screen.getByRole('button', { name: 'Send code' }));
}

function submitCode(value: string) {
  fireEvent.change(screen.getByLabelText('Sign-in code'), { target: { value } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginPage', () => {
  it('signs in with e-mail and code, shows a wrong code, then goes to the redirect target', async () => {
    const api = stubApi({
      'GET /auth/me': unauthenticated,
      'POST /auth/pin/request': pinRequested,
      'POST /auth/pin/verify': [
        () => apiError(401, 'invalid_pin', 'That code is wrong or has expired.', { attemptsLeft: 4 }),
        signedIn,
      ],
    });
    const { router } = renderApp('/login?redirect=%2Fbss%2F');

    await submitEmail('  Ada@Example.COM ');

    expect(await screen.findByText(/We sent a 6-digit code to/)).toBeTruthy();
    expect(screen.getByText('ada@example.com')).toBeTruthy();
    const requests = api.callsTo('POST', '/auth/pin/request');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.body).toEqual({ email: 'ada@example.com' });
    expect(requests[0]?.init?.credentials).toBe('same-origin');

    const codeInput = screen.getByLabelText('Sign-in code');
    expect(codeInput.getAttribute('inputmode')).toBe('numeric');
    expect(codeInput.getAttribute('autocomplete')).toBe('one-time-code');
    expect(codeInput.getAttribute('maxlength')).toBe('6');

    submitCode('111111');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('That code is wrong or has expired. 4 attempts left.');
    expect(router.state.location.pathname).toBe('/login');

    submitCode('123456');
    await waitFor(() => expect(router.state.location.pathname).toBe('/bss/'));
    expect((await screen.findByTestId('current-user')).textContent).toBe('ada@example.com');
    expect(screen.getByRole('heading', { name: 'Business support' })).toBeTruthy();

    const verifies = api.callsTo('POST', '/auth/pin/verify');
    expect(verifies.map((call) => call.body)).toEqual([
      { email: 'ada@example.com', pin: '111111' },
      { email: 'ada@example.com', pin: '123456' },
    ]);
  });

  it('shows the retry time when sending codes is rate limited', async () => {
    stubApi({
      'GET /auth/me': unauthenticated,
      'POST /auth/pin/request': () =>
        apiError(
          429,
          'rate_limited',
          'Too many requests. Try again in 600 s.',
          { retryAfterSeconds: 600 },
          { 'retry-after': '600' },
        ),
    });
    renderApp('/login');

    await submitEmail('ada@example.com');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Too many requests. Try again in 10 minutes.');
    expect(screen.queryByLabelText('Sign-in code')).toBeNull();
  });

  it('checks the e-mail before calling the api', async () => {
    const api = stubApi({ 'GET /auth/me': unauthenticated });
    renderApp('/login');

    await submitEmail('not-an-address');

    expect((await screen.findByRole('alert')).textContent).toBe('Enter a valid e-mail address');
    expect(screen.getByLabelText('E-mail').getAttribute('aria-invalid')).toBe('true');
    expect(api.callsTo('POST', '/auth/pin/request')).toHaveLength(0);
  });

  it('checks the code is 6 digits before calling the api', async () => {
    const api = stubApi({ 'GET /auth/me': unauthenticated, 'POST /auth/pin/request': pinRequested });
    renderApp('/login');
    await submitEmail('ada@example.com');
    await screen.findByLabelText('Sign-in code');

    submitCode('12a4');

    expect((await screen.findByRole('alert')).textContent).toBe('The code is 6 digits');
    expect(api.callsTo('POST', '/auth/pin/verify')).toHaveLength(0);
  });

  it('can go back to change the e-mail and can send a new code', async () => {
    const api = stubApi({ 'GET /auth/me': unauthenticated, 'POST /auth/pin/request': pinRequested });
    renderApp('/login');
    await submitEmail('ada@example.com');
    await screen.findByLabelText('Sign-in code');

    fireEvent.click(screen.getByRole('button', { name: 'Send a new code' }));
    expect((await screen.findByRole('status')).textContent).toContain(
      'We sent a new code to ada@example.com',
    );
    expect(api.callsTo('POST', '/auth/pin/request')).toHaveLength(2);

    fireEvent.click(screen.getByRole('button', { name: 'Use a different e-mail' }));
    const email = await screen.findByLabelText('E-mail');
    expect((email as HTMLInputElement).value).toBe('ada@example.com');
    expect(screen.queryByLabelText('Sign-in code')).toBeNull();
  });

  it('ignores a redirect to another origin and goes to the start page of the role', async () => {
    stubApi({
      'GET /auth/me': unauthenticated,
      'POST /auth/pin/request': pinRequested,
      'POST /auth/pin/verify': signedIn,
    });
    const { router } = renderApp('/login?redirect=https%3A%2F%2Fevil.example%2F');
    await submitEmail('ada@example.com');
    await screen.findByLabelText('Sign-in code');

    submitCode('123456');

    // A member is a tenant: the marketplace (landing.test.tsx covers every role).
    await waitFor(() => expect(router.state.location.pathname).toBe('/marketplace/'));
    expect(router.state.location.href).toBe('/marketplace/');
  });

  it('skips the form when already signed in', async () => {
    stubApi({ 'GET /auth/me': signedIn });
    const { router } = renderApp('/login?redirect=%2Fmarketplace%2F');
    await waitFor(() => expect(router.state.location.pathname).toBe('/marketplace/'));
    expect(screen.queryByLabelText('E-mail')).toBeNull();
  });
});
