import {
  type DomainEvent,
  type DomainEventPayload,
  type DomainEventType,
  domainEventPayloadSchemas,
} from '@catalyst/contracts';
import { Injectable } from '@nestjs/common';
import type { Executor } from '../database/database.js';
import { OutboxRepository, type OutboxRow } from './outbox.repository.js';

/** Records domain events in the outbox, in the transaction of the change that caused them. */
@Injectable()
export class EventsService {
  constructor(private readonly outbox: OutboxRepository) {}

  async record<T extends DomainEventType>(
    tx: Executor,
    type: T,
    payload: DomainEventPayload<T>,
  ): Promise<string> {
    // A payload that breaks its contract is a programming error: fail the change, not a consumer later.
    const parsed = domainEventPayloadSchemas[type].parse(payload);
    const row = await this.outbox.insert(tx, type, parsed);
    return row.id;
  }
}

export function toDomainEvent(row: OutboxRow): DomainEvent {
  return {
    id: row.id,
    type: row.type as DomainEventType,
    occurredAt: row.occurredAt.toISOString(),
    payload: row.payload as DomainEvent['payload'],
  };
}
