import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { RateLimitModule } from '../ratelimit/rate-limit.module.js';
import { AllocationsRepository } from './allocations.repository.js';
import { DomainsController } from './domains.controller.js';
import { DomainsService } from './domains.service.js';
import { RegistrarsController } from './registrars/registrars.controller.js';
import { RegistrarsService } from './registrars/registrars.service.js';

const SWEEP_INTERVAL_MS = 30_000;
const POOL_ZONE_RETRY_MAX_MS = 5 * 60_000;

@Module({
  imports: [RateLimitModule],
  controllers: [DomainsController, RegistrarsController],
  providers: [AllocationsRepository, DomainsService, RegistrarsService],
  exports: [DomainsService, RegistrarsService],
})
export class DomainsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private sweeper?: NodeJS.Timeout;
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly domains: DomainsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    this.sweeper = setInterval(() => {
      this.domains
        .sweepExpired()
        .catch((err) => this.logger.warn({ err }, 'reservation sweep failed; will retry'));
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
    // Pool zones are ensured in the background: PowerDNS being down must not keep the api from starting.
    if (this.domains.publisher) void this.ensurePoolZones(1_000);
    else this.logger.warn('PDNS_API_URL is unset: names can be checked and reserved, but not published');
  }

  onApplicationShutdown() {
    this.stopped = true;
    clearInterval(this.sweeper);
    clearTimeout(this.retry);
  }

  private async ensurePoolZones(nextDelayMs: number): Promise<void> {
    try {
      await this.domains.ensurePoolZones();
      this.logger.info('pool zones are in place in PowerDNS');
    } catch (err) {
      if (this.stopped) return;
      this.logger.error(
        { err, retryInMs: nextDelayMs },
        'could not ensure the pool zones in PowerDNS; retrying',
      );
      this.retry = setTimeout(
        () => void this.ensurePoolZones(Math.min(nextDelayMs * 2, POOL_ZONE_RETRY_MAX_MS)),
        nextDelayMs,
      );
      this.retry.unref();
    }
  }
}
