import { terminalStatuses } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from './database.js';

/**
 * The retention deletes, one per table that would otherwise grow forever. They live here, beside the
 * schema of every table, rather than in each feature: housekeeping is one concern with one policy.
 * Each deletes at most `limit` rows (short statements, short locks) and returns how many went.
 */
@Injectable()
export class RetentionRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Outbox events relayed more than `days` ago: dispatched and, when NATS is in use, published. */
  deleteRelayedEvents(days: number, natsInUse: boolean, limit: number): Promise<number> {
    return this.delete(
      `delete from event_outbox where id in (
         select id from event_outbox
          where dispatched_at < now() - make_interval(days => $1)
            and (published_at < now() - make_interval(days => $1) or not $2::boolean)
          limit $3)`,
      [days, natsInUse, limit],
    );
  }

  deleteAuditEntries(days: number, limit: number): Promise<number> {
    return this.delete(
      `delete from audit_log where id in (
         select id from audit_log where created_at < now() - make_interval(days => $1) limit $2)`,
      [days, limit],
    );
  }

  deleteKeptMail(days: number, limit: number): Promise<number> {
    return this.delete(
      `delete from mail_outbox where id in (
         select id from mail_outbox where created_at < now() - make_interval(days => $1) limit $2)`,
      [days, limit],
    );
  }

  /**
   * Stream events of runs that stopped more than `days` ago (terminal status, nothing written since).
   * Each run's last event stays, so a late reader still gets the outcome and its stream ends; a run
   * that is not in a terminal status keeps every event.
   */
  deleteEventsOfStoppedRuns(days: number, limit: number): Promise<number> {
    return this.delete(
      `delete from deployment_events where (deployment_id, seq) in (
         select e.deployment_id, e.seq
           from deployment_events e
           join deployments d on d.id = e.deployment_id
          where d.status = any($1::text[])
            and d.updated_at < now() - make_interval(days => $2)
            and e.seq < d.event_seq
            and not exists (
              select 1 from deployment_events recent
               where recent.deployment_id = d.id
                 and recent.created_at >= now() - make_interval(days => $2))
          limit $3)`,
      [terminalStatuses, days, limit],
    );
  }

  private async delete(statement: string, values: unknown[]): Promise<number> {
    const result = await this.database.pool.query(statement, values);
    return result.rowCount ?? 0;
  }
}
