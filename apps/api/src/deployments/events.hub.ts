import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { DATABASE, type Database } from '../database/database.js';
import { PgChannelFanout } from '../database/pg-channel-fanout.js';
import { EVENTS_CHANNEL } from './deployments.repository.js';

/**
 * Tells this replica's stream readers that a deployment has new events, whichever replica wrote
 * them (Postgres NOTIFY `<deploymentId>:<seq>`). Readers then read the rows themselves: the rows are the truth.
 */
@Injectable()
export class DeploymentEventsHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly fanout: PgChannelFanout;

  constructor(@Inject(DATABASE) database: Database, @Inject(LOGGER) logger: Logger) {
    this.fanout = new PgChannelFanout(database.pool, EVENTS_CHANNEL, logger);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.fanout.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.fanout.close();
  }

  subscribe(deploymentId: string, onEvent: (seq: number) => void): () => void {
    return this.fanout.subscribe(deploymentId, (seq) => onEvent(Number(seq)));
  }
}
