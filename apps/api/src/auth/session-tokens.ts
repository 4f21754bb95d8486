import { Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, SignJWT } from 'jose';
import { SECRET_KEYS, type SecretKeys } from '../crypto/keys.js';

const ISSUER = 'catalyst';
const AUDIENCE = 'catalyst-session';

/** Session tokens: HS256 JWTs whose `jti` is the session row, so revocation is one update. */
@Injectable()
export class SessionTokens {
  constructor(@Inject(SECRET_KEYS) private readonly keys: SecretKeys) {}

  sign(sessionId: string, userId: string, expiresAt: Date): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(userId)
      .setJti(sessionId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.keys.sessions);
  }

  /** The session id, user and expiry (epoch ms) of a valid, unexpired token; undefined for anything else. */
  async verify(token: string): Promise<{ sessionId: string; userId: string; expiresAt: number } | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.keys.sessions, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      if (!payload.jti || !payload.sub || payload.exp === undefined) return undefined;
      return { sessionId: payload.jti, userId: payload.sub, expiresAt: payload.exp * 1000 };
    } catch (error) {
      if (error instanceof errors.JOSEError) return undefined;
      throw error;
    }
  }
}
