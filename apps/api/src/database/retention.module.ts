import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { RetentionRepository } from './retention.repository.js';
import { RetentionSweeper } from './retention.sweeper.js';

/** The first sweep waits a little, so it never competes with start-up. */
const FIRST_SWEEP_DELAY_MS = 60_000;

/** Keeps the outbox, audit, mail and run-event tables from growing forever: a periodic sweep. */
@Module({
  providers: [RetentionRepository, RetentionSweeper],
  exports: [RetentionSweeper],
})
export class RetentionModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly sweeper: RetentionSweeper,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    const sweep = () =>
      void this.sweeper
        .sweep()
        .catch((err) => this.logger.warn({ err }, 'retention sweep failed; will retry'));
    const first = setTimeout(sweep, FIRST_SWEEP_DELAY_MS);
    const every = setInterval(sweep, this.config.retention.sweepIntervalSeconds * 1000);
    first.unref();
    every.unref();
    this.timers = [first, every];
  }

  onApplicationShutdown() {
    for (const timer of this.timers) clearTimeout(timer);
  }
}
