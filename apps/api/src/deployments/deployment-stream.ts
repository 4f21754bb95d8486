import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { terminalStatuses } from '@catalyst/contracts';
import type { DeploymentsRepository } from './deployments.repository.js';
import type { DeploymentEventsHub } from './events.hub.js';

const PING_MS = 15_000;
/** Re-reads the rows now and then in case a NOTIFY was lost (the listener reconnecting, say). */
const SAFETY_POLL_MS = 5_000;

/** What keeps a stream's reader entitled to it after the request's guard has run. */
export interface StreamAccess {
  /** Subscribes to the reader's session being revoked; returns the unsubscribe. */
  watchRevocation(onRevoked: () => void): () => void;
  /** Re-checked on every ping: the session is live (not expired or revoked) and still has the role. */
  stillAllowed(): Promise<boolean>;
  /** Called once when the stream ends, whatever ended it (frees the reader's stream slot). */
  onEnd(): void;
}

/**
 * One SSE reader, the OTF tailer pattern: subscribe first, then backfill from the requested id, then
 * stream; every write is a row read by sequence number, so there is no gap and no duplicate. The
 * stream ends after the final `deployment` event of a run that has stopped, when its reader goes,
 * or when the reader's session is revoked. A slow reader is waited for ('drain'), not buffered for.
 */
export class DeploymentStream {
  private lastSent: number;
  private pulling = false;
  private pullAgain = false;
  private closed = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe?: () => void;

  constructor(
    private readonly id: string,
    afterSeq: number,
    private readonly repo: DeploymentsRepository,
    private readonly hub: DeploymentEventsHub,
    private readonly out: ServerResponse,
    private readonly access?: StreamAccess,
  ) {
    this.lastSent = afterSeq;
  }

  start(): void {
    const unsubscribeEvents = this.hub.subscribe(this.id, () => void this.pull());
    const unwatchSession = this.access?.watchRevocation(() => this.close());
    this.unsubscribe = () => {
      unsubscribeEvents();
      unwatchSession?.();
    };
    this.out.on('close', () => this.close());
    this.timers.push(setInterval(() => void this.ping(), PING_MS));
    this.timers.push(setInterval(() => void this.pull(), SAFETY_POLL_MS));
    void this.pull();
  }

  /** Keeps proxies from timing the stream out, and ends it once its reader may no longer see it. */
  private async ping(): Promise<void> {
    this.write(': ping\n\n');
    if (this.access && !(await this.access.stillAllowed().catch(() => true))) this.close();
  }

  private async pull(): Promise<void> {
    if (this.closed) return;
    if (this.pulling) {
      this.pullAgain = true;
      return;
    }
    this.pulling = true;
    try {
      do {
        this.pullAgain = false;
        for (;;) {
          const rows = await this.repo.eventsAfter(this.id, this.lastSent);
          for (const row of rows) {
            if (this.closed) return;
            const data = { seq: row.seq, time: row.createdAt.toISOString(), ...(row.payload as object) };
            const flushed = this.write(
              `id: ${row.seq}\nevent: ${row.type}\ndata: ${JSON.stringify(data)}\n\n`,
            );
            this.lastSent = row.seq;
            // The socket's buffer is full: wait for the reader before reading or writing more rows.
            if (!flushed) await this.drained();
          }
          if (rows.length < 500) break;
        }
      } while (this.pullAgain && !this.closed);
      await this.endIfStopped();
    } catch {
      this.close();
    } finally {
      this.pulling = false;
    }
  }

  private async endIfStopped(): Promise<void> {
    const row = await this.repo.get(this.id);
    if (!row) return this.close();
    if (terminalStatuses.includes(row.status as never) && this.lastSent >= row.eventSeq) this.close();
  }

  /** False when the chunk was queued behind a full socket buffer (or the stream is closed). */
  private write(chunk: string): boolean {
    return !this.closed && this.out.write(chunk);
  }

  /** Resolves when the socket can take more, or when the stream closes (the reader went away). */
  private drained(): Promise<void> {
    if (this.closed || !this.out.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.out.off('drain', done);
        this.out.off('close', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('close', done);
    });
  }

  /**
   * Sends what is stored now, then ends the stream: the api is shutting down, and the reader's
   * EventSource reconnects to another replica from its Last-Event-ID. Bounded, so a reader that does
   * not read cannot hold the shutdown.
   */
  async finish(withinMs = 2_000): Promise<void> {
    const flush = (async () => {
      while (this.pulling && !this.closed) await sleep(10);
      await this.pull();
    })();
    await Promise.race([flush, sleep(withinMs)]);
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.unsubscribe?.();
    this.out.end();
    this.access?.onEnd();
  }
}
