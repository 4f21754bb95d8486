import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Logger } from 'pino';
import { runPeriodically } from '../common/periodic.js';
import { LOGGER } from '../common/tokens.js';
import { MailModule } from '../mail/mail.module.js';
import { RateLimitModule } from '../ratelimit/rate-limit.module.js';
import { RateLimitService } from '../ratelimit/rate-limit.service.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { PinsRepository } from './pins.repository.js';
import { SESSION_CACHE_MAX_ENTRIES, SESSION_CACHE_TTL_MS, SessionCache } from './session-cache.js';
import { SessionCookie } from './session-cookie.js';
import { SessionRevocations } from './session-revocations.js';
import { SessionTokens } from './session-tokens.js';
import { SessionsRepository } from './sessions.repository.js';
import { SignInGuardsRepository } from './sign-in-guards.repository.js';
import { TeamController } from './team.controller.js';
import { TeamService } from './team.service.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

@Module({
  imports: [MailModule, RateLimitModule],
  controllers: [AuthController, TeamController],
  providers: [
    AuthService,
    PinsRepository,
    SignInGuardsRepository,
    SessionsRepository,
    UsersRepository,
    UsersService,
    SessionTokens,
    SessionCookie,
    SessionRevocations,
    {
      provide: SessionCache,
      inject: [SessionRevocations],
      useFactory: (revocations: SessionRevocations) =>
        new SessionCache({
          ttlMs: SESSION_CACHE_TTL_MS,
          maxEntries: SESSION_CACHE_MAX_ENTRIES,
          watch: (sessionId, onRevoked) => revocations.watch(sessionId, onRevoked),
        }),
    },
    TeamService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, SessionCookie, SessionRevocations, UsersRepository, UsersService],
})
export class AuthModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopSweeps?: () => void;

  constructor(
    private readonly auth: AuthService,
    private readonly rateLimits: RateLimitService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Expired codes, sessions and rate-limit windows are swept periodically; deletes are idempotent across replicas. */
  async onApplicationBootstrap() {
    const cut = await this.auth.withdrawUnlistedAdmins();
    if (cut.length)
      this.logger.warn(
        { users: cut },
        'admin roles withdrawn from users CATALYST_ADMIN_EMAILS no longer lists; their sessions ended',
      );
    this.stopSweeps = runPeriodically(() => Promise.all([this.auth.sweep(), this.rateLimits.sweep()]), {
      everyMs: SWEEP_INTERVAL_MS,
      logger: this.logger,
      failure: 'sign-in housekeeping failed; will retry',
    });
  }

  onApplicationShutdown() {
    this.stopSweeps?.();
  }
}
