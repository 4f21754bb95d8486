import type { DomainEventPayload, DomainEventType } from '@catalyst/contracts';
import { DATABASE, type Database } from '../../src/database/database.js';
import { EventsService } from '../../src/events/events.service.js';
import type { TestApp } from './test-app.js';

/** Records `count` events in one transaction through the real EventsService; returns their outbox ids. */
export function recordEvents<T extends DomainEventType>(
  t: TestApp,
  type: T,
  count: number,
  payload: (i: number) => DomainEventPayload<T>,
): Promise<string[]> {
  const events = t.app.get(EventsService);
  const { db } = t.app.get<Database>(DATABASE);
  return db.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await events.record(tx, type, payload(i)));
    return ids;
  });
}
