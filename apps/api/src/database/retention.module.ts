import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { runPeriodically } from '../common/periodic.js';
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
  private stopSweeps?: () => void;

  constructor(
    private readonly sweeper: RetentionSweeper,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    this.stopSweeps = runPeriodically(() => this.sweeper.sweep(), {
      everyMs: this.config.retention.sweepIntervalSeconds * 1000,
      firstAfterMs: FIRST_SWEEP_DELAY_MS,
      logger: this.logger,
      failure: 'retention sweep failed; will retry',
    });
  }

  onApplicationShutdown() {
    this.stopSweeps?.();
  }
}
