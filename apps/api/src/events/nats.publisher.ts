import { eventStreamName, eventSubjectPrefix } from '@catalyst/contracts';
import { type JetStreamClient, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';

const PUBLISH_TIMEOUT_MS = 5_000;
/** JetStream drops a second message with the same id inside this window; longer than any retry gap. */
const DUPLICATE_WINDOW_MS = 30 * 60 * 1000;

/**
 * One connection to NATS that reconnects forever. Publishing is refused while disconnected, so a
 * message is never buffered by the client and sent later behind the relay's back.
 */
export class NatsPublisher {
  private connection?: NatsConnection;
  private js?: JetStreamClient;
  private streamReady = false;
  private closed = false;

  constructor(
    private readonly servers: string,
    private readonly logger: Logger,
  ) {}

  /** Starts connecting in the background; the api does not wait for NATS to come up. */
  start(onReady: () => void): void {
    void this.connectLoop(onReady);
  }

  get connected(): boolean {
    return this.isConnected && !!this.connection && !this.connection.isClosed();
  }

  private isConnected = false;

  async publish(subject: string, data: unknown, msgID: string): Promise<void> {
    if (!this.js || !this.connected) throw new Error('NATS is not connected');
    if (!this.streamReady) await this.ensureStream();
    if (!this.streamReady) throw new Error(`the JetStream stream ${eventStreamName} is not available`);
    await this.js.publish(subject, JSON.stringify(data), { msgID, timeout: PUBLISH_TIMEOUT_MS });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connection?.drain().catch(() => this.connection?.close());
  }

  private async connectLoop(onReady: () => void): Promise<void> {
    try {
      this.connection = await connect({
        servers: this.servers.split(','),
        name: 'catalyst-api',
        waitOnFirstConnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 1_000,
      });
    } catch (err) {
      if (!this.closed) this.logger.error({ err }, 'NATS connection failed; events stay in the outbox');
      return;
    }
    if (this.closed) {
      await this.connection.close();
      return;
    }
    this.isConnected = true;
    this.js = jetstream(this.connection);
    this.logger.info({ servers: this.servers }, 'NATS connected');
    await this.ensureStream();
    onReady();
    for await (const status of this.connection.status()) {
      if (status.type === 'disconnect') {
        this.isConnected = false;
        this.logger.warn('NATS disconnected; events wait in the outbox');
      } else if (status.type === 'reconnect') {
        this.isConnected = true;
        this.logger.info('NATS reconnected');
        await this.ensureStream();
        onReady();
      }
    }
  }

  private async ensureStream(): Promise<void> {
    if (!this.connection) return;
    try {
      const jsm = await jetstreamManager(this.connection);
      const config = {
        name: eventStreamName,
        subjects: [`${eventSubjectPrefix}>`],
        duplicate_window: DUPLICATE_WINDOW_MS * 1_000_000,
      };
      try {
        await jsm.streams.info(eventStreamName);
        await jsm.streams.update(eventStreamName, config);
      } catch {
        await jsm.streams.add(config);
      }
      this.streamReady = true;
    } catch (err) {
      this.streamReady = false;
      this.logger.error({ err }, `could not ensure the JetStream stream ${eventStreamName}`);
    }
  }
}
