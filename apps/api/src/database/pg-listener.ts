import pg from 'pg';
import type { Logger } from 'pino';

/**
 * A dedicated connection LISTENing on one channel, reconnecting whenever it drops. NOTIFY is how a
 * change on one replica reaches every replica; callers keep a timer as a safety net for lost messages.
 */
export class PgListener {
  private client?: pg.Client;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly onPayload: (payload: string) => void,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.pool.options);
    client.on('notification', (message) => this.onPayload(message.payload ?? ''));
    client.on('error', () => this.retry(1_000));
    try {
      await client.connect();
      await client.query(`listen ${this.channel}`);
      this.client = client;
    } catch (err) {
      this.logger.warn(
        { err, channel: this.channel },
        'LISTEN failed; relying on polling until it reconnects',
      );
      await client.end().catch(() => undefined);
      this.retry(5_000);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }

  private retry(ms: number): void {
    this.client = undefined;
    if (!this.closed) setTimeout(() => void this.start(), ms).unref();
  }
}
