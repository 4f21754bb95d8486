import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { DATABASE, type Database } from '../database/database.js';
import { PgListener } from '../database/pg-listener.js';
import { toDomainEvent } from './events.service.js';
import { NatsPublisher } from './nats.publisher.js';
import { OUTBOX_CHANNEL, OutboxRepository } from './outbox.repository.js';

const BATCH_SIZE = 100;
/** A safety net under NOTIFY: a lost notification delays an event by this much at most. */
const POLL_INTERVAL_MS = 2_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * Moves committed outbox events on: to in-process listeners (@nestjs/event-emitter) and, when
 * NATS_URL is set, to JetStream with the outbox id as the message id. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so any number of replicas can relay without delivering an event twice.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private nats?: NatsPublisher;
  private listener?: PgListener;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private rerun = false;
  private stopped = false;
  private publishBackoffMs = 0;
  private publishNotBefore = 0;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly outbox: OutboxRepository,
    private readonly emitter: EventEmitter2,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.natsUrl) {
      this.nats = new NatsPublisher(this.config.natsUrl, this.logger.child({ component: 'nats' }));
      this.nats.start(() => {
        this.publishNotBefore = 0;
        this.wake();
      });
    }
    this.listener = new PgListener(this.database.pool, OUTBOX_CHANNEL, () => this.wake(), this.logger);
    await this.listener.start();
    this.timer = setInterval(() => this.wake(), POLL_INTERVAL_MS);
    this.timer.unref();
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    await this.listener?.close();
    await this.nats?.close();
  }

  /** Runs a relay pass now, or right after the one in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.rerun && !this.stopped) {
        this.rerun = false;
        this.wake();
      }
    });
  }

  /**
   * Resolves once every event recorded so far has been dispatched (and published, if NATS is up), or
   * put off for a retry because a listener threw.
   */
  async flush(): Promise<void> {
    // The pass runs as `running`, so a NOTIFY arriving meanwhile queues a rerun instead of starting a
    // second, concurrent pass that could hold a row (SKIP LOCKED) past the moment flush resolves.
    while (this.running) await this.running;
    this.wake();
    while (this.running) await this.running;
  }

  lagSeconds(target: 'local' | 'nats'): Promise<number> {
    return this.outbox.oldestWaitingSeconds(target === 'local' ? 'dispatched_at' : 'published_at');
  }

  get natsEnabled(): boolean {
    return !!this.nats;
  }

  private async pass(): Promise<void> {
    try {
      while ((await this.dispatchBatch()) === BATCH_SIZE && !this.stopped) {}
      if (this.nats?.connected && Date.now() >= this.publishNotBefore) {
        while ((await this.publishBatch()) === BATCH_SIZE && !this.stopped) {}
      }
    } catch (err) {
      this.logger.error({ err }, 'outbox relay pass failed; retrying on the next poll');
    }
  }

  private dispatchBatch(): Promise<number> {
    return this.database.db.transaction(async (tx) => {
      const rows = await this.outbox.claimWaiting(tx, 'dispatchedAt', BATCH_SIZE);
      const dispatched: string[] = [];
      for (const row of rows) {
        try {
          await this.emitter.emitAsync(row.type, toDomainEvent(row));
          dispatched.push(row.id);
        } catch (err) {
          // The event stays undispatched and comes round again after a backoff (so listeners must be
          // idempotent: the ones that succeeded see it again). It must not block every later event.
          await this.outbox.recordDispatchFailure(tx, row.id, (err as Error).message ?? String(err));
          this.logger.error(
            { err, eventId: row.id, type: row.type, attempt: row.dispatchAttempts + 1 },
            'in-process event listener failed; the event will be retried',
          );
        }
      }
      await this.outbox.markDispatched(tx, dispatched);
      return rows.length;
    });
  }

  private publishBatch(): Promise<number> {
    const nats = this.nats;
    if (!nats) return Promise.resolve(0);
    return this.database.db.transaction(async (tx) => {
      const rows = await this.outbox.claimWaiting(tx, 'publishedAt', BATCH_SIZE);
      const published: string[] = [];
      for (const row of rows) {
        try {
          await nats.publish(row.type, toDomainEvent(row), row.id);
          published.push(row.id);
        } catch (err) {
          // Keep order: stop at the first failure and retry from this event after a backoff.
          await this.outbox.recordPublishFailure(tx, row.id, (err as Error).message);
          this.publishBackoffMs = Math.min(MAX_BACKOFF_MS, Math.max(500, this.publishBackoffMs * 2));
          this.publishNotBefore = Date.now() + this.publishBackoffMs;
          this.logger.warn(
            { eventId: row.id, retryInMs: this.publishBackoffMs, reason: (err as Error).message },
            'publishing to NATS failed; will retry',
          );
          break;
        }
      }
      await this.outbox.markPublished(tx, published);
      if (published.length === rows.length) this.publishBackoffMs = 0;
      return published.length === rows.length ? rows.length : 0;
    });
  }
}
