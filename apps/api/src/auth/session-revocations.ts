import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { DATABASE, type Database } from '../database/database.js';
import { PgChannelFanout } from '../database/pg-channel-fanout.js';
import { SESSION_REVOKED_CHANNEL } from './sessions.repository.js';

/**
 * Tells this replica's long-lived responses (SSE streams) that their session was revoked, whichever
 * replica revoked it, so they end at once instead of outliving the sign-out.
 */
@Injectable()
export class SessionRevocations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly fanout: PgChannelFanout;

  constructor(@Inject(DATABASE) database: Database, @Inject(LOGGER) logger: Logger) {
    this.fanout = new PgChannelFanout(database.pool, SESSION_REVOKED_CHANNEL, logger);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.fanout.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.fanout.close();
  }

  /** Calls `onRevoked` once the session is revoked; returns the unsubscribe. */
  watch(sessionId: string, onRevoked: () => void): () => void {
    return this.fanout.subscribe(sessionId, onRevoked);
  }
}
