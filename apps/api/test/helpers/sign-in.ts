import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { pinFrom, type SmtpPeer } from './smtp-peer.js';
import { sessionCookie } from './test-app.js';

let nextIp = 1;

/** Signs `email` in through the real PIN flow (mail read from the SMTP peer); returns the Cookie header. */
export async function signIn(app: NestFastifyApplication, smtp: SmtpPeer, email: string): Promise<string> {
  // A distinct client address per sign-in keeps the per-IP budgets out of tests that sign in often.
  const remoteAddress = `10.99.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;
  const requested = await app.inject({
    method: 'POST',
    url: '/auth/pin/request',
    payload: { email },
    remoteAddress,
  });
  if (requested.statusCode !== 202)
    throw new Error(`PIN request failed: ${requested.statusCode} ${requested.body}`);
  const pin = pinFrom(await smtp.lastMailTo(email));
  const verified = await app.inject({
    method: 'POST',
    url: '/auth/pin/verify',
    payload: { email, pin },
    remoteAddress,
  });
  if (verified.statusCode !== 200)
    throw new Error(`PIN verify failed: ${verified.statusCode} ${verified.body}`);
  return sessionCookie(verified.headers['set-cookie']);
}
