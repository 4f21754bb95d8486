import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { DATABASE, type Database } from './database.js';
import { RetentionRepository } from './retention.repository.js';

/** One sweep at a time across every replica: the others skip their turn rather than queue. */
const RETENTION_LOCK = 'catalyst:retention';
/** Rows per delete statement, so a first sweep over a large backlog never holds long locks. */
const BATCH = 5_000;

export type SweepResult = Record<'outbox' | 'audit' | 'mail' | 'events', number>;

/**
 * Deletes rows past their retention (CATALYST_RETENTION_*, docs/configuration.md): relayed outbox
 * events, old audit entries, old dev-outbox mail and the stream events of long-stopped runs.
 */
@Injectable()
export class RetentionSweeper {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly retention: RetentionRepository,
  ) {}

  /** Runs one sweep; undefined when another replica holds the sweep lock. */
  async sweep(): Promise<SweepResult | undefined> {
    const { outboxDays, auditDays, mailDays, eventsDays } = this.config.retention;
    const natsInUse = !!this.config.natsUrl;
    // A session-level lock on a client of its own: the deletes run on other pool connections meanwhile.
    const lockClient = await this.database.pool.connect();
    try {
      const lock = await lockClient.query<{ ok: boolean }>(
        'select pg_try_advisory_lock(hashtext($1)) as ok',
        [RETENTION_LOCK],
      );
      if (!lock.rows[0]?.ok) return undefined;
      try {
        const result: SweepResult = {
          outbox: await drain(outboxDays, (limit) =>
            this.retention.deleteRelayedEvents(outboxDays, natsInUse, limit),
          ),
          audit: await drain(auditDays, (limit) => this.retention.deleteAuditEntries(auditDays, limit)),
          mail: await drain(mailDays, (limit) => this.retention.deleteKeptMail(mailDays, limit)),
          events: await drain(eventsDays, (limit) =>
            this.retention.deleteEventsOfStoppedRuns(eventsDays, limit),
          ),
        };
        if (Object.values(result).some((n) => n > 0))
          this.logger.info({ deleted: result }, 'retention sweep');
        return result;
      } finally {
        await lockClient.query('select pg_advisory_unlock(hashtext($1))', [RETENTION_LOCK]);
      }
    } finally {
      lockClient.release();
    }
  }
}

/** Deletes batch after batch until one comes back short; 0 days keeps everything. */
async function drain(days: number, deleteBatch: (limit: number) => Promise<number>): Promise<number> {
  if (days <= 0) return 0;
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(BATCH);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
