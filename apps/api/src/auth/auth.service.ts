import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Role, User } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppError, RateLimitedError } from '../common/app-error.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { SECRET_KEYS, type SecretKeys } from '../crypto/keys.js';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { MailService } from '../mail/mail.service.js';
import { pinMail, signInLockedMail } from '../mail/mail.templates.js';
import { RateLimitService } from '../ratelimit/rate-limit.service.js';
import { PinsRepository } from './pins.repository.js';
import type { Principal } from './roles.decorator.js';
import { SessionCache } from './session-cache.js';
import { SessionTokens } from './session-tokens.js';
import { SessionsRepository } from './sessions.repository.js';
import { SignInGuardsRepository } from './sign-in-guards.repository.js';
import { effectiveRoles, UsersRepository } from './users.repository.js';

export const PIN_TTL_SECONDS = 10 * 60;
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
/**
 * Live codes one e-mail may hold. Any of them signs in, so each one more multiplies a guesser's
 * odds; past this, a request is refused (never by voiding a code the owner may be typing).
 */
export const MAX_LIVE_CODES = 3;

/**
 * Budgets for sign-in: generous for a person, tight for a script. Requests per e-mail are counted
 * per requesting address, so a stranger spending their budget does not spend the owner's; the
 * looser per-e-mail cap bounds the mail any one inbox receives.
 */
export const PIN_LIMITS = {
  requestPerEmailAndIp: { name: 'pin-request:email+ip', limit: 5, windowSeconds: 15 * 60 },
  requestPerEmail: { name: 'pin-request:email', limit: 10, windowSeconds: 15 * 60 },
  requestPerIp: { name: 'pin-request:ip', limit: 30, windowSeconds: 15 * 60 },
  verifyPerIp: { name: 'pin-verify:ip', limit: 30, windowSeconds: 15 * 60 },
};

/** What CATALYST_ADMIN_EMAILS grants; holding either one makes a user an admin of this instance. */
export const ADMIN_ROLES: readonly Role[] = ['superadmin', 'sovereign-admin'];

export class InvalidPinError extends AppError {
  constructor(attemptsLeft: number) {
    super(401, 'invalid_pin', 'That code is wrong or has expired.', { attemptsLeft });
  }
}

