import { EventEmitter } from 'node:events';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { DATABASE, type Database } from '../database/database.js';
import { PgListener } from '../database/pg-listener.js';
import { EVENTS_CHANNEL } from './deployments.repository.js';

/**
 * Tells this replica's stream readers that a deployment has new events, whichever replica wrote
 * them (Postgres NOTIFY). Readers then read the rows themselves: the rows are the truth.
 */
@Injectable()
export class DeploymentEventsHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private listener?: PgListener;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.listener = new PgListener(
      this.database.pool,
      EVENTS_CHANNEL,
      (payload) => this.emitter.emit(payload.split(':')[0] ?? '', Number(payload.split(':')[1])),
      this.logger,
    );
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.close();
  }

  subscribe(deploymentId: string, onEvent: (seq: number) => void): () => void {
    this.emitter.on(deploymentId, onEvent);
    return () => this.emitter.off(deploymentId, onEvent);
  }
}
