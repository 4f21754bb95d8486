import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Logger } from 'pino';
import { PgListener } from './pg-listener.js';

/**
 * One LISTEN connection per channel and process, fanned out in memory by key: a NOTIFY payload is
 * `<key>` or `<key>:<detail>`, and every subscriber of the key is handed the detail ('' when none).
 * However many readers watch, the database sees one listener.
 */
export class PgChannelFanout {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly listener: PgListener;

  constructor(pool: pg.Pool, channel: string, logger: Logger) {
    this.listener = new PgListener(pool, channel, (payload) => this.deliver(payload), logger);
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  close(): Promise<void> {
    return this.listener.close();
  }

  /** Calls `onNotify` with the detail of every NOTIFY for `key`; returns the unsubscribe. */
  subscribe(key: string, onNotify: (detail: string) => void): () => void {
    this.emitter.on(key, onNotify);
    return () => this.emitter.off(key, onNotify);
  }

  private deliver(payload: string): void {
    const colon = payload.indexOf(':');
    if (colon < 0) this.emitter.emit(payload, '');
    else this.emitter.emit(payload.slice(0, colon), payload.slice(colon + 1));
  }
}
