import pg from 'pg';
import type { Logger } from 'pino';

/**
 * A dedicated connection LISTENing on one channel, reconnecting whenever it drops. NOTIFY is how a
 * change on one replica reaches every replica; callers keep a timer as a safety net for lost messages.
 * Exactly one client is alive at a time: a dropped client is ended before its replacement is made,
 * and a client can schedule at most one reconnect (pg emits 'error' more than once for one drop).
 */
export class PgListener {
  private client?: pg.Client;
  /** The client has connected; until then close() leaves it to start() to end (pg's end() can hang mid-connect). */
  private connected = false;
  private retryTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly onPayload: (payload: string) => void,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      ...this.pool.options,
      // Named for what it does, so an operator can tell it from the pool's connections.
      application_name: `catalyst-listen:${this.channel}`.slice(0, 63),
    });
    this.client = client;
    this.connected = false;
    client.on('notification', (message) => this.onPayload(message.payload ?? ''));
    client.on('error', (err) => this.dropped(client, err, 1_000));
    try {
      await client.connect();
      await client.query(`listen ${this.channel}`);
    } catch (err) {
      this.dropped(client, err, 5_000);
      return;
    }
    // close() ran while this client was connecting: it must not outlive the listener.
    if (this.closed) await client.end().catch(() => undefined);
    else if (this.client === client) this.connected = true;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (client && this.connected) await client.end().catch(() => undefined);
  }

  /** Ends a client that failed and schedules one replacement; later errors of the same client are ignored. */
  private dropped(client: pg.Client, err: unknown, retryMs: number): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.logger.warn(
      { err, channel: this.channel, retryInMs: retryMs },
      'LISTEN connection lost; relying on polling until it reconnects',
    );
    this.retryTimer = setTimeout(() => void this.start(), retryMs);
    this.retryTimer.unref();
  }
}