/** Every code of the e-mail is refused, the right one too, until the lockout ends. */
export class SignInLockedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(
      401,
      'pin_locked',
      `Too many wrong codes for this address. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
      { attemptsLeft: 0, retryAfterSeconds },
    );
  }
}

type VerifyOutcome =
  | { ok: true; user: User; sessionId: string; expiresAt: Date }
  | { ok: false; attemptsLeft: number }
  | { ok: false; lockedForSeconds: number; justLocked: boolean; failures: number };

/**
 * PIN sign-in (6 digits, mailed, HMAC-hashed at rest, 10 minutes, each used once) and sessions.
 * Wrong codes are counted per e-mail across all its codes in a sliding window; reaching the cap
 * locks the e-mail out for a while and tells its owner.
 */
@Injectable()
export class AuthService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(SECRET_KEYS) private readonly keys: SecretKeys,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly pins: PinsRepository,
    private readonly guards: SignInGuardsRepository,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: SessionTokens,
    private readonly rateLimits: RateLimitService,
    private readonly mail: MailService,
    private readonly sessionCache: SessionCache,
  ) {}

  /** Mails a fresh code. Answers the same for every address, known or not. */
  async requestPin(email: string, ip: string): Promise<void> {
    await this.rateLimits.consume(PIN_LIMITS.requestPerIp, ip);
    await this.rateLimits.consume(PIN_LIMITS.requestPerEmailAndIp, `${email} ${ip}`);
    await this.rateLimits.consume(PIN_LIMITS.requestPerEmail, email);
    const pin = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const refusedForSeconds = await this.database.db.transaction(async (tx) => {
      await this.guards.lockEmail(tx, email);
      const live = await this.pins.listLive(tx, email);
      if (live.length >= MAX_LIVE_CODES) return live[0]?.expiresInSeconds ?? PIN_TTL_SECONDS;
      await this.pins.add(tx, email, this.hashPin(email, pin), PIN_TTL_SECONDS);
      return 0;
    });
    if (refusedForSeconds > 0) throw new RateLimitedError(Math.max(1, refusedForSeconds));
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
    const { maxFailures, failureWindowSeconds, lockoutSeconds } = this.config.signIn;
    // A failed try must be counted even though the request fails, so the transaction
    // returns an outcome and the error is thrown only after it commits.
    const outcome = await this.database.db.transaction(async (tx): Promise<VerifyOutcome> => {
      const { lockedForSeconds } = await this.guards.lockEmail(tx, email);
      if (lockedForSeconds > 0) return { ok: false, lockedForSeconds, justLocked: false, failures: 0 };
      const candidate = this.hashPin(email, pin);
      const match = (await this.pins.listLive(tx, email)).find((code) =>
        this.matches(code.pinHash, candidate),
      );
      if (!match) {
        const failures = await this.guards.recordFailure(tx, email, failureWindowSeconds);
        if (failures < maxFailures) return { ok: false, attemptsLeft: maxFailures - failures };
        await this.guards.lockOut(tx, email, lockoutSeconds);
        return { ok: false, lockedForSeconds: lockoutSeconds, justLocked: true, failures };
      }
      await this.pins.consume(tx, match.id);
      await this.guards.clearFailures(tx, email);
      return { ok: true, ...(await this.openSession(tx, email, [])) };
    });
    if (!outcome.ok) {
      if ('attemptsLeft' in outcome) throw new InvalidPinError(outcome.attemptsLeft);
      if (outcome.justLocked) await this.tellOwnerOfLockout(email, outcome.failures);
      throw new SignInLockedError(outcome.lockedForSeconds);
    }
    return this.sessionToken(outcome);
  }

  /**
   * Signs in an e-mail whose owner another path has proved (a handover token), assigning it `roles` (kept until an
   * admin removes them) on top of what a PIN sign-in grants. `claim` runs first in the same transaction: when it
   * throws, nothing is created.
   */
  async signInVerified(
    email: string,
    roles: Role[],
    claim: (tx: Executor) => Promise<void>,
  ): Promise<{ user: User; token: string; expiresAt: Date }> {
    const opened = await this.database.db.transaction(async (tx) => {
      await claim(tx);
      return this.openSession(tx, email, roles);
    });
    return this.sessionToken(opened);
  }

  /**
   * The principal behind a session token, or undefined when it is invalid, expired or revoked. A token checked in
   * the last few seconds is answered from the session cache (a sign-out on any replica evicts it at once).
   */
  async authenticate(token: string): Promise<Principal | undefined> {
    const cached = this.sessionCache.forToken(token);
    if (cached) return cached;
    const claims = await this.tokens.verify(token);
    if (!claims) return undefined;
    const user = await this.sessions.findLiveUser(claims.sessionId, claims.userId);
    if (!user) return undefined;
    const principal = {
      userId: user.id,
      email: user.email,
      roles: user.roles as Role[],
      sessionId: claims.sessionId,
    };
    this.sessionCache.remember(principal, Math.min(claims.expiresAt, user.sessionExpiresAt.getTime()), token);
    return principal;
  }

  /**
   * Whether a principal authenticated earlier still holds a live session with one of `roles` (any
   * role when empty): long-lived responses re-check this, since they outlive the request's guard.
   * Answered from the session cache when the session was checked in the last few seconds.
   */
  async stillAllowed(principal: Principal, roles: readonly Role[] = []): Promise<boolean> {
    let current = this.sessionCache.forSession(principal.sessionId);
    if (!current) {
      const user = await this.sessions.findLiveUser(principal.sessionId, principal.userId);
      if (!user) return false;
      current = {
        userId: user.id,
        email: user.email,
        roles: user.roles as Role[],
        sessionId: principal.sessionId,
      };
      this.sessionCache.remember(current, user.sessionExpiresAt.getTime());
    }
    if (current.userId !== principal.userId) return false;
    return roles.length === 0 || roles.some((role) => current.roles.includes(role));
  }

  async me(principal: Principal): Promise<User> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw new AppError(401, 'unauthenticated', 'Sign in to continue');
    return toUser(user);
  }

  /**
   * Revokes the session: this replica stops trusting its cached check first (and will not cache it again), the
   * others when the revocation's NOTIFY reaches them.
   */
  async logout(principal: Principal): Promise<void> {
    this.sessionCache.revoke(principal.sessionId);
    await this.sessions.revoke(principal.sessionId);
  }

  /**
   * Ends every session of a user whose roles were cut, in the caller's transaction. The other replicas drop them
   * when its NOTIFYs arrive on commit; this one at once (a cached check could outlive the cut by a few seconds).
   */
  async revokeSessionsOf(tx: Executor, userId: string): Promise<void> {
    for (const sessionId of await this.sessions.revokeAllOf(tx, userId)) this.sessionCache.revoke(sessionId);
  }

  /**
   * Takes the admin roles CATALYST_ADMIN_EMAILS granted from everyone it no longer lists, and ends their sessions:
   * run at start-up, since a change to the list takes a restart, so an e-mail taken off the list stops acting as an
   * admin then, not at its next sign-in. Assigned roles stay. Returns the users whose roles were cut.
   */
  async withdrawUnlistedAdmins(): Promise<string[]> {
    return this.database.db.transaction(async (tx) => {
      const cut: string[] = [];
      for (const row of await this.users.holdingAnyOf(tx, ADMIN_ROLES)) {
        const configured = this.configuredRolesOf(row.email);
        const kept = effectiveRoles(row.assignedRoles, configured);
        if (row.roles.every((role) => kept.includes(role))) continue;
        await this.users.setAssignedRoles(tx, row.id, row.assignedRoles, configured);
        await this.revokeSessionsOf(tx, row.id);
        cut.push(row.id);
      }
      return cut;
    });
  }

  /** Removes expired codes, failures out of the window and long-dead sessions. */
  async sweep(): Promise<void> {
    await this.pins.deleteExpired();
    await this.guards.sweep(this.config.signIn.failureWindowSeconds);
    await this.sessions.deleteExpired();
  }

  /** The roles CATALYST_ADMIN_EMAILS grants `email` today (none once it is taken off the list). */
  configuredRolesOf(email: string): Role[] {
    return this.config.adminEmails.includes(email) ? [...ADMIN_ROLES] : [];
  }

  /**
   * Creates the user if new (assigning `assign`), recomputes their roles from what holds now, stamps the sign-in and
   * opens a session.
   */
  private async openSession(tx: Executor, email: string, assign: Role[]) {
    const user = await this.users.upsertOnSignIn(tx, email, {
      assign,
      configured: this.configuredRolesOf(email),
    });
    const session = await this.sessions.create(tx, user.id, SESSION_TTL_SECONDS);
    return { user: toUser(user), sessionId: session.id, expiresAt: session.expiresAt };
  }

  private async sessionToken(opened: { user: User; sessionId: string; expiresAt: Date }) {
    this.logger.info({ userId: opened.user.id }, 'signed in');
    const token = await this.tokens.sign(opened.sessionId, opened.user.id, opened.expiresAt);
    return { user: opened.user, token, expiresAt: opened.expiresAt };
  }

  /** Mailed once per lockout: the lock is set only by the failure that reaches the cap. */
  private async tellOwnerOfLockout(email: string, failures: number): Promise<void> {
    this.logger.warn({ email, failures }, 'sign-in locked out after too many wrong codes');
    const mail = signInLockedMail({
      failures,
      lockoutMinutes: Math.ceil(this.config.signIn.lockoutSeconds / 60),
      publicUrl: this.config.publicUrl,
    });
    // The lockout stands whether or not the mail goes out; its failure must not change the answer.
    await this.mail.send(email, mail).catch((err: unknown) => {
      this.logger.warn({ email, err: { message: (err as Error).message } }, 'lockout mail not sent');
    });
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
