import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { runPeriodically } from '../common/periodic.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { DevOutbox } from './dev-outbox.js';
import { MailController } from './mail.controller.js';
import { MailService } from './mail.service.js';
import { MailOutboxRepository } from './mail-outbox.repository.js';
import { MailStatusController } from './mail-status.controller.js';

/** The first sweep of the outbox's files waits a little, so it never competes with start-up. */
const FIRST_SWEEP_DELAY_MS = 60_000;

@Module({
  controllers: [MailController, MailStatusController],
  providers: [MailOutboxRepository, DevOutbox, MailService],
  exports: [MailService],
})
export class MailModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopSweeps?: () => void;

  constructor(
    private readonly outbox: DevOutbox,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    this.stopSweeps = runPeriodically(() => this.outbox.sweepFiles(), {
      everyMs: this.config.retention.sweepIntervalSeconds * 1000,
      firstAfterMs: FIRST_SWEEP_DELAY_MS,
      logger: this.logger,
      failure: 'dev outbox file sweep failed; will retry',
    });
  }

  onApplicationShutdown() {
    this.stopSweeps?.();
  }
}
