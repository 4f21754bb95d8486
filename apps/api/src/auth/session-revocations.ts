import { EventEmitter } from 'node:events';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { DATABASE, type Database } from '../database/database.js';
import { PgListener } from '../database/pg-listener.js';

/** Postgres channel announcing `<sessionId>` when a session is revoked (signed out), on commit. */
export const SESSION_REVOKED_CHANNEL = 'catalyst_session_revoked';

/**
 * Tells this replica's long-lived responses (SSE streams) that their session was revoked, whichever
 * replica revoked it, so they end at once instead of outliving the sign-out.
 */
@Injectable()
export class SessionRevocations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private listener?: PgListener;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.listener = new PgListener(
      this.database.pool,
      SESSION_REVOKED_CHANNEL,
      (sessionId) => this.emitter.emit(sessionId),
      this.logger,
    );
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.close();
  }

  /** Calls `onRevoked` once the session is revoked; returns the unsubscribe. */
  watch(sessionId: string, onRevoked: () => void): () => void {
    this.emitter.on(sessionId, onRevoked);
    return () => this.emitter.off(sessionId, onRevoked);
  }
}
