import { Global, Module } from '@nestjs/common';
import { EventsService } from './events.service.js';
import { OutboxRelay } from './outbox.relay.js';
import { OutboxRepository } from './outbox.repository.js';

/** Global: any feature records events through EventsService inside its own transaction. */
@Global()
@Module({
  providers: [EventsService, OutboxRepository, OutboxRelay],
  exports: [EventsService, OutboxRelay],
})
export class EventsModule {}
