import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Role, User } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppError } from '../common/app-error.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { SECRET_KEYS, type SecretKeys } from '../crypto/keys.js';
import { DATABASE, type Database } from '../database/database.js';
import { MailService } from '../mail/mail.service.js';
import { pinMail } from '../mail/mail.templates.js';
import { RateLimitService } from '../ratelimit/rate-limit.service.js';
import { PinsRepository } from './pins.repository.js';
import type { Principal } from './roles.decorator.js';
import { SessionTokens } from './session-tokens.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository } from './users.repository.js';

export const PIN_TTL_SECONDS = 10 * 60;
export const MAX_FAILED_ATTEMPTS = 5;
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

/** Budgets for sign-in: generous for a person, tight for a script. */
export const PIN_LIMITS = {
  requestPerEmail: { name: 'pin-request:email', limit: 5, windowSeconds: 15 * 60 },
  requestPerIp: { name: 'pin-request:ip', limit: 30, windowSeconds: 15 * 60 },
  verifyPerIp: { name: 'pin-verify:ip', limit: 30, windowSeconds: 15 * 60 },
};

const ADMIN_ROLES: Role[] = ['superadmin', 'sovereign-admin'];

export class InvalidPinError extends AppError {
  constructor(attemptsLeft: number) {
    super(
      401,
      attemptsLeft > 0 ? 'invalid_pin' : 'pin_locked',
      attemptsLeft > 0
        ? 'That code is wrong or has expired.'
        : 'Too many wrong codes. Request a new code to try again.',
      { attemptsLeft },
    );
  }
}

type VerifyOutcome =
  | { ok: true; user: User; sessionId: string; expiresAt: Date }
  | { ok: false; attemptsLeft: number };

/** PIN sign-in (6 digits, mailed, HMAC-hashed at rest, 10 minutes, 5 tries) and sessions. */
@Injectable()
export class AuthService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(SECRET_KEYS) private readonly keys: SecretKeys,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly pins: PinsRepository,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: SessionTokens,
    private readonly rateLimits: RateLimitService,
    private readonly mail: MailService,
  ) {}

  /** Mails a fresh code. Answers the same for every address, known or not. */
  async requestPin(email: string, ip: string): Promise<void> {
    await this.rateLimits.consume(PIN_LIMITS.requestPerIp, ip);
    await this.rateLimits.consume(PIN_LIMITS.requestPerEmail, email);
    const pin = randomInt(0, 1_000_000).toString().padStart(6, '0');
    await this.pins.replace(email, this.hashPin(email, pin), PIN_TTL_SECONDS);
    await this.mail.send(
      email,
      pinMail({ pin, ttlMinutes: PIN_TTL_SECONDS / 60, publicUrl: this.config.publicUrl }),
    );
  }

  /** Checks a code; on success creates the user if new and opens a session. */
  async verifyPin(
    email: string,
    pin: string,
    ip: string,
  ): Promise<{ user: User; token: string; expiresAt: Date }> {
    await this.rateLimits.consume(PIN_LIMITS.verifyPerIp, ip);
    const extraRoles = this.config.adminEmails.includes(email) ? ADMIN_ROLES : [];
    // A failed try must be counted even though the request fails, so the transaction
    // returns an outcome and the error is thrown only after it commits.
    const outcome = await this.database.db.transaction(async (tx): Promise<VerifyOutcome> => {
      const pending = await this.pins.lockForVerification(tx, email);
      if (!pending || pending.expired || pending.failedAttempts >= MAX_FAILED_ATTEMPTS) {
        return { ok: false, attemptsLeft: pending && !pending.expired ? 0 : MAX_FAILED_ATTEMPTS };
      }
      if (!this.matches(pending.pinHash, this.hashPin(email, pin))) {
        const failed = await this.pins.recordFailure(tx, email);
        return { ok: false, attemptsLeft: Math.max(0, MAX_FAILED_ATTEMPTS - failed) };
      }
      await this.pins.delete(tx, email);
      const user = await this.users.upsertOnSignIn(tx, email, extraRoles);
      const session = await this.sessions.create(tx, user.id, SESSION_TTL_SECONDS);
      return { ok: true, user: toUser(user), sessionId: session.id, expiresAt: session.expiresAt };
    });
    if (!outcome.ok) throw new InvalidPinError(outcome.attemptsLeft);
    this.logger.info({ userId: outcome.user.id }, 'signed in');
    const token = await this.tokens.sign(outcome.sessionId, outcome.user.id, outcome.expiresAt);
    return { user: outcome.user, token, expiresAt: outcome.expiresAt };
  }

  /** The principal behind a session token, or undefined when it is invalid, expired or revoked. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const claims = await this.tokens.verify(token);
    if (!claims) return undefined;
    const user = await this.sessions.findLiveUser(claims.sessionId, claims.userId);
    if (!user) return undefined;
    return { userId: user.id, email: user.email, roles: user.roles as Role[], sessionId: claims.sessionId };
  }

  async me(principal: Principal): Promise<User> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw new AppError(401, 'unauthenticated', 'Sign in to continue');
    return toUser(user);
  }

  logout(principal: Principal): Promise<void> {
    return this.sessions.revoke(principal.sessionId);
  }

  /** Removes expired codes and long-dead sessions. */
  async sweep(): Promise<void> {
    await this.pins.deleteExpired();
    await this.sessions.deleteExpired();
  }

  private hashPin(email: string, pin: string): string {
    return createHmac('sha256', this.keys.pins).update(`${email}\n${pin}`).digest('base64url');
  }

  private matches(stored: string, candidate: string): boolean {
    const a = Buffer.from(stored);
    const b = Buffer.from(candidate);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

export function toUser(row: { id: string; email: string; roles: string[]; createdAt: Date }): User {
  return { id: row.id, email: row.email, roles: row.roles as Role[], createdAt: row.createdAt.toISOString() };
}
